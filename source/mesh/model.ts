import type { ClusterRow, ClusterSnapshot, FindingRow, GatewayRow, MeshSummary, ServicePaneRow, WorkloadRow } from './types.js';
import { deriveClusterRow } from './clusters.js';
import { deriveGatewayRows } from './gateways.js';
import { WorkloadRowsIndex } from './workloads.js';
import { rowCounts, summarize } from './summary.js';

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
 * A cluster regrouped with nothing visible changed (a label the rows do not show) keeps its row
 * objects and its row list, so the merged lists, filters and tables downstream stay as they were.
 */
export class DerivationCache {
  readonly gateways = new Map<string, { key: string; rows: GatewayRow[] }>();
  readonly workloads = new Map<string, { key: string; rows: WorkloadRow[] }>();
  /** Per cluster, the pods read so far, so a change re-reads only the pods that changed. */
  readonly workloadIndexes = new Map<string, WorkloadRowsIndex>();
  /** The merged, sorted lists, reused while no cluster's rows changed, with the counts the summary needs. */
  merged: { key: string; parts: { gateways: GatewayRow[]; workloads: WorkloadRow[] }[]; gateways: GatewayRow[]; workloads: WorkloadRow[]; gatewaysReady: number; workloadsWithoutSidecar: number } | undefined;
  /** Identity numbers of row lists, for the merged key. */
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;

  idOf(rows: object): number {
    let id = this.ids.get(rows);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(rows, id);
    }
    return id;
  }
}

/** The mesh model at `now`; only the cluster rows (ages, retries) depend on the clock. */
export function deriveMeshModel(snapshots: ClusterSnapshot[], now: number, cache: DerivationCache): MeshModel {
  const clusters = snapshots.map((s) => deriveClusterRow(s, now));
  const { gateways, workloads, gatewaysReady, workloadsWithoutSidecar } = deriveMergedRows(snapshots, cache);
  return { clusters, gateways, workloads, findings: [], services: [], summary: summarize(clusters, gateways, workloads, { gatewaysReady, workloadsWithoutSidecar }) };
}

/** Gateways and workloads of every cluster, merged and sorted; recomputed only where versions moved. */
export function deriveMergedRows(snapshots: ClusterSnapshot[], cache: DerivationCache): NonNullable<DerivationCache['merged']> {
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
      let index = cache.workloadIndexes.get(snapshot.name);
      if (!index) cache.workloadIndexes.set(snapshot.name, (index = new WorkloadRowsIndex()));
      w = { key: workloadKey, rows: index.rowsFor(snapshot) };
      cache.workloads.set(snapshot.name, w);
    }
    keys.push(`${snapshot.name}:${cache.idOf(g.rows)}:${cache.idOf(w.rows)}`);
  }
  const mergedKey = keys.join('|');
  const parts = snapshots.map((s) => ({ gateways: cache.gateways.get(s.name)!.rows, workloads: cache.workloads.get(s.name)!.rows }));
  const previous = cache.merged;
  if (previous && previous.key !== mergedKey && previous.parts.length === parts.length) {
    // Rows replaced in place (the same workloads, one showing something new) keep their sorted places.
    const gateways = replaceRows(previous.gateways, previous.parts.map((p) => p.gateways), parts.map((p) => p.gateways));
    const workloads = replaceRows(previous.workloads, previous.parts.map((p) => p.workloads), parts.map((p) => p.workloads));
    if (gateways && workloads) cache.merged = { key: mergedKey, parts, gateways, workloads, ...rowCounts(gateways, workloads) };
  }
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
    cache.merged = { key: mergedKey, parts, gateways, workloads, ...rowCounts(gateways, workloads) };
  }
  return cache.merged!;
}

/**
 * The merged list with each cluster's changed rows swapped in, when every cluster's list holds the
 * same keys in the same order as before; undefined when rows came or went (the caller sorts again).
 */
function replaceRows<Row extends { key: string }>(merged: Row[], before: Row[][], after: Row[][]): Row[] | undefined {
  const swap = new Map<Row, Row>();
  for (let c = 0; c < after.length; c++) {
    const old = before[c]!;
    const next = after[c]!;
    if (old === next) continue;
    if (old.length !== next.length) return undefined;
    for (let i = 0; i < next.length; i++) {
      if (old[i] === next[i]) continue;
      if (old[i]!.key !== next[i]!.key) return undefined;
      swap.set(old[i]!, next[i]!);
    }
  }
  return swap.size === 0 ? merged : merged.map((row) => swap.get(row) ?? row);
}
