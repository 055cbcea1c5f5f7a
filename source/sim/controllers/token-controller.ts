import type { StoreEvent } from '../store/object-store.js';
import { LEGACY_TOKEN_LIFETIME_SECONDS, DEFAULT_AUDIENCE, type TokenAuthority } from '../auth/tokens.js';
import { Controller, type ControllerContext, namespacedKey, splitKey } from './controller.js';
import { K } from './kinds.js';

const SA_NAME = 'kubernetes.io/service-account.name';
const SA_UID = 'kubernetes.io/service-account.uid';
const TOKEN_TYPE = 'kubernetes.io/service-account-token';

/** Fills `kubernetes.io/service-account-token` Secrets with a long-lived token, ca.crt and namespace. */
export class TokenController extends Controller {
  constructor(ctx: ControllerContext, private readonly tokens: TokenAuthority, private readonly rootCaPem: string) {
    super(ctx);
  }

  onEvent(event: StoreEvent): void {
    if (event.def === K.secrets && event.type !== 'DELETED' && event.object['type'] === TOKEN_TYPE) this.queue.add(namespacedKey(event.object.metadata.namespace, event.object.metadata.name));
    // A secret created before its service account is filled once the account appears.
    if (event.def === K.serviceAccounts && event.type === 'ADDED') {
      for (const secret of this.ctx.store.list(K.secrets, event.object.metadata.namespace)) {
        if (secret['type'] === TOKEN_TYPE && secret.metadata.annotations?.[SA_NAME] === event.object.metadata.name) this.queue.add(namespacedKey(secret.metadata.namespace, secret.metadata.name));
      }
    }
  }

  protected reconcile(key: string): void {
    const [namespace, name] = splitKey(key);
    const secret = this.ctx.store.get(K.secrets, namespace, name);
    const data = (secret?.['data'] as Record<string, string> | undefined) ?? {};
    if (!secret || data['token']) return;
    const accountName = secret.metadata.annotations?.[SA_NAME];
    const account = accountName ? this.ctx.store.get(K.serviceAccounts, namespace, accountName) : undefined;
    if (!account) return;
    const now = this.ctx.now();
    const token = this.tokens.issue(
      {
        sub: `system:serviceaccount:${namespace}:${accountName}`,
        aud: [DEFAULT_AUDIENCE],
        exp: Math.floor(now.getTime() / 1000) + LEGACY_TOKEN_LIFETIME_SECONDS,
        namespace,
        serviceAccount: { name: accountName!, uid: account.metadata.uid! },
        secret: { name, uid: secret.metadata.uid! },
      },
      now,
    );
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    this.ctx.api.update(K.secrets, namespace, name, {
      ...secret,
      metadata: { ...secret.metadata, annotations: { ...secret.metadata.annotations, [SA_UID]: account.metadata.uid! } },
      data: { ...data, token: b64(token), 'ca.crt': b64(this.rootCaPem), namespace: b64(namespace) },
    });
  }
}
