import { Box, Text } from 'ink';
import type { JoinWizardUi } from './join-wizard.js';
import { JOIN_STEPS, formFieldsOf } from './join-wizard.js';
import { colorOf, useTheme } from '../theme/ThemeContext.js';
import { fitCell } from '../table/fit.js';
import { READONLY_REVIEW_HINT } from './readonly-hint.js';

const TITLES = { pick: 'Clusters', form: 'Names and networks', review: 'Preflight and plan', apply: 'Apply', verify: 'Verify' } as const;
const HINTS = {
  pick: '↑/↓ move · space marks primary → remote → neither · Enter next · Esc close',
  form: '↑/↓ field · type to edit (prefilled from the clusters) · Enter plan · Esc back',
  review: 'PgUp/PgDn scroll · y apply this plan · Esc back (nothing has changed yet)',
  apply: 'applying: remote side, then primary side, then waiting for istiod',
  verify: 'Enter or Esc close',
} as const;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The join wizard (`:join`). */
export function JoinWizard({ wizard: w, width, height, tick, readonly = false }: { wizard: JoinWizardUi; width: number; height: number; tick: number; readonly?: boolean }) {
  const theme = useTheme();
  const steps = JOIN_STEPS.map((s, i) => (s === w.step ? `[${i + 1} ${TITLES[s]}]` : ` ${i + 1} ${TITLES[s]} `)).join(' ');
  const rows: { text: string; inverse?: boolean; tone?: 'accent' | 'status.error' | 'status.ok' | 'text.muted' }[] = [];
  if (w.step === 'pick') {
    rows.push({ text: `        ${'CONTEXT'.padEnd(14)} ${'ROLE'.padEnd(11)} ${'NETWORK'.padEnd(10)} ${'ROOT'.padEnd(12)} REMOTES`, tone: 'accent' });
    (w.clusters ?? []).forEach((c, i) => {
      const mark = w.primary === c.cluster ? 'PRIMARY' : w.remote === c.cluster ? 'REMOTE ' : '       ';
      rows.push({ text: `${mark} ${c.cluster.padEnd(14)} ${c.role.padEnd(11)} ${(c.network ?? '-').padEnd(10)} ${(c.root ?? '-').padEnd(12)} ${c.error ? `unreachable: ${c.error}` : c.remotes.join(',') || '-'}`, inverse: i === w.focus });
    });
  } else if (w.step === 'form') {
    rows.push({ text: `primary ${w.primary} ← remote ${w.remote}`, tone: 'accent' });
    formFieldsOf(w).forEach((f, i) => rows.push({ text: `${i === w.focus ? '▶' : ' '} ${f.label.padEnd(34)} ${f.value}${i === w.focus ? '█' : ''}`, inverse: i === w.focus }));
  } else {
    for (const text of w.lines.slice(w.scroll)) rows.push({ text, ...(text.includes('✗') || text.includes('FAIL') ? { tone: 'status.error' as const } : text.includes('✓') || text.includes('PASS') ? { tone: 'status.ok' as const } : {}) });
  }
  const status = w.busy ? `${SPINNER[tick % SPINNER.length]} ${w.busy}` : w.error ? `✗ ${w.error}` : w.step === 'review' && w.blocked ? '✗ a preflight check failed: nothing can be applied' : w.step === 'review' && w.empty ? 'already joined: nothing to change' : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse color={colorOf(theme, 'border.focus')}>{fitCell(`Join wizard  ${steps}`, width)}</Text>
      <Text color={colorOf(theme, 'text.muted')}>{fitCell(readonly && w.step === 'review' ? READONLY_REVIEW_HINT : HINTS[w.step], width)}</Text>
      {rows.slice(0, Math.max(1, height - 4)).map((row, i) => (
        <Text key={i} inverse={row.inverse ?? false} color={colorOf(theme, row.tone)}>
          {fitCell(row.text, width)}
        </Text>
      ))}
      <Box flexGrow={1} />
      <Text color={colorOf(theme, w.error || w.blocked ? 'status.error' : 'accent')}>{fitCell(status, width)}</Text>
    </Box>
  );
}
