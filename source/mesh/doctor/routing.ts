import type { KubeObject } from '../types.js';
import type { Check, Finding } from './types.js';
import { finding } from './codes.js';
import { itemsOf, labelsMatch, objectRef, podGroups, topology, type ClusterFacts } from './topology.js';
import { hostsOverlap } from './gateway-config.js';

type Json = Record<string, unknown>;

const SUFFIX = '.svc.cluster.local';

/** A destination host as Istio resolves it from an object in `namespace`: short names are Kubernetes services. */
export function qualify(host: string, namespace: string): string {
  if (!host.includes('.')) return `${host}.${namespace}${SUFFIX}`;
  const parts = host.split('.');
  if (parts.length === 2) return `${host}${SUFFIX}`;
  if (parts.length === 3 && parts[2] === 'svc') return `${host}.cluster.local`;
  return host;
}

/** What exists somewhere in the mesh: Kubernetes services (FQDN → their objects) and ServiceEntry hosts. */
interface Registry {
  services: Map<string, { cluster: ClusterFacts; service: KubeObject }[]>;
  entryHosts: string[];
}

function registry(clusters: ClusterFacts[]): Registry {
  const services: Registry['services'] = new Map();
  const entryHosts: string[] = [];
  for (const cluster of clusters) {
    for (const service of cluster.snapshot.kinds.services.items.values()) {
      const fqdn = `${service.metadata.name}.${service.metadata.namespace}${SUFFIX}`;
      services.set(fqdn, [...(services.get(fqdn) ?? []), { cluster, service }]);
    }
    for (const entry of itemsOf(cluster.snapshot, 'serviceEntries')) {
      for (const host of ((entry['spec'] as Json | undefined)?.['hosts'] as string[] | undefined) ?? []) entryHosts.push(host);
    }
  }
  return { services, entryHosts };
}

function exists(host: string, reg: Registry): boolean {
  return reg.services.has(host) || reg.entryHosts.some((h) => hostsOverlap(h, host));
}

/** Every destination host a VirtualService routes or mirrors to. */
function destinations(vs: KubeObject): string[] {
  const spec = (vs['spec'] as Json | undefined) ?? {};
  const hosts: string[] = [];
  for (const section of ['http', 'tcp', 'tls'] as const) {
    for (const rule of (spec[section] as Json[] | undefined) ?? []) {
      for (const route of (rule['route'] as Json[] | undefined) ?? []) {
        const host = (route['destination'] as Json | undefined)?.['host'];
        if (typeof host === 'string') hosts.push(host);
      }
      const mirror = (rule['mirror'] as Json | undefined)?.['host'];
      if (typeof mirror === 'string') hosts.push(mirror);
    }
  }
  return [...new Set(hosts)];
}

/** VirtualService destinations and DestinationRule subsets against what runs in every cluster in view. */
export const checkRouting: Check = (snapshots) => {
  const topo = topology(snapshots);
  const withData = topo.clusters.filter((c) => c.hasData);
  // With a cluster out of sight, a "missing" host may live there: say so in the message.
  const partial = withData.length < topo.clusters.length;
  const reg = registry(withData);
  // A ServiceEntry the credentials may not read could define any host outside the cluster domain.
  const entriesHidden = withData.some((c) => c.hidden.has('serviceentries'));
  const out: Finding[] = [];
  const scope = partial ? ` in the clusters that answered (${withData.map((c) => c.name).join(', ')})` : ' in any cluster';
  for (const cluster of withData) {
    for (const vs of itemsOf(cluster.snapshot, 'virtualServices')) {
      const namespace = vs.metadata.namespace ?? 'default';
      const missing = destinations(vs).filter((host) => {
        const fqdn = qualify(host, namespace);
        return !host.includes('*') && !exists(fqdn, reg) && (!entriesHidden || fqdn.endsWith(SUFFIX));
      });
      if (missing.length === 0) continue;
      out.push(
        finding(
          'MD-CFG-001',
          cluster.name,
          objectRef('VirtualService', vs),
          `routes to ${missing.map((h) => (qualify(h, namespace) === h ? h : `${h} (${qualify(h, namespace)})`)).join(', ')}, which exist${missing.length === 1 ? 's' : ''} as no Service or ServiceEntry${scope}: those requests fail with 503 (no healthy upstream)`,
          `fix the destination host (kubectl --context ${cluster.name} -n ${namespace} edit virtualservice ${vs.metadata.name}), or create the Service or a ServiceEntry for it`,
        ),
      );
    }
    // With a cluster away, a subset's pods may well run there: no pods seen is no evidence then.
    if (!partial) for (const dr of itemsOf(cluster.snapshot, 'destinationRules')) out.push(...emptySubsets(cluster, dr, reg, withData, scope));
  }
  return out;
};

function emptySubsets(cluster: ClusterFacts, dr: KubeObject, reg: Registry, clusters: ClusterFacts[], scope: string): Finding[] {
  const spec = (dr['spec'] as Json | undefined) ?? {};
  const subsets = ((spec['subsets'] as Json[] | undefined) ?? []).filter((s) => s['labels'] && Object.keys(s['labels'] as Json).length > 0);
  if (subsets.length === 0 || typeof spec['host'] !== 'string') return [];
  const host = qualify(spec['host'], dr.metadata.namespace ?? 'default');
  const services = reg.services.get(host);
  // Only Kubernetes services: a ServiceEntry's endpoints are not pods we can see.
  if (!services) return [];
  const selectors = services.map(({ service }) => ((service['spec'] as Json | undefined)?.['selector'] as Record<string, string> | undefined) ?? {}).filter((s) => Object.keys(s).length > 0);
  if (selectors.length === 0) return [];
  const namespace = services[0]!.service.metadata.namespace;
  const empty = subsets.filter((subset) => {
    const labels = subset['labels'] as Record<string, string>;
    return !clusters.some((c) => podGroups(c.snapshot).some((g) => g.namespace === namespace && labelsMatch(labels, g.labels) && selectors.some((s) => labelsMatch(s, g.labels))));
  });
  if (empty.length === 0) return [];
  const describe = (s: Json) => `${String(s['name'])} (${Object.entries(s['labels'] as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',')})`;
  return [
    finding(
      'MD-CFG-002',
      cluster.name,
      objectRef('DestinationRule', dr),
      `subset${empty.length === 1 ? '' : 's'} ${empty.map(describe).join(', ')} of ${host} match${empty.length === 1 ? 'es' : ''} no pods${scope}: routes to ${empty.length === 1 ? 'it' : 'them'} fail with 503`,
      `fix the subset labels to match the pods' (kubectl --context ${cluster.name} -n ${namespace} get pods --show-labels), or deploy the missing version`,
    ),
  ];
}
