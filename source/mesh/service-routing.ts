import type { ClusterSnapshot, KubeObject } from './types.js';
import type { ServiceRow } from './services.js';
import { qualify } from './doctor/routing.js';

// How Istio routing config names a Kubernetes service: host matching, VirtualService destinations,
// DestinationRule subsets and traffic policies, read from the snapshots' cached objects. Pure.

type Json = Record<string, unknown>;

export const CLUSTER_DOMAIN_SUFFIX = '.svc.cluster.local';

/** Whether a (qualified) Istio host covers a service FQDN: the same name, or a wildcard other than a bare `*`. */
export function hostCovers(host: string, fqdn: string): boolean {
  if (host === fqdn) return true;
  return host.startsWith('*.') && fqdn.endsWith(host.slice(1));
}

/** The objects of an Istio kind the snapshot may lack (kinds the doctor added are optional). */
export function istioItems(snapshot: ClusterSnapshot, kind: 'virtualServices' | 'destinationRules' | 'serviceEntries'): Iterable<KubeObject> {
  return snapshot.kinds[kind]?.items.values() ?? [];
}

export interface RouteDestination {
  /** The destination host, qualified as Istio reads it from the VirtualService's namespace. */
  host: string;
  subset?: string;
  /** As written; absent means the only route gets everything, or an even split. */
  weight?: number;
  port?: number;
  /** `http`, `tcp`, `tls`, or `mirror`. */
  section: 'http' | 'tcp' | 'tls' | 'mirror';
}

/** Every destination of a VirtualService, in order, with hosts qualified. */
export function virtualServiceDestinations(vs: KubeObject): RouteDestination[] {
  const spec = (vs['spec'] as Json | undefined) ?? {};
  const namespace = vs.metadata.namespace ?? 'default';
  const out: RouteDestination[] = [];
  const add = (destination: Json | undefined, section: RouteDestination['section'], weight: unknown) => {
    const host = destination?.['host'];
    if (typeof host !== 'string') return;
    const subset = destination?.['subset'];
    const port = ((destination?.['port'] as Json | undefined) ?? {})['number'];
    out.push({
      host: qualify(host, namespace),
      ...(typeof subset === 'string' && subset !== '' ? { subset } : {}),
      ...(typeof weight === 'number' ? { weight } : {}),
      ...(typeof port === 'number' ? { port } : {}),
      section,
    });
  };
  for (const section of ['http', 'tcp', 'tls'] as const) {
    for (const rule of (spec[section] as Json[] | undefined) ?? []) {
      for (const route of (rule['route'] as Json[] | undefined) ?? []) add(route['destination'] as Json | undefined, section, route['weight']);
      if (rule['mirror']) add(rule['mirror'] as Json, 'mirror', undefined);
    }
  }
  return out;
}

/** The VirtualService's hosts, qualified, and the gateways it binds to (`mesh` when none is named). */
export function virtualServiceHosts(vs: KubeObject): { hosts: string[]; gateways: string[] } {
  const spec = (vs['spec'] as Json | undefined) ?? {};
  const namespace = vs.metadata.namespace ?? 'default';
  const hosts = ((spec['hosts'] as unknown[] | undefined) ?? []).filter((h): h is string => typeof h === 'string').map((h) => (h === '*' ? h : qualify(h, namespace)));
  const gateways = ((spec['gateways'] as unknown[] | undefined) ?? []).filter((g): g is string => typeof g === 'string');
  return { hosts, gateways: gateways.length > 0 ? gateways : ['mesh'] };
}

export interface SubsetSpec {
  name: string;
  labels: Record<string, string>;
  policy: string[];
}

export interface DestinationRuleSpec {
  /** Qualified host. */
  host: string;
  policy: string[];
  subsets: SubsetSpec[];
}

