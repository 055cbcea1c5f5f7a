import type { ClusterSnapshot, KubeObject } from './types.js';
import { istioIdentity } from './istio-config.js';
import { formatPorts } from './gateways.js';
import { hasProxy, isReady, namespaceWantsInjection } from './workloads.js';
import { networkExposure, serviceProblems } from './service-problems.js';
import { attachRouting, CLUSTER_DOMAIN_SUFFIX, indexRouting, istioItems, labelsMatch, legacyGlobalHost, stringMap, type RouteDestination } from './service-routing.js';

export { serviceTree, type ServiceTreeOptions } from './service-tree.js';

type Json = Record<string, unknown>;

/** A pod behind a service in one cluster. */
export interface ServicePod {
  name: string;
  ready: boolean;
  /** Runs istio-proxy. */
  sidecar: boolean;
  version?: string;
  /** The subsets (of the DestinationRules that apply) whose labels it carries. */
  subsets: string[];
}

/** The service as one cluster has it. */
export interface ServiceCluster {
  cluster: string;
  network?: string;
  /** ClusterIP, NodePort, LoadBalancer, ExternalName; `headless` for clusterIP None. */
  type: string;
  ports: string[];
  /**
   * Endpoints: the pods the Service's selector picks (what the endpoints controller publishes),
   * ready ones of all that are not terminating. Undefined for a Service without a selector.
   */
  endpoints?: { ready: number; total: number };
  pods: ServicePod[];
}

/** A VirtualService that routes the service: it names it as a destination, or its hosts cover it. */
export interface ServiceRoute {
  /** namespace/name */
  ref: string;
  namespace: string;
  name: string;
  /** Clusters that hold this VirtualService (config is often applied to every primary). */
  clusters: string[];
  hosts: string[];
  /** Gateways it binds to; `mesh` is the sidecars. */
  gateways: string[];
  /** The destinations that are this service (subset, weight, port). */
  destinations: RouteDestination[];
  /** Destinations elsewhere (when its hosts cover the service but it sends traffic to other hosts). */
  otherDestinations: RouteDestination[];
}

export interface ServiceDestinationRule {
  ref: string;
  namespace: string;
  name: string;
  clusters: string[];
  host: string;
  /** Traffic policy for the whole host: `tls ISTIO_MUTUAL`, `lb ROUND_ROBIN`, `outlierDetection`, ... */
  policy: string[];
  subsets: string[];
}

export interface ServiceSubset {
  name: string;
  labels: Record<string, string>;
  /** The DestinationRule (namespace/name) that defines it. */
  destinationRule: string;
  /** The subset's own traffic policy. */
  policy: string[];
  /** Routes that send traffic to it. */
  routedBy: { virtualService: string; weight?: number }[];
  /** Clusters with pods of this subset, in snapshot order. */
  placement: { cluster: string; network?: string; ready: number; total: number }[];
}

export interface LegacyServiceEntry {
  cluster: string;
  namespace: string;
  name: string;
  hosts: string[];
}

export type ServiceProblemCode = 'single-cluster' | 'subset-without-pods' | 'unknown-subset' | 'network-unreachable' | 'legacy-global';

export interface ServiceProblem {
  code: ServiceProblemCode;
  severity: 'error' | 'warning';
  /** The cluster the problem sits in, when it is one. */
  cluster?: string;
  message: string;
}

/** One service (namespace/name) across every cluster in view. */
export interface ServiceRow {
  /** `namespace/name`: stable while the service exists anywhere. */
  key: string;
  namespace: string;
  name: string;
  fqdn: string;
  /** Clusters that have the Service, in snapshot order. */
  clusters: ServiceCluster[];
  /** Networks with ready endpoints. */
  networks: string[];
  /** Endpoints summed over clusters. */
  endpoints: { ready: number; total: number };
  virtualServices: ServiceRoute[];
  destinationRules: ServiceDestinationRule[];
  subsets: ServiceSubset[];
  legacyServiceEntries: LegacyServiceEntry[];
  problems: ServiceProblem[];
}

/**
 * One row per namespace/name over all clusters: where the Service exists and its endpoints, the
 * VirtualServices and DestinationRules that route it, which subsets have pods in which cluster, and
 * what breaks traffic between clusters. Pure; rows sorted by namespace, then name.
 */
export function deriveServiceRows(snapshots: readonly ClusterSnapshot[]): ServiceRow[] {
  return deriveWithParts(snapshots, new Map());
}

/** What one cluster contributes: its Services with their endpoints; reused while the cluster's data stays. */
interface ClusterPart {
  key: string;
  services: { namespace: string; name: string; cluster: ServiceCluster; inMesh: boolean }[];
}

