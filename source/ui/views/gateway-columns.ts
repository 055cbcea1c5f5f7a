import type { Column } from '../table/columns.js';
import type { GatewayRow } from '../../mesh/types.js';

export const gatewayColumns: Column<GatewayRow>[] = [
  { key: 'cluster', title: 'CLUSTER', width: 8, cut: 'middle', value: (r) => r.cluster },
  { key: 'name', title: 'NAMESPACE/NAME', width: 14, flex: 2, value: (r) => `${r.namespace}/${r.name}` },
  { key: 'kind', title: 'KIND', width: 9, value: (r) => r.kind, priority: 1 },
  {
    key: 'ready',
    title: 'READY',
    width: 7,
    value: (r) => `${r.ready >= r.desired && r.desired > 0 ? '●' : '✗'} ${r.ready}/${r.desired}`,
    tone: (r) => (r.ready >= r.desired && r.desired > 0 ? 'status.ok' : 'status.error'),
  },
  { key: 'service', title: 'SERVICE', width: 12, value: (r) => (r.serviceType ? `${r.serviceType} ${r.address ?? ''}`.trim() : '-'), priority: 2 },
  { key: 'ports', title: 'PORTS', width: 12, flex: 3, value: (r) => r.ports.join(', ') || '-' },
  { key: 'gateways', title: 'GATEWAYS', width: 10, flex: 1, value: (r) => r.boundGateways.join(', ') || '-', priority: 1 },
];
