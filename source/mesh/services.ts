import type { ClusterSnapshot, KubeObject } from './types.js';
import { istioIdentity } from './istio-config.js';
import { formatPorts } from './gateways.js';
import { hasProxy, isReady, namespaceWantsInjection } from './workloads.js';
import { networkExposure, serviceProblems } from './service-problems.js';
import {
  CLUSTER_DOMAIN_SUFFIX,
  destinationRuleSpec,
  hostCovers,
  istioItems,
  labelsMatch,
  legacyGlobalHost,
  stringMap,
  virtualServiceDestinations,
  virtualServiceHosts,
  type RouteDestination,
} from './service-routing.js';

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
  const rows = new Map<string, ServiceRow>();
  const labelsOf = new Map<ServicePod, Record<string, string>>();
  const networks = new Map(snapshots.map((s) => [s.name, istioIdentity(s).network]));
  const meshWide = new Map<string, boolean>();
  for (const snapshot of snapshots) {
    const podsByNamespace = groupPods(snapshot);
    for (const service of snapshot.kinds.services.items.values()) {
      const namespace = service.metadata.namespace ?? 'default';
      const row = rowFor(rows, namespace, service.metadata.name);
      const cluster = serviceCluster(snapshot, service, podsByNamespace.get(namespace) ?? [], networks.get(snapshot.name), labelsOf);
      row.clusters.push(cluster);
      const inMesh = cluster.pods.some((p) => p.sidecar) || namespaceWantsInjection(snapshot.kinds.namespaces.items.get(namespace));
      meshWide.set(row.key, (meshWide.get(row.key) ?? false) || inMesh);
    }
  }
  attachLegacyEntries(snapshots, rows);
  const routing = collectRouting(snapshots);
  const exposure = networkExposure(snapshots, networks);
  const clustersWithData = snapshots.filter((s) => s.kinds.pods.items.size > 0 || s.state === 'synced').length;
  for (const row of rows.values()) {
    attachRouting(row, routing);
    finish(row, labelsOf);
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

function groupPods(snapshot: ClusterSnapshot): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  for (const pod of snapshot.kinds.pods.items.values()) {
    const namespace = pod.metadata.namespace ?? 'default';
    let list = out.get(namespace);
    if (!list) out.set(namespace, (list = []));
    list.push(pod);
  }
  return out;
}

function serviceCluster(snapshot: ClusterSnapshot, service: KubeObject, pods: KubeObject[], network: string | undefined, labelsOf: Map<ServicePod, Record<string, string>>): ServiceCluster {
  const spec = (service['spec'] as Json | undefined) ?? {};
  const selector = stringMap(spec['selector']);
  const type = spec['clusterIP'] === 'None' ? 'headless' : String(spec['type'] ?? 'ClusterIP');
  const out: ServiceCluster = { cluster: snapshot.name, ...(network ? { network } : {}), type, ports: formatPorts(service), pods: [] };
  if (Object.keys(selector).length === 0) return out;
  let ready = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp || !labelsMatch(selector, pod.metadata.labels)) continue;
    const phase = (pod['status'] as Json | undefined)?.['phase'];
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const podReady = isReady(pod) && Boolean((pod['status'] as Json | undefined)?.['podIP']);
    if (podReady) ready++;
    const version = pod.metadata.labels?.['version'];
    const entry: ServicePod = { name: pod.metadata.name, ready: podReady, sidecar: hasProxy(pod), ...(version ? { version } : {}), subsets: [] };
    labelsOf.set(entry, pod.metadata.labels ?? {});
    out.pods.push(entry);
  }
  out.pods.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  out.endpoints = { ready, total: out.pods.length };
  return out;
}

interface Routing {
  virtualServices: { object: KubeObject; clusters: string[] }[];
  destinationRules: { object: KubeObject; clusters: string[] }[];
}

