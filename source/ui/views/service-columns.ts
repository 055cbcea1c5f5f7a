import type { Column } from '../table/columns.js';
import type { ServicePaneRow } from '../../mesh/types.js';

export const serviceColumns: Column<ServicePaneRow>[] = [
  { key: 'name', title: 'NAMESPACE/NAME', width: 16, flex: 2, value: (r) => r.key },
  { key: 'clusters', title: 'CLUSTERS', width: 10, flex: 1, value: (r) => r.clusters.map((c) => c.cluster).join(',') },
  {
    key: 'endpoints',
    title: 'ENDPOINTS',
    width: 9,
    value: (r) => `${r.endpoints.ready}/${r.endpoints.total}`,
    tone: (r) => (r.endpoints.total > 0 && r.endpoints.ready === 0 ? 'status.error' : r.endpoints.ready < r.endpoints.total ? 'status.warn' : undefined),
  },
  { key: 'networks', title: 'NETWORKS', width: 9, value: (r) => r.networks.join(',') || '-', priority: 2 },
  { key: 'subsets', title: 'SUBSETS', width: 12, flex: 2, value: (r) => r.subsets.map((s) => `${s.name}@${s.placement.filter((p) => p.total > 0).map((p) => p.cluster).join('+') || 'none'}`).join(' ') || '-' },
  { key: 'routing', title: 'ROUTED BY', width: 10, flex: 1, value: (r) => [...r.virtualServices.map((v) => `vs/${v.name}`), ...r.destinationRules.map((d) => `dr/${d.name}`)].join(' ') || '-', priority: 1 },
  {
    key: 'problems',
    title: 'PROBLEMS',
    width: 12,
    flex: 3,
    value: (r) => (r.problems.length === 0 ? '-' : `${r.problems.some((p) => p.severity === 'error') ? '✗' : '▲'} ${r.problems.map((p) => p.message).join('; ')}`),
    tone: (r) => (r.problems.some((p) => p.severity === 'error') ? 'status.error' : r.problems.length > 0 ? 'status.warn' : undefined),
  },
];
