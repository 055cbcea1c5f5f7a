import type { ClusterRow, GatewayRow, MeshSummary, WorkloadRow } from './types.js';

/** The counts over gateway and workload rows; they change with the rows, not with the clock. */
export function rowCounts(gateways: GatewayRow[], workloads: WorkloadRow[]): { gatewaysReady: number; workloadsWithoutSidecar: number } {
  let gatewaysReady = 0;
  for (const g of gateways) if (g.desired > 0 && g.ready >= g.desired) gatewaysReady++;
  let workloadsWithoutSidecar = 0;
  for (const w of workloads) if (w.sidecar === 'missing' || w.sidecar === 'partial') workloadsWithoutSidecar++;
  return { gatewaysReady, workloadsWithoutSidecar };
}

export function summarize(clusters: ClusterRow[], gateways: GatewayRow[], workloads: WorkloadRow[], counts = rowCounts(gateways, workloads)): MeshSummary {
  return {
    clustersUp: clusters.filter((c) => c.state === 'synced').length,
    clustersTotal: clusters.length,
    gatewaysReady: counts.gatewaysReady,
    gatewaysTotal: gateways.length,
    workloadsWithoutSidecar: counts.workloadsWithoutSidecar,
    distinctRoots: new Set(clusters.map((c) => c.rootFingerprint).filter(Boolean)).size,
  };
}
