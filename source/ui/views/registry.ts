import type { Column } from '../table/columns.js';
import type { MeshModel } from '../../mesh/model.js';
import { clusterColumns } from './cluster-columns.js';
import { gatewayColumns } from './gateway-columns.js';
import { workloadColumns } from './workload-columns.js';
import { findingColumns } from './finding-columns.js';
import { serviceColumns } from './service-columns.js';

export type PaneId = 'clusters' | 'gateways' | 'workloads' | 'findings' | 'services';

export interface PaneDef<Row extends { key: string; cluster: string }> {
  id: PaneId;
  title: string;
  aliases: string[];
  columns: Column<Row>[];
  rows(model: MeshModel): Row[];
  /** The fields a filter matches against, each on its own. */
  haystack(row: Row): (string | undefined)[];
}

// One entry per pane: what it shows and where its rows come from (k9s' registry, in one table).
export const PANES = {
  clusters: { id: 'clusters', title: 'Clusters', aliases: ['clusters', 'cluster', 'cl'], columns: clusterColumns, rows: (m) => m.clusters, haystack: (r) => [r.cluster, r.role, r.meshId, r.clusterId, r.network, r.problem] },
  gateways: { id: 'gateways', title: 'Gateways', aliases: ['gateways', 'gateway', 'gw'], columns: gatewayColumns, rows: (m) => m.gateways, haystack: (r) => [r.cluster, r.namespace, r.name, `${r.namespace}/${r.name}`, r.kind, ...r.ports, ...r.boundGateways] },
  workloads: { id: 'workloads', title: 'Workloads', aliases: ['workloads', 'workload', 'wl'], columns: workloadColumns, rows: (m) => m.workloads, haystack: (r) => [r.cluster, r.namespace, r.name, `${r.namespace}/${r.name}`, r.version, r.sidecar] },
  findings: { id: 'findings', title: 'Findings', aliases: ['doctor', 'findings', 'fi'], columns: findingColumns, rows: (m) => m.findings, haystack: (r) => [r.cluster, r.code, r.severity, r.object, r.message] },
  services: { id: 'services', title: 'Services', aliases: ['svc', 'services', 'service'], columns: serviceColumns, rows: (m) => m.services, haystack: (r) => [r.key, r.namespace, r.name, ...r.clusters.map((c) => c.cluster), ...r.subsets.map((s) => s.name), ...r.problems.map((p) => p.message)] },
} satisfies {
  clusters: PaneDef<MeshModel['clusters'][number]>;
  gateways: PaneDef<MeshModel['gateways'][number]>;
  workloads: PaneDef<MeshModel['workloads'][number]>;
  findings: PaneDef<MeshModel['findings'][number]>;
  services: PaneDef<MeshModel['services'][number]>;
};

export const PANE_ORDER: PaneId[] = ['clusters', 'gateways', 'workloads', 'findings', 'services'];
