import { Box, Text } from 'ink';
import { colorOf, useTheme } from '../theme/ThemeContext.js';
import { fitCell } from '../table/fit.js';

/** Below this the panes, tabs and footer no longer fit in any useful form. */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 12;

export function isTooSmall(columns: number, rows: number): boolean {
  return columns < MIN_COLUMNS || rows < MIN_ROWS;
}

/**
 * What the cockpit shows in a terminal smaller than MIN_COLUMNS × MIN_ROWS: a short message instead of
 * panes squeezed into garbage. Keys keep working (q quits); the cockpit comes back when the window grows.
 */
export function TooSmall({ columns, rows }: { columns: number; rows: number }) {
  const theme = useTheme();
  const lines = [`terminal too small (need at least ${MIN_COLUMNS}×${MIN_ROWS})`, `now ${columns}×${rows}: enlarge it, or q to quit`];
  return (
    <Box flexDirection="column" width={columns} height={Math.max(1, Math.min(lines.length, rows - 1))}>
      {lines.slice(0, Math.max(1, rows - 1)).map((line, i) => (
        <Text key={i} color={colorOf(theme, i === 0 ? 'status.warn' : 'text.muted')}>
          {fitCell(line, columns)}
        </Text>
      ))}
    </Box>
  );
}
