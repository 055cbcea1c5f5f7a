import { Box, Text } from 'ink';
import type { ActionFlowUi } from './action-flow.js';
import { colorOf, useTheme } from '../theme/ThemeContext.js';
import { fitCell } from '../table/fit.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function ActionFlow({ flow, width, height, tick }: { flow: ActionFlowUi; width: number; height: number; tick: number }) {
  const theme = useTheme();
  const hint =
    flow.step === 'review' ? (flow.blocked ? '✗ blocked: nothing can be applied · Esc close' : flow.empty ? 'nothing to change · Esc close' : 'y apply this plan · Esc cancel (nothing has changed yet) · PgUp/PgDn scroll') : flow.step === 'apply' ? 'applying, one cluster at a time' : 'Esc or Enter close';
  const status = flow.busy ? `${SPINNER[tick % SPINNER.length]} ${flow.busy}` : flow.ok === false ? '✗ not everything was applied' : flow.step === 'done' ? '✓ done' : '';
  const body = flow.lines.slice(flow.scroll, flow.scroll + Math.max(1, height - 3));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse color={colorOf(theme, 'border.focus')}>{fitCell(flow.title, width)}</Text>
      <Text color={colorOf(theme, flow.blocked ? 'status.error' : 'text.muted')}>{fitCell(hint, width)}</Text>
      {body.map((line, i) => (
        <Text key={i} color={colorOf(theme, line.includes('✗') ? 'status.error' : line.includes('✓') ? 'status.ok' : undefined)}>
          {fitCell(line, width)}
        </Text>
      ))}
      <Box flexGrow={1} />
      <Text color={colorOf(theme, 'accent')}>{fitCell(status, width)}</Text>
    </Box>
  );
}
