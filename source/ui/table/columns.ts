import type { Token } from '../theme/tokens.js';

/** A column of a virtual table, in the spirit of ink-table's column list. */
export interface Column<Row> {
  key: string;
  title: string;
  /** Minimum width; flexible columns grow into spare space by their `flex` weight. */
  width: number;
  flex?: number;
  align?: 'left' | 'right';
  /** Where a value too long is cut: at the end (default) or in the middle, for names that differ at the end. */
  cut?: 'end' | 'middle';
  value(row: Row): string;
  /** A colour role for the cell (status cells); the text itself must still say the status. */
  tone?(row: Row): Token | undefined;
  /** Columns with a priority above 0 are dropped first when the pane is narrow. */
  priority?: number;
}
