import type { Column } from '../table/columns.js';
import type { FindingRow } from '../../mesh/types.js';

const SEVERITY_TEXT = { error: '✗ error', warning: '▲ warning', info: '○ info' } as const;

export const findingColumns: Column<FindingRow>[] = [
  {
    key: 'severity',
    title: 'SEVERITY',
    width: 9,
    value: (r) => SEVERITY_TEXT[r.severity],
    tone: (r) => (r.severity === 'error' ? 'status.error' : r.severity === 'warning' ? 'status.warn' : 'status.unknown'),
  },
  { key: 'code', title: 'CODE', width: 12, value: (r) => r.code },
  { key: 'cluster', title: 'CLUSTER', width: 8, cut: 'middle', value: (r) => r.cluster },
  { key: 'object', title: 'OBJECT', width: 16, flex: 1, value: (r) => r.object, priority: 1 },
  { key: 'message', title: 'MESSAGE', width: 20, flex: 3, value: (r) => r.message },
];
