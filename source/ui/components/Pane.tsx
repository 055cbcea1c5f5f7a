import { Box, Text } from 'ink';
import type { Column } from '../table/columns.js';
import { VirtualTable } from '../table/VirtualTable.js';
import { colorOf, useTheme } from '../theme/ThemeContext.js';
import { fitCell } from '../table/fit.js';

export interface PaneProps<Row extends { key: string }> {
  title: string;
  hotkey: string;
  rows: readonly Row[];
  total: number;
  columns: Column<Row>[];
  selectedKey: string | undefined;
  focused: boolean;
  width: number;
  height: number;
  /** In tab mode the title line lists every pane, the shown one marked. */
  tabs?: string | undefined;
  /** The pane's kept filter, shown in its title so it is never forgotten. */
  filter?: string | undefined;
}

const rowKey = (row: { key: string }) => row.key;

export function Pane<Row extends { key: string }>({ title, hotkey, rows, total, columns, selectedKey, focused, width, height, tabs, filter }: PaneProps<Row>) {
  const theme = useTheme();
  const count = (rows.length === total ? `${total}` : `${rows.length} of ${total}`) + (filter ? ` /${filter}` : '');
  const marker = focused ? '▶' : ' ';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold={focused} inverse={focused} color={colorOf(theme, focused ? 'border.focus' : 'border.idle')}>
        {fitCell(tabs ? `${tabs}   (${count})` : `${marker} ${hotkey} ${title} (${count})`, width)}
      </Text>
      <VirtualTable rows={rows} columns={columns} rowKey={rowKey} selectedKey={selectedKey} width={width} height={height - 1} focused={focused} emptyText="nothing here yet" />
    </Box>
  );
}
