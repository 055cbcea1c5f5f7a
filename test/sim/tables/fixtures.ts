// Shared clock and helpers for the table printer tests.
import type { KubeObject } from '../../../source/sim/objects.js';
import { toTable, type TableInput } from '../../../source/sim/tables/table.js';

export const NOW = new Date('2025-03-01T12:00:00Z');

/** An RFC3339 time the given number of seconds before NOW. */
export function ago(seconds: number): string {
  return new Date(NOW.getTime() - seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

export const MINUTE = 60;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function table(group: string, kind: string, items: KubeObject[], extra: Partial<TableInput> = {}) {
  return toTable({ group, kind, items, now: NOW, includeObject: 'Metadata', resourceVersion: '42', ...extra });
}

interface Column {
  name: string;
  priority: number;
}

/** The header kubectl prints: upper-cased names, wide columns only with -o wide. */
export function headers(result: ReturnType<typeof table>, wide = false): string[] {
  const columns = result.columnDefinitions as unknown as Column[];
  return columns.filter((c) => wide || c.priority === 0).map((c) => c.name.toUpperCase());
}

/** Cells of row `index` as kubectl would show them. */
export function cells(result: ReturnType<typeof table>, index = 0, wide = true): unknown[] {
  const columns = result.columnDefinitions as unknown as Column[];
  const rows = result.rows as unknown as Array<{ cells: unknown[] }>;
  return rows[index]!.cells.filter((_, i) => wide || columns[i]!.priority === 0);
}
