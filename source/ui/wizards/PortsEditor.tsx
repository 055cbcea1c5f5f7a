import { Box, Text } from 'ink';
import type { PortsEditorUi } from './ports-editor.js';
import { portFields } from './ports-editor.js';
import { colorOf, useTheme } from '../theme/ThemeContext.js';
import { fitCell } from '../table/fit.js';
import { READONLY_REVIEW_HINT } from './readonly-hint.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The gateway port editor (p): the ports as they are, the edit, and its checks as it is typed. */
export function PortsEditor({ editor: ui, check, width, height, tick, readonly = false }: { editor: PortsEditorUi; check: string[]; width: number; height: number; tick: number; readonly?: boolean }) {
  const theme = useTheme();
  const title = `Ports of gateway ${ui.target.namespace}/${ui.target.name} in ${ui.target.cluster}`;
  const saveHint = ui.formats.length > 0 ? ' · s save the values' : '';
  const hint = ui.save
    ? ui.save.confirmOverwrite
      ? 'y replace the file · Esc pick another name'
      : `Enter write · Tab other format (${ui.save.formats.length}) · Esc cancel`
    : ui.step === 'edit' ? '↑/↓ field · type to edit · space switch · Enter plan · Esc close' : ui.step === 'review' ? (readonly ? `${READONLY_REVIEW_HINT}${saveHint}` : `y apply this plan${saveHint} · Esc back to the edit (nothing has changed yet) · PgUp/PgDn scroll`) : ui.step === 'apply' ? 'applying' : `Enter or Esc close${saveHint}`;
  const rows: { text: string; inverse?: boolean; tone?: 'accent' | 'status.error' | 'status.ok' | 'status.warn' | 'text.muted' }[] = [];
  if (ui.step === 'edit') {
    for (const line of ui.current) rows.push({ text: line, tone: 'text.muted' });
    rows.push({ text: '' });
    portFields(ui).forEach((f, i) => rows.push({ text: `${i === ui.focus ? '▶' : ' '} ${f.label.padEnd(36)} ${f.value}${i === ui.focus && f.kind === 'text' ? '█' : ''}`, inverse: i === ui.focus }));
    rows.push({ text: '' });
    for (const line of check) rows.push({ text: line, ...(line.includes('✗') || /error/i.test(line) ? { tone: 'status.error' as const } : /warn|!/.test(line) ? { tone: 'status.warn' as const } : {}) });
  } else {
    for (const line of ui.lines.slice(ui.scroll)) rows.push({ text: line, ...(line.includes('✗') ? { tone: 'status.error' as const } : line.includes('✓') ? { tone: 'status.ok' as const } : {}) });
  }
  const status = ui.busy ? `${SPINNER[tick % SPINNER.length]} ${ui.busy}` : ui.error ? `✗ ${ui.error}` : ui.notice ? ui.notice.text : ui.step === 'review' && ui.blocked ? '✗ refused: see the reasons above' : '';
  const bad = Boolean(ui.error) || (ui.notice ? !ui.notice.ok : ui.blocked);
  // The path first: a long snippet title is what gets cut on a narrow terminal.
  const prompt = ui.save ? `save to: ${ui.save.path}█   (${ui.save.formats[ui.save.index]!.title})` : undefined;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse color={colorOf(theme, 'border.focus')}>{fitCell(title, width)}</Text>
      <Text color={colorOf(theme, 'text.muted')}>{fitCell(hint, width)}</Text>
      {rows.slice(0, Math.max(1, height - (prompt ? 5 : 4))).map((row, i) => (
        <Text key={i} inverse={row.inverse ?? false} color={colorOf(theme, row.tone)}>
          {fitCell(row.text, width)}
        </Text>
      ))}
      <Box flexGrow={1} />
      {prompt ? <Text color={colorOf(theme, 'accent')}>{fitCell(prompt, width)}</Text> : null}
      <Text color={colorOf(theme, bad ? 'status.error' : ui.notice ? 'status.ok' : 'accent')}>{fitCell(status, width)}</Text>
    </Box>
  );
}