function clusterPart(snapshot: ClusterSnapshot, network: string | undefined, parts: Map<string, ClusterPart>): ClusterPart {
  const k = snapshot.kinds;
  const key = `${k.pods.version}/${k.services.version}/${k.namespaces.version}/${network ?? ''}`;
  const cached = parts.get(snapshot.name);
  if (cached?.key === key) return cached;
  const index = new PodIndex(snapshot);
  const services: ClusterPart['services'] = [];
  for (const service of k.services.items.values()) {
    const namespace = service.metadata.namespace ?? 'default';
    const cluster = serviceCluster(snapshot, service, index, network);
    const inMesh = cluster.pods.some((p) => p.sidecar) || namespaceWantsInjection(k.namespaces.items.get(namespace));
    services.push({ namespace, name: service.metadata.name, cluster, inMesh });
  }
  const part = { key, services };
  parts.set(snapshot.name, part);
  return part;
}

function deriveWithParts(snapshots: readonly ClusterSnapshot[], parts: Map<string, ClusterPart>): ServiceRow[] {
  const rows = new Map<string, ServiceRow>();
  const networks = new Map(snapshots.map((s) => [s.name, istioIdentity(s).network]));
  const meshWide = new Map<string, boolean>();
  for (const snapshot of snapshots) {
    for (const entry of clusterPart(snapshot, networks.get(snapshot.name), parts).services) {
      const row = rowFor(rows, entry.namespace, entry.name);
      row.clusters.push(entry.cluster);
      if (entry.inMesh) meshWide.set(row.key, true);
    }
  }
  for (const name of parts.keys()) if (!networks.has(name)) parts.delete(name);
  attachLegacyEntries(snapshots, rows);
  const routing = indexRouting(snapshots);
  const exposure = networkExposure(snapshots, networks);
  const clustersWithData = snapshots.filter((s) => s.kinds.pods.items.size > 0 || s.state === 'synced').length;
  for (const row of rows.values()) {
    attachRouting(row, routing);
    finish(row);
    row.problems = serviceProblems(row, { exposure, clustersWithData, inMesh: meshWide.get(row.key) ?? false });
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...rows.values()].sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
}

function rowFor(rows: Map<string, ServiceRow>, namespace: string, name: string): ServiceRow {
  const key = `${namespace}/${name}`;
  let row = rows.get(key);
  if (!row) {
    row = { key, namespace, name, fqdn: `${name}.${namespace}${CLUSTER_DOMAIN_SUFFIX}`, clusters: [], networks: [], endpoints: { ready: 0, total: 0 }, virtualServices: [], destinationRules: [], subsets: [], legacyServiceEntries: [], problems: [] };
    rows.set(key, row);
  }
  return row;
}

/**
 * A cluster's pods by namespace, and by the value of a label within a namespace (built on first use
 * of that label): selecting a service's pods then costs its candidates, not every pod of the namespace.
 */
class PodIndex {
  private readonly byNamespace = new Map<string, KubeObject[]>();
  private readonly byLabel = new Map<string, Map<string, KubeObject[]>>();

  constructor(snapshot: ClusterSnapshot) {
    for (const pod of snapshot.kinds.pods.items.values()) {
      const namespace = pod.metadata.namespace ?? 'default';
      let list = this.byNamespace.get(namespace);
      if (!list) this.byNamespace.set(namespace, (list = []));
      list.push(pod);
    }
  }

  /** Pods of the namespace whose labels match the (non-empty) selector. */
  select(namespace: string, selector: Record<string, string>): KubeObject[] {
    const entries = Object.entries(selector);
    const [key, value] = entries[0]!;
    const id = `${namespace}\u0000${key}`;
    let index = this.byLabel.get(id);
    if (!index) {
      index = new Map();
      for (const pod of this.byNamespace.get(namespace) ?? []) {
        const v = pod.metadata.labels?.[key];
        if (v === undefined) continue;
        let list = index.get(v);
        if (!list) index.set(v, (list = []));
        list.push(pod);
      }
      this.byLabel.set(id, index);
    }
    const candidates = index.get(value) ?? [];
    return entries.length === 1 ? candidates : candidates.filter((pod) => labelsMatch(selector, pod.metadata.labels));
  }
}

// The labels of each pod entry, for subset matching: rows carry no label maps (they can be large).
const podLabels = new WeakMap<ServicePod, Record<string, string>>();

