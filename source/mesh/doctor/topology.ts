import type { KubeObject } from '../types.js';
import type { DoctorSnapshot } from './types.js';
import { controlPlane, istioIdentity, type IstioIdentity } from '../istio-config.js';

/** What the checks need to know about one cluster, derived once per doctor run. */
export interface ClusterFacts {
  name: string;
  index: number;
  snapshot: DoctorSnapshot;
  /** The cluster answered at least once (its caches hold objects, maybe stale ones). */
  hasData: boolean;
  identity: IstioIdentity;
  /** Istio's cluster ID: the configured one, else Istio's default `Kubernetes`. */
  clusterId: string;
  hasIstio: boolean;
  hasIstiod: boolean;
  /** Cluster IDs named by istio-system's topology.istio.io/controlPlaneClusters (remotes). */
  controlPlanes: string[];
  /** One entry per cluster of each remote secret this cluster holds. */
  remoteSecrets: RemoteSecretEntry[];
  /** Resources the credentials may not read (403), by plural name: `secrets`, `serviceentries`, ... */
  hidden: Set<string>;
}

export interface RemoteSecretEntry {
  secret: KubeObject;
  /** The data key: the cluster ID istiod registers. */
  clusterId: string;
  /** The kubeconfig's server, when the projection could read it. */
  server?: string;
}

/** A link between two clusters that are meant to talk: `from` reads `to` (remote secret), or runs its control plane. */
export interface Link {
  from: ClusterFacts;
  to: ClusterFacts;
  via: 'remote secret' | 'control plane';
  entry?: RemoteSecretEntry;
}

export interface Topology {
  clusters: ClusterFacts[];
  byName: Map<string, ClusterFacts>;
  links: Link[];
  /** The clusters linked to this one, directly or through others (itself included). */
  component(cluster: ClusterFacts): ClusterFacts[];
  /** The cluster a remote-secret entry points at: by server address, else by cluster ID. */
  target(entry: RemoteSecretEntry): { cluster: ClusterFacts; by: 'server' | 'cluster ID' } | undefined;
  /** The primaries running this cluster's control plane (for a remote), in view. */
  primariesOf(cluster: ClusterFacts): ClusterFacts[];
  /** The remotes whose control plane this cluster runs, in view. */
  remotesOf(cluster: ClusterFacts): ClusterFacts[];
}

const CONTROL_PLANES = 'topology.istio.io/controlPlaneClusters';
export const DEFAULT_CLUSTER_ID = 'Kubernetes';

const cache = new WeakMap<readonly DoctorSnapshot[], Topology>();

/** The clusters and how they are joined; computed once per snapshot list. */
export function topology(snapshots: readonly DoctorSnapshot[]): Topology {
  const cached = cache.get(snapshots);
  if (cached) return cached;
  const clusters = snapshots.map(facts);
  const byName = new Map(clusters.map((c) => [c.name, c]));
  const byServer = new Map<string, ClusterFacts>();
  for (const c of clusters) {
    const key = serverKey(c.snapshot.server);
    if (key && !byServer.has(key)) byServer.set(key, c);
  }
  const target: Topology['target'] = (entry) => {
    const viaServer = entry.server ? byServer.get(serverKey(entry.server) ?? '') : undefined;
    if (viaServer) return { cluster: viaServer, by: 'server' };
    const viaId = clusters.find((c) => c.hasIstio && c.clusterId === entry.clusterId);
    return viaId ? { cluster: viaId, by: 'cluster ID' } : undefined;
  };
  const primariesOf = (cluster: ClusterFacts) => clusters.filter((c) => c !== cluster && c.hasIstiod && cluster.controlPlanes.includes(c.clusterId));
  const links: Link[] = [];
  for (const from of clusters) {
    for (const entry of from.remoteSecrets) {
      const to = target(entry)?.cluster;
      if (to && to !== from) links.push({ from, to, via: 'remote secret', entry });
    }
  }
  for (const remote of clusters) {
    for (const primary of primariesOf(remote)) {
      if (!links.some((l) => l.from === primary && l.to === remote)) links.push({ from: primary, to: remote, via: 'control plane' });
    }
  }
  const neighbours = new Map<ClusterFacts, Set<ClusterFacts>>(clusters.map((c) => [c, new Set()]));
  for (const link of links) {
    neighbours.get(link.from)!.add(link.to);
    neighbours.get(link.to)!.add(link.from);
  }
  const component = (start: ClusterFacts) => {
    const seen = new Set([start]);
    const queue = [start];
    while (queue.length > 0) for (const next of neighbours.get(queue.shift()!) ?? []) if (!seen.has(next)) (seen.add(next), queue.push(next));
    return clusters.filter((c) => seen.has(c));
  };
  const result: Topology = { clusters, byName, links, component, target, primariesOf, remotesOf: (cluster) => clusters.filter((c) => c !== cluster && primariesOf(c).includes(cluster)) };
  cache.set(snapshots, result);
  return result;
}

