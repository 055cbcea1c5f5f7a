import { describe, expect, it } from 'vitest';
import { fitCell, layoutColumns, visibleWindow } from '../../../source/ui/table/fit.js';
import type { Column } from '../../../source/ui/table/columns.js';
import { clusterColumns } from '../../../source/ui/views/cluster-columns.js';
import { gatewayColumns } from '../../../source/ui/views/gateway-columns.js';
import { workloadColumns } from '../../../source/ui/views/workload-columns.js';

describe('fitCell', () => {
  it.each([
    ['shorter text is padded', 'east', 8, 'left', 'east    '],
    ['right-aligned text is padded on the left', '3/3', 6, 'right', '   3/3'],
    ['exact width is kept whole', 'payments', 8, 'left', 'payments'],
    ['one too long ends with an ellipsis', 'payments1', 8, 'left', 'payment…'],
    ['much too long', 'istio-ingressgateway', 10, 'left', 'istio-ing…'],
    ['right-aligned and cut', 'istio-ingressgateway', 10, 'right', 'istio-ing…'],
    ['width 1 is just the ellipsis', 'east', 1, 'left', '…'],
    ['width 0 is empty', 'east', 0, 'left', ''],
    ['negative width is empty', 'east', -3, 'left', ''],
    ['empty text is all padding', '', 3, 'left', '   '],
    ['newlines and tabs become spaces, so a cell stays on one line', 'a\nb\tc\rd', 7, 'left', 'a b c d'],
    ['symbols count as one column', '● up', 6, 'left', '● up  '],
    ['astral characters are not split', '🙂🙂🙂', 2, 'left', '🙂…'],
  ] as const)('%s', (_scenario, text, width, align, expected) => {
    const out = fitCell(text, width, align);
    expect(out).toBe(expected);
    expect([...out].length).toBe(Math.max(0, width));
  });
});

describe('fitCell cut in the middle (cluster names)', () => {
  it.each([
    ['names that differ only at the end stay apart', 'cluster-11', 8, 'clu…r-11'],
    ['the next one', 'cluster-12', 8, 'clu…r-12'],
    ['a name that fits is only padded', 'east', 8, 'east    '],
    ['exactly the width', 'us-west1', 8, 'us-west1'],
  ] as const)('%s', (_scenario, text, width, expected) => {
    expect(fitCell(text, width, 'left', 'middle')).toBe(expected);
  });

  it('the cluster columns of workloads, gateways and findings cut in the middle', () => {
    expect(workloadColumns.find((c) => c.key === 'cluster')!.cut).toBe('middle');
    expect(gatewayColumns.find((c) => c.key === 'cluster')!.cut).toBe('middle');
  });
});

const col = (key: string, width: number, extra: Partial<Column<unknown>> = {}): Column<unknown> => ({ key, title: key.toUpperCase(), width, value: () => key, ...extra });
const layoutOf = (columns: Column<unknown>[], total: number) => layoutColumns(columns, total).map(({ column, width }) => `${column.key}:${width}`);
const used = (layout: { width: number }[]) => layout.reduce((sum, c) => sum + c.width, 0) + Math.max(0, layout.length - 1);

describe('layoutColumns', () => {
  const columns = [col('name', 10, { flex: 2 }), col('k8s', 8, { priority: 3 }), col('role', 10), col('mesh', 7, { priority: 2 }), col('id', 10, { priority: 1 }), col('root', 11, { flex: 1 })];
  // minimum: 10+8+10+7+10+11 = 56, plus 5 gaps = 61

  it.each([
    ['everything fits at the minimum', 61, ['name:10', 'k8s:8', 'role:10', 'mesh:7', 'id:10', 'root:11']],
    ['spare width goes to flexible columns by weight, leftovers to the last one', 71, ['name:16', 'k8s:8', 'role:10', 'mesh:7', 'id:10', 'root:15']],
    ['the highest priority number goes first', 60, ['name:15', 'role:10', 'mesh:7', 'id:10', 'root:14']],
    ['then the next', 51, ['name:14', 'role:10', 'id:10', 'root:14']],
    ['then the last droppable', 33, ['name:10', 'role:10', 'root:11']],
    ['then columns from the right, keeping the first', 25, ['name:14', 'role:10']],
    ['one column is cut to the width', 6, ['name:6']],
  ])('%s (width %d)', (_scenario, total, expected) => {
    const layout = layoutColumns(columns, total);
    expect(layout.map(({ column, width }) => `${column.key}:${width}`)).toEqual(expected);
    expect(used(layout)).toBe(total);
  });

  it('never gives a column less than its minimum while more than one column is shown', () => {
    for (let total = 1; total <= 120; total++) for (const { column, width } of layoutColumns(columns, total)) if (layoutColumns(columns, total).length > 1) expect(width).toBeGreaterThanOrEqual(column.width);
  });

  it('fills the width exactly even without flexible columns', () => {
    expect(used(layoutColumns([col('a', 5), col('b', 5)], 20))).toBe(20);
  });

  it.each([
    ['clusters', clusterColumns],
    ['gateways', gatewayColumns],
    ['workloads', workloadColumns],
  ] as const)('the %s pane fills every width from 10 to 250 exactly, never more', (_pane, paneColumns) => {
    for (let total = 10; total <= 250; total++) {
      const layout = layoutColumns(paneColumns as Column<unknown>[], total);
      expect(used(layout), `width ${total}: ${layoutOf(paneColumns as Column<unknown>[], total).join(' ')}`).toBe(total);
    }
  });

  it('keeps the status columns the issue asks for at 80 columns', () => {
    expect(layoutColumns(workloadColumns as Column<unknown>[], 78).map((l) => l.column.key)).toEqual(expect.arrayContaining(['cluster', 'namespace', 'name', 'ready', 'sidecar']));
    expect(layoutColumns(gatewayColumns as Column<unknown>[], 78).map((l) => l.column.key)).toEqual(expect.arrayContaining(['cluster', 'name', 'ready', 'ports']));
    expect(layoutColumns(clusterColumns as Column<unknown>[], 78).map((l) => l.column.key)).toEqual(expect.arrayContaining(['name', 'api', 'role', 'root']));
  });
});

describe('visibleWindow', () => {
  it.each([
    ['no rows', 0, 10, 0, 0, { start: 0, end: 0 }],
    ['no height', 50, 0, 3, 0, { start: 0, end: 0 }],
    ['fewer rows than lines', 5, 10, 4, 0, { start: 0, end: 5 }],
    ['the selection visible: the window stays', 100, 10, 7, 3, { start: 3, end: 13 }],
    ['moving below: scrolls just enough', 100, 10, 13, 3, { start: 4, end: 14 }],
    ['moving above: scrolls just enough', 100, 10, 2, 3, { start: 2, end: 12 }],
    ['jumping to the end', 100, 10, 99, 0, { start: 90, end: 100 }],
    ['jumping to the top', 100, 10, 0, 90, { start: 0, end: 10 }],
    ['rows removed under the window: pulls back to fill the height', 20, 10, 15, 40, { start: 10, end: 20 }],
    ['50,000 rows, the last one', 50_000, 20, 49_999, 0, { start: 49_980, end: 50_000 }],
  ])('%s', (_scenario, count, height, selected, previous, expected) => {
    const window = visibleWindow(count, height, selected, previous);
    expect(window).toEqual(expected);
    if (count > 0 && height > 0) {
      expect(selected).toBeGreaterThanOrEqual(window.start);
      expect(selected).toBeLessThan(window.end);
      expect(window.end - window.start).toBe(Math.min(count, height));
    }
  });
});