function serviceCluster(snapshot: ClusterSnapshot, service: KubeObject, index: PodIndex, network: string | undefined): ServiceCluster {
  const spec = (service['spec'] as Json | undefined) ?? {};
  const selector = stringMap(spec['selector']);
  const type = spec['clusterIP'] === 'None' ? 'headless' : String(spec['type'] ?? 'ClusterIP');
  const out: ServiceCluster = { cluster: snapshot.name, ...(network ? { network } : {}), type, ports: formatPorts(service), pods: [] };
  if (Object.keys(selector).length === 0) return out;
  let ready = 0;
  for (const pod of index.select(service.metadata.namespace ?? 'default', selector)) {
    if (pod.metadata.deletionTimestamp) continue;
    const phase = (pod['status'] as Json | undefined)?.['phase'];
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const podReady = isReady(pod) && Boolean((pod['status'] as Json | undefined)?.['podIP']);
    if (podReady) ready++;
    const version = pod.metadata.labels?.['version'];
    const entry: ServicePod = { name: pod.metadata.name, ready: podReady, sidecar: hasProxy(pod), ...(version ? { version } : {}), subsets: [] };
    podLabels.set(entry, pod.metadata.labels ?? {});
    out.pods.push(entry);
  }
  out.pods.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  out.endpoints = { ready, total: out.pods.length };
  return out;
}

/**
 * Totals, networks, and for rows with subsets each pod's subsets and each subset's placement. Pod
 * entries may be shared with an earlier derivation (cached per cluster), so they are copied, not changed.
 */
function finish(row: ServiceRow): void {
  const networks = new Set<string>();
  for (const cluster of row.clusters) {
    if (cluster.endpoints) {
      row.endpoints.ready += cluster.endpoints.ready;
      row.endpoints.total += cluster.endpoints.total;
      if (cluster.endpoints.ready > 0 && cluster.network) networks.add(cluster.network);
    }
  }
  row.networks = [...networks].sort();
  if (row.subsets.length === 0) return;
  row.clusters = row.clusters.map((cluster) => ({
    ...cluster,
    pods: cluster.pods.map((pod) => {
      const labels = podLabels.get(pod);
      return { ...pod, subsets: [...new Set(row.subsets.filter((s) => labelsMatch(s.labels, labels)).map((s) => s.name))] };
    }),
  }));
  for (const subset of row.subsets) {
    for (const cluster of row.clusters) {
      const pods = cluster.pods.filter((p) => p.subsets.includes(subset.name));
      if (pods.length > 0) subset.placement.push({ cluster: cluster.cluster, ...(cluster.network ? { network: cluster.network } : {}), ready: pods.filter((p) => p.ready).length, total: pods.length });
    }
  }
}

function attachLegacyEntries(snapshots: readonly ClusterSnapshot[], rows: Map<string, ServiceRow>): void {
  for (const snapshot of snapshots) {
    for (const entry of istioItems(snapshot, 'serviceEntries')) {
      const hosts = (((entry['spec'] as Json | undefined)?.['hosts'] as unknown[] | undefined) ?? []).filter((h): h is string => typeof h === 'string');
      const legacy = hosts.filter((h) => h.endsWith('.global'));
      if (legacy.length === 0) continue;
      const namespace = entry.metadata.namespace ?? 'default';
      const target = legacy.map(legacyGlobalHost).find((t) => t !== undefined) ?? { namespace, name: entry.metadata.name };
      rowFor(rows, target.namespace, target.name).legacyServiceEntries.push({ cluster: snapshot.name, namespace, name: entry.metadata.name, hosts: legacy });
    }
  }
}

/** The kinds the rows are derived from (a change to any of them, in any cluster, derives again). */
const READ_KINDS = ['namespaces', 'pods', 'deployments', 'services', 'gateways', 'istioConfigMaps', 'virtualServices', 'destinationRules', 'serviceEntries'] as const;

/**
 * deriveServiceRows, reused while no cluster's kinds changed; when one cluster's pods or Services
 * change, only that cluster's part is derived again. The cockpit asks every frame; the caller owns the
 * cache, as with DerivationCache.
 */
export class ServiceRowsCache {
  private key: string | undefined;
  private rows: ServiceRow[] = [];
  private readonly parts = new Map<string, ClusterPart>();

  rowsFor(snapshots: readonly ClusterSnapshot[]): ServiceRow[] {
    const key = snapshots.map((s) => `${s.name}:${s.state}:${READ_KINDS.map((k) => s.kinds[k]?.version ?? '-').join('/')}`).join('|');
    if (key !== this.key) {
      this.rows = deriveWithParts(snapshots, this.parts);
      this.key = key;
    }
    return this.rows;
  }
}