export function destinationRuleSpec(dr: KubeObject): DestinationRuleSpec | undefined {
  const spec = (dr['spec'] as Json | undefined) ?? {};
  if (typeof spec['host'] !== 'string') return undefined;
  const host = spec['host'] === '*' ? '*' : qualify(spec['host'], dr.metadata.namespace ?? 'default');
  const subsets = ((spec['subsets'] as Json[] | undefined) ?? [])
    .filter((s) => typeof s['name'] === 'string')
    .map((s) => ({ name: String(s['name']), labels: stringMap(s['labels']), policy: policySummary(s['trafficPolicy'] as Json | undefined) }));
  return { host, policy: policySummary(spec['trafficPolicy'] as Json | undefined), subsets };
}

/** A traffic policy as short phrases: `tls ISTIO_MUTUAL`, `lb LEAST_REQUEST`, `locality failover`, `outlierDetection`, ... */
export function policySummary(policy: Json | undefined): string[] {
  if (!policy) return [];
  const out: string[] = [];
  const tls = policy['tls'] as Json | undefined;
  if (typeof tls?.['mode'] === 'string') out.push(`tls ${tls['mode']}`);
  const lb = policy['loadBalancer'] as Json | undefined;
  if (typeof lb?.['simple'] === 'string') out.push(`lb ${lb['simple']}`);
  if (lb?.['consistentHash']) out.push('lb consistentHash');
  const locality = lb?.['localityLbSetting'] as Json | undefined;
  if (locality) {
    const kinds = ['failover', 'failoverPriority', 'distribute'].filter((k) => locality[k] !== undefined);
    out.push(locality['enabled'] === false ? 'locality lb off' : `locality lb${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`);
  }
  if (policy['connectionPool']) out.push('connectionPool');
  if (policy['outlierDetection']) out.push('outlierDetection');
  const ports = (policy['portLevelSettings'] as unknown[] | undefined)?.length ?? 0;
  if (ports > 0) out.push(`${ports} port-level setting${ports === 1 ? '' : 's'}`);
  return out;
}

/** The `name.ns` of a legacy Istio 1.6-era multicluster host `name.ns.global`; undefined for other hosts. */
export function legacyGlobalHost(host: string): { name: string; namespace: string } | undefined {
  const match = /^([a-z0-9-]+)\.([a-z0-9-]+)\.global$/.exec(host);
  return match ? { name: match[1]!, namespace: match[2]! } : undefined;
}

export function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Json)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function labelsMatch(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const [key, value] of Object.entries(selector)) if (labels?.[key] !== value) return false;
  return true;
}

// ---- Routing of every cluster, parsed once per derivation and indexed by host ----

interface ParsedVirtualService {
  ref: string;
  namespace: string;
  name: string;
  clusters: string[];
  hosts: string[];
  gateways: string[];
  destinations: RouteDestination[];
}

interface ParsedDestinationRule {
  ref: string;
  namespace: string;
  name: string;
  clusters: string[];
  spec: NonNullable<ReturnType<typeof destinationRuleSpec>>;
}

/** Routing config of every cluster, parsed once and indexed by host (wildcards kept apart). */
export interface Routing {
  /** VirtualServices by each destination host. */
  byDestination: Map<string, ParsedVirtualService[]>;
  /** VirtualServices bound to the mesh, by exact host; those with wildcard hosts in a list. */
  byHost: Map<string, ParsedVirtualService[]>;
  wildcardHosts: ParsedVirtualService[];
  /** DestinationRules by exact host; wildcard ones in a list. */
  rulesByHost: Map<string, ParsedDestinationRule[]>;
  wildcardRules: ParsedDestinationRule[];
  /** Order of first appearance, so a row lists its objects in the clusters' order. */
  order: Map<string, number>;
}

function gather(snapshots: readonly ClusterSnapshot[], kind: 'virtualServices' | 'destinationRules'): { object: KubeObject; clusters: string[]; ref: string }[] {
  const byRef = new Map<string, { object: KubeObject; clusters: string[]; ref: string }>();
  for (const snapshot of snapshots) {
    for (const object of istioItems(snapshot, kind)) {
      const ref = `${object.metadata.namespace ?? 'default'}/${object.metadata.name}`;
      const entry = byRef.get(ref);
      if (entry) entry.clusters.push(snapshot.name);
      else byRef.set(ref, { object, clusters: [snapshot.name], ref });
    }
  }
  return [...byRef.values()];
}

