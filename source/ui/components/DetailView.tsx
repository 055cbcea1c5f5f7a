import { Box, Text } from 'ink';
import { colorOf, useTheme } from '../theme/ThemeContext.js';
import { fitCell } from '../table/fit.js';

export function DetailView({ title, lines, scroll, width, height }: { title: string; lines: string[] | undefined; scroll: number; width: number; height: number }) {
  const theme = useTheme();
  const body = lines ?? ['loading…'];
  const visible = body.slice(scroll, scroll + Math.max(0, height - 1));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={colorOf(theme, 'text.heading')}>{fitCell(`${title}  (${Math.min(body.length, scroll + 1)}/${body.length}, Esc back)`, width)}</Text>
      {visible.map((line, i) => (
        <Text key={i}>{fitCell(line, width)}</Text>
      ))}
    </Box>
  );
}
