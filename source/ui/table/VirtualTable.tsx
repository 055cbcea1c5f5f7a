import { memo, useRef } from 'react';
import { Box, Text } from 'ink';
import type { Column } from './columns.js';
import { fitCell, layoutColumns, visibleWindow } from './fit.js';
import { colorOf, useTheme } from '../theme/ThemeContext.js';

export interface VirtualTableProps<Row> {
  rows: readonly Row[];
  columns: Column<Row>[];
  rowKey(row: Row): string;
  selectedKey: string | undefined;
  width: number;
  /** Lines for the header plus rows; only this many rows are ever rendered. */
  height: number;
  focused: boolean;
  emptyText?: string;
}

/**
 * A table that renders only the rows that fit: one terminal line per row, cells cut with an ellipsis,
 * so 50,000 rows cost the same to draw as 50.
 */
function VirtualTableImpl<Row>({ rows, columns, rowKey, selectedKey, width, height, focused, emptyText }: VirtualTableProps<Row>) {
  const theme = useTheme();
  const start = useRef(0);
  const layout = layoutColumns(columns, width);
  const bodyHeight = Math.max(0, height - 1);
  const found = selectedKey === undefined ? -1 : rows.findIndex((row) => rowKey(row) === selectedKey);
  const selected = found >= 0 ? found : 0;
  const window = visibleWindow(rows.length, bodyHeight, selected, start.current);
  start.current = window.start;
  const header = layout.map(({ column, width: w }) => fitCell(column.title, w, column.align)).join(' ');
  const lines = [];
  for (let index = window.start; index < window.end; index++) {
    const row = rows[index]!;
    const isSelected = index === selected && focused;
    lines.push(
      <Text key={rowKey(row)} wrap="truncate" inverse={isSelected && theme.selectionInverse} color={isSelected ? colorOf(theme, 'row.selected') : undefined}>
        {layout.map(({ column, width: w }, i) => (
          <Text key={column.key} color={isSelected ? undefined : colorOf(theme, column.tone?.(row))}>
            {(i > 0 ? ' ' : '') + fitCell(column.value(row), w, column.align, column.cut)}
          </Text>
        ))}
      </Text>,
    );
  }
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={colorOf(theme, 'text.heading')} wrap="truncate">
        {header}
      </Text>
      {rows.length === 0 ? <Text color={colorOf(theme, 'text.muted')}>{fitCell(emptyText ?? 'nothing to show', width)}</Text> : lines}
    </Box>
  );
}

export const VirtualTable = memo(VirtualTableImpl) as typeof VirtualTableImpl;
