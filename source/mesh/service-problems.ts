import type { ClusterSnapshot } from './types.js';
import type { ServiceProblem, ServiceRow } from './services.js';
import { deriveGatewayRows } from './gateways.js';
import { gatewayServers, rowPorts, selectsLabels } from './doctor/gateway-config.js';

// What breaks traffic to a service across clusters, from its row and the mesh's east-west gateways. Pure.

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'istio-system']);

export type Exposure = { ok: true } | { ok: false; reason: string };

/**
 * Per network, whether traffic from other networks can reach it: an east-west gateway whose Service
 * has 15443, and a Gateway that passes 15443 through (AUTO_PASSTHROUGH, samples/multicluster/expose-services.yaml).
 */
export function networkExposure(snapshots: readonly ClusterSnapshot[], networks: Map<string, string | undefined>): Map<string, Exposure> {
  const out = new Map<string, Exposure>();
  const gatewayResources = snapshots.flatMap((s) => [...s.kinds.gateways.items.values()]);
  for (const network of new Set([...networks.values()].filter((n): n is string => n !== undefined))) {
    const clusters = snapshots.filter((s) => networks.get(s.name) === network);
    const eastWest = clusters.flatMap((s) => deriveGatewayRows(s).filter((g) => g.kind === 'east-west'));
    const withPort = eastWest.filter((g) => rowPorts(g.ports).ports.has(15443));
    const passing = withPort.filter((g) => gatewayResources.some((gw) => selectsLabels(gw, g.labels) && gatewayServers(gw).some((s) => s.port === 15443 && s.tlsMode === 'AUTO_PASSTHROUGH')));
    if (passing.length > 0) out.set(network, { ok: true });
    else if (eastWest.length === 0) out.set(network, { ok: false, reason: `no east-west gateway runs on ${network}` });
    else if (withPort.length === 0) out.set(network, { ok: false, reason: `the east-west gateway's Service on ${network} lacks port 15443` });
    else out.set(network, { ok: false, reason: `no Gateway passes 15443 through (AUTO_PASSTHROUGH) on ${network}'s east-west gateway (samples/multicluster/expose-services.yaml)` });
  }
  return out;
}

export interface ProblemContext {
  exposure: Map<string, Exposure>;
  clustersWithData: number;
  inMesh: boolean;
}

export function serviceProblems(row: ServiceRow, ctx: ProblemContext): ServiceProblem[] {
  const out: ServiceProblem[] = [];
  const display = `${row.namespace}/${row.name}`;
  if (row.clusters.length === 1 && ctx.clustersWithData > 1 && ctx.inMesh && !SYSTEM_NAMESPACES.has(row.namespace)) {
    const only = row.clusters[0]!.cluster;
    out.push({ code: 'single-cluster', severity: 'warning', cluster: only, message: `${display} exists in ${only} only: clients in other clusters cannot resolve ${row.name}.${row.namespace} and never reach it; create the Service in every cluster that calls it` });
  }
  const selected = row.clusters.some((c) => c.endpoints !== undefined);
  if (selected) {
    for (const subset of row.subsets) {
      if (subset.placement.length > 0 || Object.keys(subset.labels).length === 0) continue;
      const labels = Object.entries(subset.labels).map(([k, v]) => `${k}=${v}`).join(',');
      out.push({ code: 'subset-without-pods', severity: 'error', message: `subset ${subset.name} (${labels}) of DestinationRule ${subset.destinationRule} has no pods in any cluster: routes to it fail with 503 (no healthy upstream)` });
    }
  }
  const defined = new Set(row.subsets.map((s) => s.name));
  for (const vs of row.virtualServices) {
    for (const subset of new Set(vs.destinations.map((d) => d.subset).filter((s): s is string => s !== undefined))) {
      if (defined.has(subset)) continue;
      out.push({ code: 'unknown-subset', severity: 'error', message: `VirtualService ${vs.ref} routes to subset ${subset}, which no DestinationRule for ${row.fqdn} defines: those requests fail with 503` });
    }
  }
  const serviceNetworks = new Set(row.clusters.map((c) => c.network).filter((n): n is string => n !== undefined));
  if (serviceNetworks.size > 1) {
    for (const cluster of row.clusters) {
      if (!cluster.network || !cluster.endpoints || cluster.endpoints.ready === 0) continue;
      const exposure = ctx.exposure.get(cluster.network);
      if (!exposure || exposure.ok) continue;
      const others = [...serviceNetworks].filter((n) => n !== cluster.network).sort().join(', ');
      out.push({ code: 'network-unreachable', severity: 'error', cluster: cluster.cluster, message: `endpoints of ${display} in ${cluster.cluster} (${cluster.network}) cannot be reached from ${others}: ${exposure.reason}` });
    }
  }
  for (const entry of row.legacyServiceEntries) {
    out.push({
      code: 'legacy-global',
      severity: 'warning',
      cluster: entry.cluster,
      message: `ServiceEntry ${entry.namespace}/${entry.name} defines ${entry.hosts.join(', ')}, the Istio 1.6-era multicluster naming: since Istio 1.8 services are found across clusters by their own name; call ${row.fqdn} and delete the ServiceEntry`,
    });
  }
  return out;
}
