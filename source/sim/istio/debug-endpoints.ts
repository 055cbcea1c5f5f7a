import { createHash } from 'node:crypto';
import type { ProxyResponse, ProxyVia } from '../api/serving-cluster.js';
import type { JsonObject, KubeObject } from '../objects.js';
import { K } from '../controllers/kinds.js';
import { isPodReady } from '../controllers/pod-status.js';
import { ISTIO_NAMESPACE, ISTIO_VERSION } from './constants.js';
import type { IstioMember } from './istio-mesh.js';
import { isIstiodPod } from './istiod-ca-controller.js';
import type { RemoteClusterStatus, RemoteRegistry } from './multicluster/secret-controller.js';
import { registryz } from './registryz.js';
import { hasIstioProxy } from './trust.js';

const TYPE_URLS = {
  cluster: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  listener: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  route: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  endpoint: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
} as const;

/**
 * istiod's debug endpoints on port 15014, answered through the API server's service proxy
 * (`kubectl get --raw /api/v1/namespaces/istio-system/services/istiod:15014/proxy/debug/clusterz`),
 * with the JSON field names istiod uses. No ready istiod pod: no endpoints (503), as a real server says.
 *
 * Like istiod (pilot/pkg/xds/debug.go, allowAuthenticatedOrLocalhost), /debug is served only to
 * localhost or an authenticated caller: through the service proxy the request comes from the API
 * server's address and carries no credentials (the API server drops the caller's), so istiod answers
 * a bare 401, with no body. Through a port-forward (`via: 'port-forward'`) it arrives on the pod's
 * loopback and is served. `cluster.istiodDebugThroughProxy` opts out (the old, unrealistic behaviour).
 */
export function istiodDebugHandler(member: IstioMember, remotes: () => RemoteClusterStatus[], registries: () => RemoteRegistry[] = () => []) {
  return (path: string, query: URLSearchParams, via: ProxyVia = 'service-proxy'): ProxyResponse | undefined => {
    const store = member.cluster.store;
    if (!store.list(K.pods, ISTIO_NAMESPACE).some((pod) => isIstiodPod(pod) && isPodReady(pod))) return undefined;
    if (path.startsWith('/debug') && via === 'service-proxy' && !member.cluster.istiodDebugThroughProxy) return UNAUTHENTICATED;
    const json = (value: unknown): ProxyResponse => ({ status: 200, contentType: 'application/json', body: query.has('pretty') ? JSON.stringify(value, null, 4) : JSON.stringify(value) });
    if (path === '/debug/clusterz') return json(clusterz(member, remotes()));
    // The config cluster's services first, then each remote's, as istiod's aggregate registry lists them.
    if (path === '/debug/registryz') return json(registryz([{ clusterId: member.clusterId, services: store.list(K.services) }, ...registries()]));
    if (path === '/debug/syncz') return json(syncz(member, query.get('namespace') ?? ''));
    if (path === '/ready') return { status: 200, contentType: 'text/plain; charset=utf-8', body: '' };
    return { status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' };
  };
}

/** istiod's `w.WriteHeader(http.StatusUnauthorized)`: no body, no Content-Type. */
const UNAUTHENTICATED: ProxyResponse = { status: 401, body: '' };

/** `[]cluster.DebugInfo`: the config cluster first (empty secretName), then one per remote-secret cluster. */
export function clusterz(member: IstioMember, remotes: RemoteClusterStatus[]): { id: string; secretName: string; syncStatus: string }[] {
  return [
    { id: member.clusterId, secretName: '', syncStatus: 'synced' },
    // istiod's vocabulary is synced / syncing / timeout / closed: a remote it cannot read ends in timeout.
    ...remotes.map((r) => ({ id: r.clusterId, secretName: r.secretName, syncStatus: r.state === 'error' ? 'timeout' : r.state })),
  ];
}

/** `[]SyncStatus`: one entry per proxy connected to this istiod (its cluster's and its remotes'). */
export function syncz(member: IstioMember, namespace: string): JsonObject[] {
  const served = member.mesh.members.filter((m) => m === member || m.primary() === member);
  const out: JsonObject[] = [];
  for (const cluster of served) {
    const pods = namespace ? cluster.cluster.store.list(K.pods, namespace) : cluster.cluster.store.list(K.pods);
    for (const pod of pods) {
      if (!hasIstioProxy(pod) || !proxyConnected(pod)) continue;
      const router = pod.metadata.labels?.['istio'] === 'eastwestgateway' || pod.metadata.labels?.['istio'] === 'ingressgateway';
      out.push(syncStatus(pod, cluster.clusterId, router ? 'router' : 'sidecar'));
    }
  }
  return out.sort((a, b) => String(a['proxy']).localeCompare(String(b['proxy'])));
}

function proxyConnected(pod: KubeObject): boolean {
  const status = (pod['status'] as JsonObject | undefined) ?? {};
  if (status['phase'] !== 'Running') return false;
  const proxy = ((status['containerStatuses'] as JsonObject[] | undefined) ?? []).find((c) => c['name'] === 'istio-proxy');
  return proxy?.['ready'] === true;
}

function syncStatus(pod: KubeObject, clusterId: string, type: 'sidecar' | 'router'): JsonObject {
  const uid = pod.metadata.uid ?? pod.metadata.name ?? '';
  const sentTime = String(((pod['status'] as JsonObject | undefined)?.['startTime'] as string | undefined) ?? pod.metadata.creationTimestamp ?? '');
  const out: JsonObject = { cluster_id: clusterId, proxy: `${pod.metadata.name}.${pod.metadata.namespace}`, proxy_type: type, istio_version: ISTIO_VERSION };
  const resources: JsonObject = {};
  for (const [kind, typeUrl] of Object.entries(TYPE_URLS)) {
    const n = nonce(uid, kind);
    out[`${kind}_sent`] = n;
    out[`${kind}_acked`] = n;
    resources[typeUrl] = { sent: n, acked: n, sentTime };
  }
  out['resources'] = resources;
  return out;
}

function nonce(uid: string, kind: string): string {
  const hex = createHash('sha1').update(`${uid}/${kind}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
