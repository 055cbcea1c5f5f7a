import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderToString } from 'ink';
import { VirtualTable } from '../../../source/ui/table/VirtualTable.js';
import { workloadColumns } from '../../../source/ui/views/workload-columns.js';
import type { WorkloadRow } from '../../../source/mesh/types.js';
import type { Column } from '../../../source/ui/table/columns.js';

const CLUSTERS = ['east', 'west', 'central', 'north', 'south'];
function workloadRows(count: number): WorkloadRow[] {
  return Array.from({ length: count }, (_, i) => {
    const cluster = CLUSTERS[i % CLUSTERS.length]!;
    const name = `app-${String(Math.floor(i / CLUSTERS.length)).padStart(5, '0')}`;
    return { key: `${cluster}/shop/Deployment/${name}`, cluster, namespace: 'shop', name, kind: 'Deployment', version: 'v1', ready: 2, total: 2, sidecar: i % 7 === 0 ? 'missing' : 'injected', restarts: i % 3, pods: [] };
  });
}
const rows = workloadRows(50_000);

function frame(props: { rows: readonly WorkloadRow[]; selectedKey: string | undefined; width: number; height: number; columns?: Column<WorkloadRow>[]; emptyText?: string }) {
  const out = renderToString(<VirtualTable rows={props.rows} columns={props.columns ?? workloadColumns} rowKey={(r) => r.key} selectedKey={props.selectedKey} width={props.width} height={props.height} focused emptyText={props.emptyText} />, { columns: props.width });
  return stripVTControlCharacters(out).split('\n');
}

describe('VirtualTable', () => {
  it.each([
    ['the first row', rows[0]!, 20, 120],
    ['a row in the middle', rows[25_000]!, 20, 120],
    ['the last row', rows[49_999]!, 20, 120],
    ['at 80 columns', rows[31_337]!, 23, 80],
    ['at 40 columns', rows[17]!, 10, 40],
  ])('renders 50,000 rows as exactly `height` lines, with %s on screen', (_scenario, selected, height, width) => {
    const lines = frame({ rows, selectedKey: selected.key, width, height });
    expect(lines).toHaveLength(height);
    expect(lines[0]).toMatch(/^CLUSTER\s+NAMESPACE\s+WORKLOAD/);
    const row = lines.find((line) => line.startsWith(selected.cluster) && line.includes(selected.name));
    expect(row, lines.join('\n')).toBeDefined();
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(width);
  });

  it('at width 80 every line is exactly 80 columns wide (no wrap, no cut without an ellipsis)', () => {
    const long: WorkloadRow = { ...rows[0]!, key: 'east/a-very-long-namespace-name/Deployment/x', namespace: 'a-very-long-namespace-name-for-testing', name: 'a-workload-with-a-really-long-name-that-cannot-fit', version: 'v1.2.3-rc.1+build.5' };
    const lines = frame({ rows: [long, ...rows.slice(0, 30)], selectedKey: long.key, width: 80, height: 12 });
    expect(lines).toHaveLength(12);
    for (const line of lines) expect([...line].length).toBe(80);
    expect(lines[1]).toContain('…');
  });

  it('shows the selected row when the key is unknown (falls back to the first row)', () => {
    const lines = frame({ rows, selectedKey: 'nope', width: 100, height: 5 });
    expect(lines[1]).toMatch(/^east\s+shop\s+app-00000/);
  });

  it('an empty table shows its empty text and keeps its height', () => {
    const lines = frame({ rows: [], selectedKey: undefined, width: 60, height: 6, emptyText: 'no workloads match /^cart$/' });
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/^no workloads match \/\^cart\$\/\s*$/);
  });

  it('fewer rows than lines still gives exactly `height` lines', () => {
    expect(frame({ rows: rows.slice(0, 3), selectedKey: undefined, width: 80, height: 10 })).toHaveLength(10);
  });
});
