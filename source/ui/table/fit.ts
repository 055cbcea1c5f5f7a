import type { Column } from './columns.js';

const ELLIPSIS = '…';
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Cuts text to `width` display columns, marking a cut with an ellipsis; pads to exactly `width`.
 * `where: 'middle'` (a column's `cut`) keeps both ends (`cluster-11` → `clu…r-11`), for names that differ at the end.
 */
export function fitCell(text: string, width: number, align: 'left' | 'right' = 'left', where: 'end' | 'middle' = 'end'): string {
  if (width <= 0) return '';
  if (where === 'middle' && width > 2 && [...text].length > width) {
    const chars = [...text.replace(/[\r\n\t]/g, ' ')];
    const head = Math.floor((width - 1) / 2);
    return chars.slice(0, head).join('') + ELLIPSIS + chars.slice(chars.length - (width - 1 - head)).join('');
  }
  // Printable ASCII (nearly every cell) is one column per code unit: no code point array per cell.
  if (PRINTABLE_ASCII.test(text)) {
    const cut = text.length > width ? text.slice(0, width - 1) + ELLIPSIS : text;
    if (cut.length === width) return cut;
    return align === 'right' ? cut.padStart(width) : cut.padEnd(width);
  }
  const clean = text.replace(/[\r\n\t]/g, ' ');
  const chars = [...clean];
  const cut = chars.length > width ? chars.slice(0, width - 1).join('') + ELLIPSIS : clean;
  const pad = ' '.repeat(Math.max(0, width - [...cut].length));
  return align === 'right' ? pad + cut : cut + pad;
}

/**
 * Chooses which columns fit in `total` width (one space between columns) and how wide each is:
 * low-priority columns go first, then flexible columns share what is left.
 */
export function layoutColumns<Row>(columns: Column<Row>[], total: number): { column: Column<Row>; width: number }[] {
  let chosen = [...columns];
  const needed = (cols: Column<Row>[]) => cols.reduce((sum, c) => sum + c.width, 0) + Math.max(0, cols.length - 1);
  while (chosen.length > 1 && needed(chosen) > total) {
    const droppable = chosen.filter((c) => (c.priority ?? 0) > 0);
    const victim = droppable.length > 0 ? droppable.reduce((a, b) => ((b.priority ?? 0) >= (a.priority ?? 0) ? b : a)) : chosen[chosen.length - 1]!;
    chosen = chosen.filter((c) => c !== victim);
  }
  const spare = Math.max(0, total - needed(chosen));
  const weights = chosen.reduce((sum, c) => sum + (c.flex ?? 0), 0);
  let given = 0;
  const widths = chosen.map((column) => {
    const extra = weights > 0 ? Math.floor((spare * (column.flex ?? 0)) / weights) : 0;
    given += extra;
    return { column, width: column.width + extra };
  });
  // Rounding leftovers go to the last flexible column (the last column when none is left) so rows fill the pane exactly.
  const last = [...widths].reverse().find((w) => (w.column.flex ?? 0) > 0) ?? widths[widths.length - 1];
  if (last) last.width += spare - given;
  if (needed(chosen) > total && widths.length === 1) widths[0]!.width = total;
  return widths;
}

/** The visible window [start, end) that keeps `selected` on screen, moving as little as possible. */
export function visibleWindow(count: number, height: number, selected: number, previousStart: number): { start: number; end: number } {
  if (height <= 0 || count === 0) return { start: 0, end: 0 };
  let start = Math.min(previousStart, Math.max(0, count - height));
  if (selected < start) start = selected;
  else if (selected >= start + height) start = selected - height + 1;
  start = Math.max(0, start);
  return { start, end: Math.min(count, start + height) };
}
