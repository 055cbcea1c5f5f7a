import type { Column } from '../table/columns.js';
import type { SidecarState, WorkloadRow } from '../../mesh/types.js';

const SIDECAR_TEXT: Record<SidecarState, string> = { injected: '● injected', partial: '▲ partial', missing: '✗ missing', disabled: '○ disabled', none: '- none' };

export const workloadColumns: Column<WorkloadRow>[] = [
  { key: 'cluster', title: 'CLUSTER', width: 8, cut: 'middle', value: (r) => r.cluster },
  { key: 'namespace', title: 'NAMESPACE', width: 9, flex: 1, value: (r) => r.namespace },
  { key: 'name', title: 'WORKLOAD', width: 12, flex: 2, value: (r) => (r.kind === 'Deployment' ? r.name : `${r.name} (${r.kind.toLowerCase()})`) },
  { key: 'version', title: 'VERSION', width: 7, value: (r) => r.version ?? '-', priority: 1 },
  {
    key: 'ready',
    title: 'READY',
    width: 7,
    align: 'right',
    value: (r) => `${r.ready}/${r.total}`,
    tone: (r) => (r.ready === r.total ? undefined : r.ready === 0 ? 'status.error' : 'status.warn'),
  },
  {
    key: 'sidecar',
    title: 'SIDECAR',
    width: 10,
    value: (r) => SIDECAR_TEXT[r.sidecar],
    tone: (r) => (r.sidecar === 'missing' || r.sidecar === 'partial' ? 'status.warn' : r.sidecar === 'injected' ? 'status.ok' : 'status.unknown'),
  },
  { key: 'restarts', title: 'RESTARTS', width: 8, align: 'right', value: (r) => String(r.restarts), tone: (r) => (r.restarts > 0 ? 'status.warn' : undefined), priority: 2 },
];
