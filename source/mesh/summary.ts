import type { ClusterRow, GatewayRow, MeshSummary, WorkloadRow } from './types.js';

export function summarize(clusters: ClusterRow[], gateways: GatewayRow[], workloads: WorkloadRow[]): MeshSummary {
  return {
    clustersUp: clusters.filter((c) => c.state === 'synced').length,
    clustersTotal: clusters.length,
    gatewaysReady: gateways.filter((g) => g.desired > 0 && g.ready >= g.desired).length,
    gatewaysTotal: gateways.length,
    workloadsWithoutSidecar: workloads.filter((w) => w.sidecar === 'missing' || w.sidecar === 'partial').length,
    distinctRoots: new Set(clusters.map((c) => c.rootFingerprint).filter(Boolean)).size,
  };
}
