import { Box, Text } from 'ink';
import { KEYMAP } from '../keymap.js';
import { colorOf, useTheme } from '../theme/ThemeContext.js';
import { fitCell } from '../table/fit.js';

/** Every binding, grouped, from the keymap that dispatches (so help cannot drift from behaviour). */
export function HelpOverlay({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const seen = new Set<string>();
  const lines: { text: string; heading?: boolean }[] = [];
  for (const group of ['Navigation', 'Panes', 'Views', 'Logs', 'Wizard', 'General', 'Prompt'] as const) {
    lines.push({ text: group, heading: true });
    for (const binding of KEYMAP.filter((b) => b.group === group)) {
      const id = `${binding.command}:${binding.scope}`;
      if (seen.has(id) || (binding.scope !== 'table' && binding.scope !== 'global' && binding.scope !== 'prompt' && binding.scope !== 'logs' && binding.scope !== 'wizard')) continue;
      seen.add(id);
      lines.push({ text: `  ${binding.keys.join(', ').padEnd(20)} ${binding.description}` });
    }
  }
  lines.push({ text: 'Esc, ? or q closes this help.', heading: false });
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={colorOf(theme, 'text.heading')}>{fitCell('Keys', width)}</Text>
      {lines.slice(0, Math.max(0, height - 1)).map((line, i) => (
        <Text key={i} bold={line.heading ?? false} color={colorOf(theme, line.heading ? 'accent' : 'text.primary')}>
          {fitCell(line.text, width)}
        </Text>
      ))}
    </Box>
  );
}