/** VirtualServices and DestinationRules of every cluster, one entry per namespace/name. */
function collectRouting(snapshots: readonly ClusterSnapshot[]): Routing {
  const gather = (kind: 'virtualServices' | 'destinationRules') => {
    const byRef = new Map<string, { object: KubeObject; clusters: string[] }>();
    for (const snapshot of snapshots) {
      for (const object of istioItems(snapshot, kind)) {
        const ref = `${object.metadata.namespace ?? 'default'}/${object.metadata.name}`;
        const entry = byRef.get(ref);
        if (entry) entry.clusters.push(snapshot.name);
        else byRef.set(ref, { object, clusters: [snapshot.name] });
      }
    }
    return [...byRef.values()];
  };
  return { virtualServices: gather('virtualServices'), destinationRules: gather('destinationRules') };
}

function attachRouting(row: ServiceRow, routing: Routing): void {
  for (const { object, clusters } of routing.virtualServices) {
    const { hosts, gateways } = virtualServiceHosts(object);
    const all = virtualServiceDestinations(object);
    const destinations = all.filter((d) => d.host === row.fqdn);
    const covered = hosts.some((h) => hostCovers(h, row.fqdn)) && gateways.includes('mesh');
    if (destinations.length === 0 && !covered) continue;
    const namespace = object.metadata.namespace ?? 'default';
    row.virtualServices.push({ ref: `${namespace}/${object.metadata.name}`, namespace, name: object.metadata.name, clusters, hosts, gateways, destinations, otherDestinations: covered ? all.filter((d) => d.host !== row.fqdn) : [] });
  }
  for (const { object, clusters } of routing.destinationRules) {
    const spec = destinationRuleSpec(object);
    if (!spec || !hostCovers(spec.host, row.fqdn)) continue;
    const namespace = object.metadata.namespace ?? 'default';
    const ref = `${namespace}/${object.metadata.name}`;
    row.destinationRules.push({ ref, namespace, name: object.metadata.name, clusters, host: spec.host, policy: spec.policy, subsets: spec.subsets.map((s) => s.name) });
    for (const subset of spec.subsets) {
      const routedBy = row.virtualServices.flatMap((vs) => vs.destinations.filter((d) => d.subset === subset.name).map((d) => ({ virtualService: vs.ref, ...(d.weight !== undefined ? { weight: d.weight } : {}) })));
      row.subsets.push({ name: subset.name, labels: subset.labels, destinationRule: ref, policy: subset.policy, routedBy, placement: [] });
    }
  }
  // The exact host first, as Istio prefers it over wildcards.
  row.destinationRules.sort((a, b) => Number(b.host === row.fqdn) - Number(a.host === row.fqdn));
}

/** Subset membership of each pod, placement per cluster, totals and networks. */
function finish(row: ServiceRow, labelsOf: Map<ServicePod, Record<string, string>>): void {
  const networks = new Set<string>();
  for (const cluster of row.clusters) {
    if (cluster.endpoints) {
      row.endpoints.ready += cluster.endpoints.ready;
      row.endpoints.total += cluster.endpoints.total;
      if (cluster.endpoints.ready > 0 && cluster.network) networks.add(cluster.network);
    }
  }
  for (const subset of row.subsets) {
    for (const cluster of row.clusters) {
      let ready = 0;
      let total = 0;
      for (const pod of cluster.pods) {
        if (!labelsMatch(subset.labels, labelsOf.get(pod))) continue;
        total++;
        if (pod.ready) ready++;
        if (!pod.subsets.includes(subset.name)) pod.subsets.push(subset.name);
      }
      if (total > 0) subset.placement.push({ cluster: cluster.cluster, ...(cluster.network ? { network: cluster.network } : {}), ready, total });
    }
  }
  row.networks = [...networks].sort();
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
 * deriveServiceRows, reused while no cluster's kinds changed: the cockpit asks every frame, the rows
 * change when watch events arrive. The caller owns the cache, as with DerivationCache.
 */
export class ServiceRowsCache {
  private key: string | undefined;
  private rows: ServiceRow[] = [];

  rowsFor(snapshots: readonly ClusterSnapshot[]): ServiceRow[] {
    const key = snapshots.map((s) => `${s.name}:${s.state}:${READ_KINDS.map((k) => s.kinds[k]?.version ?? '-').join('/')}`).join('|');
    if (key !== this.key) {
      this.rows = deriveServiceRows(snapshots);
      this.key = key;
    }
    return this.rows;
  }
}
