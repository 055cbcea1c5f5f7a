import type { ClusterRow, ClusterSnapshot, FindingRow, GatewayRow, MeshSummary, ServicePaneRow, WorkloadRow } from './types.js';
import { deriveClusterRow } from './clusters.js';
import { deriveGatewayRows } from './gateways.js';
import { deriveWorkloadRows } from './workloads.js';
import { summarize } from './summary.js';

export interface MeshModel {
  clusters: ClusterRow[];
  gateways: GatewayRow[];
  workloads: WorkloadRow[];
  /** Doctor findings; filled by the caller (the doctor reads the model, so it runs after it). */
  findings: FindingRow[];
  /** Services across clusters; filled by the caller from its ServiceRowsCache. */
  services: ServicePaneRow[];
  summary: MeshSummary;
}

/**
 * Per-cluster derivations keyed by the versions of the kinds they read. The caller owns the cache;
 * a cluster whose pods did not change is not regrouped, which keeps 50,000 pods cheap per frame.
 */
export class DerivationCache {
  readonly gateways = new Map<string, { key: string; rows: GatewayRow[] }>();
  readonly workloads = new Map<string, { key: string; rows: WorkloadRow[] }>();
  /** The merged, sorted lists, reused while no cluster's rows changed. */
  merged: { key: string; gateways: GatewayRow[]; workloads: WorkloadRow[] } | undefined;
}

export function deriveMeshModel(snapshots: ClusterSnapshot[], now: number, cache: DerivationCache): MeshModel {
  const clusters = snapshots.map((s) => deriveClusterRow(s, now));
  const keys: string[] = [];
  for (const snapshot of snapshots) {
    const k = snapshot.kinds;
    const gatewayKey = `${k.deployments.version}/${k.services.version}/${k.gateways.version}`;
    let g = cache.gateways.get(snapshot.name);
    if (!g || g.key !== gatewayKey) {
      g = { key: gatewayKey, rows: deriveGatewayRows(snapshot) };
      cache.gateways.set(snapshot.name, g);
    }
    const workloadKey = `${k.pods.version}/${k.namespaces.version}`;
    let w = cache.workloads.get(snapshot.name);
    if (!w || w.key !== workloadKey) {
      w = { key: workloadKey, rows: deriveWorkloadRows(snapshot) };
      cache.workloads.set(snapshot.name, w);
    }
    keys.push(`${snapshot.name}:${gatewayKey}:${workloadKey}`);
  }
  const mergedKey = keys.join('|');
  if (cache.merged?.key !== mergedKey) {
    const gateways: GatewayRow[] = [];
    const workloads: WorkloadRow[] = [];
    for (const snapshot of snapshots) {
      for (const row of cache.gateways.get(snapshot.name)!.rows) gateways.push(row);
      for (const row of cache.workloads.get(snapshot.name)!.rows) workloads.push(row);
    }
    const order = new Map(snapshots.map((s, i) => [s.name, i]));
    // Plain code-unit comparison: localeCompare is ten times slower and names are ASCII.
    const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    // The same workload in several clusters sorts together, so east and west sit side by side.
    const byPlace = (a: { namespace: string; name: string; cluster: string }, b: { namespace: string; name: string; cluster: string }) =>
      cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || (order.get(a.cluster) ?? 0) - (order.get(b.cluster) ?? 0);
    gateways.sort(byPlace);
    workloads.sort(byPlace);
    cache.merged = { key: mergedKey, gateways, workloads };
  }
  const { gateways, workloads } = cache.merged;
  return { clusters, gateways, workloads, findings: [], services: [], summary: summarize(clusters, gateways, workloads) };
}
