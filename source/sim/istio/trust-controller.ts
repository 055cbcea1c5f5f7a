import type { StoreEvent } from '../store/object-store.js';
import { Controller, type ControllerContext, namespacedKey } from '../controllers/controller.js';
import { K } from '../controllers/kinds.js';
import { CACERTS_SECRET, ISTIO_NAMESPACE } from './constants.js';
import type { IstioMember } from './istio-mesh.js';
import { isRemoteSecret } from './multicluster/remote-secrets.js';
import { hasIstioProxy } from './trust.js';

const TRUST_KEY = 'trust';

/**
 * Watches what trust depends on in this cluster (cacerts, remote secrets, istio-system's topology
 * labels) and tells the mesh; when the mesh's verdict for this cluster changes, re-evaluates the
 * cluster's proxies (readiness) and republishes its root bundle.
 */
export class TrustController extends Controller {
  private lastSummary: string | undefined;

  constructor(
    ctx: ControllerContext,
    private readonly member: () => IstioMember | undefined,
    private readonly onVerdictChange: (podKeys: string[]) => void,
  ) {
    super(ctx);
  }

  recheck(): void {
    this.queue.add(TRUST_KEY);
  }

  onEvent(event: StoreEvent): void {
    const object = event.object;
    const relevant =
      (event.def === K.secrets && object.metadata.namespace === ISTIO_NAMESPACE && (object.metadata.name === CACERTS_SECRET || isRemoteSecret(object) || isRemoteSecret(event.previous))) ||
      (event.def === K.namespaces && object.metadata.name === ISTIO_NAMESPACE);
    if (relevant) this.member()?.mesh.invalidate();
  }

  protected reconcile(): void {
    const member = this.member();
    if (!member) return;
    const summary = member.mesh.trust(member).summary;
    if (summary === this.lastSummary) return;
    this.lastSummary = summary;
    const keys: string[] = [];
    for (const pod of this.ctx.store.list(K.pods)) if (hasIstioProxy(pod)) keys.push(namespacedKey(pod.metadata.namespace, pod.metadata.name));
    this.onVerdictChange(keys);
  }
}
