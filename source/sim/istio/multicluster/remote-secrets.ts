import { parse } from 'yaml';
import type { KubeObject } from '../../objects.js';
import type { ObjectStore } from '../../store/object-store.js';
import { K } from '../../controllers/kinds.js';
import { ISTIO_NAMESPACE, MULTICLUSTER_SECRET_LABEL } from '../constants.js';

/** How istiod would reach one remote cluster, read from one key of a remote secret. */
export interface RemoteAccess {
  server: string;
  caPem?: string;
  insecure: boolean;
  tlsServerName?: string;
  token?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
}

/** One cluster of a remote secret: istiod takes the data key as the cluster ID. */
export interface RemoteSecretEntry {
  /** `istio-system/<secret name>`, as /debug/clusterz shows it. */
  secretName: string;
  clusterId: string;
  access?: RemoteAccess;
  /** Why istiod could not build a client from the kubeconfig. */
  error?: string;
  /** A fingerprint of the kubeconfig, to tell a changed secret from an unchanged one. */
  hash: string;
}

export function isRemoteSecret(secret: KubeObject | undefined): boolean {
  return secret?.metadata.namespace === ISTIO_NAMESPACE && secret.metadata.labels?.[MULTICLUSTER_SECRET_LABEL] === 'true';
}

const entryCache = new WeakMap<KubeObject, RemoteSecretEntry[]>();

/** The clusters of one remote secret, in key order (cached per stored object). */
export function remoteSecretEntries(secret: KubeObject): RemoteSecretEntry[] {
  const cached = entryCache.get(secret);
  if (cached) return cached;
  const data = (secret['data'] as Record<string, string> | undefined) ?? {};
  const entries = Object.keys(data)
    .sort()
    .map((clusterId) => {
      const text = Buffer.from(data[clusterId]!, 'base64').toString('utf8');
      const parsed = parseKubeconfig(text);
      return { secretName: `${secret.metadata.namespace}/${secret.metadata.name}`, clusterId, hash: text, ...parsed };
    });
  entryCache.set(secret, entries);
  return entries;
}

/** Every remote-secret cluster a primary's istiod reads, secret by secret. */
export function allRemoteSecretEntries(store: ObjectStore): RemoteSecretEntry[] {
  return store.list(K.secrets, ISTIO_NAMESPACE).filter(isRemoteSecret).flatMap(remoteSecretEntries);
}

function parseKubeconfig(text: string): { access?: RemoteAccess; error?: string } {
  let config: Record<string, unknown>;
  try {
    config = parse(text) as Record<string, unknown>;
    if (!config || typeof config !== 'object') throw new Error('not a mapping');
  } catch (error) {
    return { error: `failed to load kubeconfig: ${(error as Error).message}` };
  }
  const named = (list: unknown, name: unknown, field: string): Record<string, unknown> | undefined => {
    if (!Array.isArray(list)) return undefined;
    const item = list.find((entry) => entry && typeof entry === 'object' && (entry as Record<string, unknown>)['name'] === name) as Record<string, unknown> | undefined;
    return (item?.[field] as Record<string, unknown> | undefined) ?? undefined;
  };
  const contextName = config['current-context'];
  const context = named(config['contexts'], contextName, 'context');
  if (!context) return { error: `invalid configuration: context was not found for specified context: ${String(contextName ?? '')}` };
  const cluster = named(config['clusters'], context['cluster'], 'cluster');
  if (!cluster) return { error: `invalid configuration: cluster "${String(context['cluster'])}" was not found for context "${String(contextName)}"` };
  const user = named(config['users'], context['user'], 'user') ?? {};
  if (user['exec'] || user['auth-provider']) return { error: 'kubeconfig in remote secret uses an exec or auth-provider plugin, which istiod does not allow (PILOT_INSECURE_MULTICLUSTER_KUBECONFIG_OPTIONS)' };
  const server = typeof cluster['server'] === 'string' ? cluster['server'] : '';
  if (!server) return { error: 'invalid configuration: no server found for cluster' };
  const fromB64 = (value: unknown) => (typeof value === 'string' && value ? Buffer.from(value, 'base64').toString('utf8') : undefined);
  const access: RemoteAccess = { server, insecure: cluster['insecure-skip-tls-verify'] === true };
  const ca = fromB64(cluster['certificate-authority-data']);
  if (ca) access.caPem = ca;
  if (typeof cluster['tls-server-name'] === 'string') access.tlsServerName = cluster['tls-server-name'];
  if (typeof user['token'] === 'string') access.token = user['token'];
  const cert = fromB64(user['client-certificate-data']);
  const key = fromB64(user['client-key-data']);
  if (cert && key) {
    access.clientCertPem = cert;
    access.clientKeyPem = key;
  }
  return { access };
}