/** Groups of linked clusters (each cluster once), in the snapshots' order. */
export function components(topo: Topology): ClusterFacts[][] {
  const seen = new Set<ClusterFacts>();
  const out: ClusterFacts[][] = [];
  for (const cluster of topo.clusters) {
    if (seen.has(cluster)) continue;
    const group = topo.component(cluster);
    for (const c of group) seen.add(c);
    out.push(group);
  }
  return out;
}

function facts(snapshot: DoctorSnapshot, index: number): ClusterFacts {
  const plane = controlPlane(snapshot);
  const identity = istioIdentity(snapshot);
  const istioSystem = snapshot.kinds.namespaces.items.get('istio-system');
  const annotated = istioSystem?.metadata.annotations?.[CONTROL_PLANES] ?? istioSystem?.metadata.labels?.[CONTROL_PLANES];
  const remoteSecrets: RemoteSecretEntry[] = [];
  for (const secret of snapshot.kinds.remoteSecrets.items.values()) {
    const servers = (secret['servers'] as Record<string, string> | undefined) ?? {};
    for (const clusterId of (secret['dataKeys'] as string[] | undefined) ?? []) {
      remoteSecrets.push({ secret, clusterId, ...(servers[clusterId] ? { server: servers[clusterId] } : {}) });
    }
  }
  return {
    name: snapshot.name,
    index,
    snapshot,
    hasData: snapshot.kinds.namespaces.items.size > 0,
    identity,
    clusterId: identity.clusterId ?? DEFAULT_CLUSTER_ID,
    hasIstio: plane !== undefined,
    hasIstiod: plane?.istiod !== undefined,
    controlPlanes: annotated ? annotated.split(',').map((s) => s.trim()).filter(Boolean) : [],
    remoteSecrets,
    hidden: new Set((snapshot.forbidden ?? []).map((what) => what.split(/[ .]/)[0]!)),
  };
}

/** host:port of an API server URL, with localhost spelled 127.0.0.1, for comparing addresses. */
export function serverKey(server: string): string | undefined {
  try {
    const url = new URL(server);
    const host = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname.replace(/^\[|\]$/g, '');
    return `${host}:${url.port || (url.protocol === 'http:' ? '80' : '443')}`;
  } catch {
    return undefined;
  }
}

/** Whether a server URL names the local host (127.0.0.0/8, ::1, localhost). */
export function isLoopback(server: string): boolean {
  try {
    const host = new URL(server).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** The objects of a kind, or none when the snapshot does not carry that kind. */
export function itemsOf(snapshot: DoctorSnapshot, kind: keyof DoctorSnapshot['kinds']): Iterable<KubeObject> {
  return snapshot.kinds[kind]?.items.values() ?? [];
}

/** Pods that share a controller (so, labels but pod-template-hash), in one namespace: selectors are matched per group. */
export interface PodGroup {
  namespace: string;
  labels: Record<string, string>;
  pods: KubeObject[];
}

const podGroupCache = new WeakMap<object, { version: number; groups: PodGroup[] }>();

/** A cluster's pods grouped by namespace and owner; cached per pods cache version. */
export function podGroups(snapshot: DoctorSnapshot): PodGroup[] {
  const pods = snapshot.kinds.pods;
  const cached = podGroupCache.get(pods.items);
  if (cached && cached.version === pods.version) return cached.groups;
  const byKey = new Map<string, PodGroup>();
  for (const pod of pods.items.values()) {
    const namespace = pod.metadata.namespace ?? '';
    const owner = pod.metadata.ownerReferences?.[0]?.name;
    // Pods of one owner normally share their labels; one whose labels were edited gets its own group.
    let key = owner ? `${namespace}/${owner}` : `${namespace}//${pod.metadata.name}`;
    let group = byKey.get(key);
    if (group && !sameLabels(group.labels, pod.metadata.labels ?? {})) {
      key = `${namespace}//${pod.metadata.name}`;
      group = undefined;
    }
    if (!group) byKey.set(key, (group = { namespace, labels: pod.metadata.labels ?? {}, pods: [] }));
    group.pods.push(pod);
  }
  const groups = [...byKey.values()];
  podGroupCache.set(pods.items, { version: pods.version, groups });
  return groups;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (key !== 'pod-template-hash' && a[key] !== b[key]) return false;
  return true;
}

export function labelsMatch(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const [key, value] of Object.entries(selector)) if (labels?.[key] !== value) return false;
  return true;
}

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
export function objectRef(kind: string, object: { metadata: { namespace?: string; name: string } } | { namespace?: string; name: string }): string {
  const meta = 'metadata' in object ? object.metadata : object;
  return meta.namespace ? `${kind}/${meta.namespace}/${meta.name}` : `${kind}/${meta.name}`;
}