export function indexRouting(snapshots: readonly ClusterSnapshot[]): Routing {
  const routing: Routing = { byDestination: new Map(), byHost: new Map(), wildcardHosts: [], rulesByHost: new Map(), wildcardRules: [], order: new Map() };
  const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const { object, clusters, ref } of gather(snapshots, 'virtualServices')) {
    const { hosts, gateways } = virtualServiceHosts(object);
    const vs: ParsedVirtualService = { ref, namespace: object.metadata.namespace ?? 'default', name: object.metadata.name, clusters, hosts, gateways, destinations: virtualServiceDestinations(object) };
    routing.order.set(`vs:${ref}`, routing.order.size);
    for (const host of new Set(vs.destinations.map((d) => d.host))) push(routing.byDestination, host, vs);
    if (!gateways.includes('mesh')) continue;
    if (hosts.some((h) => h.startsWith('*.'))) routing.wildcardHosts.push(vs);
    for (const host of new Set(hosts.filter((h) => !h.includes('*')))) push(routing.byHost, host, vs);
  }
  for (const { object, clusters, ref } of gather(snapshots, 'destinationRules')) {
    const spec = destinationRuleSpec(object);
    if (!spec) continue;
    const rule: ParsedDestinationRule = { ref, namespace: object.metadata.namespace ?? 'default', name: object.metadata.name, clusters, spec };
    routing.order.set(`dr:${ref}`, routing.order.size);
    if (spec.host.startsWith('*.')) routing.wildcardRules.push(rule);
    else push(routing.rulesByHost, spec.host, rule);
  }
  return routing;
}

export function attachRouting(row: ServiceRow, routing: Routing): void {
  const vss = new Set([...(routing.byDestination.get(row.fqdn) ?? []), ...(routing.byHost.get(row.fqdn) ?? []), ...routing.wildcardHosts.filter((vs) => vs.hosts.some((h) => hostCovers(h, row.fqdn)))]);
  for (const vs of [...vss].sort((a, b) => routing.order.get(`vs:${a.ref}`)! - routing.order.get(`vs:${b.ref}`)!)) {
    const destinations = vs.destinations.filter((d) => d.host === row.fqdn);
    const covered = vs.gateways.includes('mesh') && vs.hosts.some((h) => hostCovers(h, row.fqdn));
    row.virtualServices.push({ ref: vs.ref, namespace: vs.namespace, name: vs.name, clusters: vs.clusters, hosts: vs.hosts, gateways: vs.gateways, destinations, otherDestinations: covered ? vs.destinations.filter((d) => d.host !== row.fqdn) : [] });
  }
  // The exact host first, as Istio prefers it over wildcards.
  const rules = [...(routing.rulesByHost.get(row.fqdn) ?? []), ...routing.wildcardRules.filter((r) => hostCovers(r.spec.host, row.fqdn)).sort((a, b) => routing.order.get(`dr:${a.ref}`)! - routing.order.get(`dr:${b.ref}`)!)];
  for (const { ref, namespace, name, clusters, spec } of rules) {
    row.destinationRules.push({ ref, namespace, name, clusters, host: spec.host, policy: spec.policy, subsets: spec.subsets.map((s) => s.name) });
    for (const subset of spec.subsets) {
      const routedBy = row.virtualServices.flatMap((vs) => vs.destinations.filter((d) => d.subset === subset.name).map((d) => ({ virtualService: vs.ref, ...(d.weight !== undefined ? { weight: d.weight } : {}) })));
      row.subsets.push({ name: subset.name, labels: subset.labels, destinationRule: ref, policy: subset.policy, routedBy, placement: [] });
    }
  }
}
