import type { KubeObject } from '../types.js';
import type { Check, DoctorSnapshot, Finding } from './types.js';
import { finding } from './codes.js';
import { itemsOf, labelsMatch, objectRef, topology, type ClusterFacts } from './topology.js';
import { applicableGateways, gatewaySelector, gatewayServers, hostsOverlap, matchingPodShapes, selectsLabels } from './gateway-config.js';

type Json = Record<string, unknown>;

/** Istio Gateway resources against the gateways they select: selector, Service ports (IST0162), port conflicts. */
export const checkGateways: Check = (snapshots, model) => {
  const topo = topology(snapshots);
  const out: Finding[] = [];
  for (const cluster of topo.clusters) {
    if (!cluster.hasData) continue;
    for (const gateway of itemsOf(cluster.snapshot, 'gateways')) out.push(...checkGateway(gateway, cluster, topo.remotesOf(cluster)));
  }
  // Conflicts: per gateway workload, the Gateways that select it, by port.
  const reported = new Set<string>();
  for (const row of model.gateways) {
    const cluster = topo.byName.get(row.cluster);
    if (!cluster) continue;
    const claims = applicableGateways(topo, cluster)
      .filter(({ gateway }) => selectsLabels(gateway, row.labels))
      .flatMap(({ gateway, from }) => gatewayServers(gateway).map((server) => ({ gateway, from, server })));
    for (let i = 0; i < claims.length; i++) {
      for (let j = i + 1; j < claims.length; j++) {
        const a = claims[i]!;
        const b = claims[j]!;
        if (a.gateway === b.gateway || a.server.port !== b.server.port) continue;
        const host = a.server.hosts.find((h) => b.server.hosts.some((k) => hostsOverlap(h, k)));
        if (host === undefined) continue;
        const key = [b.from.name, objectRef('Gateway', a.gateway), objectRef('Gateway', b.gateway), a.server.port].join('|');
        if (reported.has(key)) continue;
        reported.add(key);
        out.push(
          finding(
            'MD-GW-003',
            b.from.name,
            objectRef('Gateway', b.gateway),
            `claims port ${b.server.port} for ${b.server.hosts.join(', ')} on ${row.namespace}/${row.name} (${row.cluster}), as ${objectRef('Gateway', a.gateway)}${a.from !== b.from ? ` in ${a.from.name}` : ''} does for ${a.server.hosts.join(', ')}; istiod keeps only one of them`,
            `merge the two servers into one Gateway, or give them distinct hosts or ports (istioctl analyze --context=${b.from.name} reports it as IST0145)`,
          ),
        );
      }
    }
  }
  return out;
};

function checkGateway(gateway: KubeObject, cluster: ClusterFacts, remotes: ClusterFacts[]): Finding[] {
  const selector = gatewaySelector(gateway);
  // An empty selector applies to every gateway workload: nothing to match.
  if (Object.keys(selector).length === 0) return [];
  const ref = objectRef('Gateway', gateway);
  const selectorText = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
  const places = [cluster, ...remotes.filter((r) => r.hasData)].map((c) => ({ cluster: c, shapes: matchingPodShapes(c.snapshot, selector) })).filter((p) => p.shapes.length > 0);
  if (places.length === 0) {
    return [
      finding(
        'MD-GW-002',
        cluster.name,
        ref,
        `selector ${selectorText} matches no pods in ${[cluster, ...remotes].map((c) => c.name).join(', ')}: its servers are configured on no gateway`,
        `fix spec.selector to the labels of a gateway's pods (kubectl --context ${cluster.name} get pods -A -l istio --show-labels), or install that gateway`,
      ),
    ];
  }
  // One finding per Gateway: every server port some selected gateway's Service lacks, and those Services.
  const missing = new Set<number>();
  const lacking: string[] = [];
  for (const { cluster: where, shapes } of places) {
    const services = servicesFor(where.snapshot, shapes);
    if (services.length === 0) continue;
    const offered = new Set<number>();
    for (const service of services) for (const port of tcpPorts(service)) (offered.add(port.port), offered.add(port.target));
    const absent = gatewayServers(gateway).filter((s) => !offered.has(s.port)).map((s) => s.port);
    if (absent.length === 0) continue;
    for (const port of absent) missing.add(port);
    lacking.push(...services.map((s) => `${objectRef('Service', s)}${where !== cluster ? ` in ${where.name}` : ''} (${tcpPorts(s).map((p) => (p.port === p.target ? p.port : `${p.port}→${p.target}`)).join(', ')})`));
  }
  if (missing.size === 0) return [];
  const ports = [...missing].sort((a, b) => a - b).join(', ');
  const one = missing.size === 1;
  return [
    finding(
      'MD-GW-001',
      cluster.name,
      ref,
      `server port${one ? '' : 's'} ${ports} ${one ? 'is not a port' : 'are not ports'} of the Service of the gateway it selects (${selectorText}): ${lacking.join('; ')}; no traffic reaches ${one ? 'it' : 'them'} (IST0162)`,
      `add port ${ports} to that Service (or to the gateway's values: service.ports), or change the server to a port the Service exposes`,
    ),
  ];
}

/** Services in the pods' namespaces whose selectors match them (as Istio's IST0162 analyzer finds them). */
function servicesFor(snapshot: DoctorSnapshot, shapes: { namespace: string; labels: Record<string, string> }[]): KubeObject[] {
  const out: KubeObject[] = [];
  for (const service of snapshot.kinds.services.items.values()) {
    const selector = ((service['spec'] as Json | undefined)?.['selector'] as Record<string, string> | undefined) ?? {};
    if (Object.keys(selector).length === 0) continue;
    if (shapes.some((s) => s.namespace === service.metadata.namespace && labelsMatch(selector, s.labels))) out.push(service);
  }
  return out;
}

function tcpPorts(service: KubeObject): { port: number; target: number }[] {
  const ports = ((service['spec'] as Json | undefined)?.['ports'] as Json[] | undefined) ?? [];
  return ports
    .filter((p) => (p['protocol'] ?? 'TCP') === 'TCP')
    .map((p) => ({ port: Number(p['port']), target: typeof p['targetPort'] === 'number' ? p['targetPort'] : Number(p['port']) }));
}
