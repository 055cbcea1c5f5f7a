import { Box, Text } from 'ink';
import type { CaWizardUi } from './ca-wizard-state.js';
import { CA_STEPS, formFields } from './ca-wizard-state.js';
import { colorOf, useTheme } from '../theme/ThemeContext.js';
import { fitCell } from '../table/fit.js';
import { READONLY_REVIEW_HINT } from './readonly-hint.js';

const STEP_TITLES = { root: 'Root CA', clusters: 'Clusters', intermediate: 'Intermediates', review: 'Review the plan', apply: 'Apply', verify: 'Verify' } as const;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

const HINTS = {
  root: '↑/↓ field · type to edit · space switch · Enter next · Esc close',
  clusters: '↑/↓ move · space select · Enter next · Esc back',
  intermediate: '↑/↓ field · type to edit · space switch · Enter plan · Esc back',
  review: 'PgUp/PgDn scroll · y apply this plan · Esc back (nothing has changed yet)',
  apply: 'applying: steps run one cluster after another',
  verify: 'Enter or Esc close',
} as const;

/** The CA wizard: one step at a time, what was typed kept when going back. */
export function CaWizard({ wizard: w, width, height, tick, readonly = false }: { wizard: CaWizardUi; width: number; height: number; tick: number; readonly?: boolean }) {
  const theme = useTheme();
  const steps = CA_STEPS.map((s, i) => (s === w.step ? `[${i + 1} ${STEP_TITLES[s]}]` : ` ${i + 1} ${STEP_TITLES[s]} `)).join(' ');
  const lines: { text: string; tone?: 'accent' | 'status.error' | 'status.ok' | 'text.muted' | 'status.warn'; inverse?: boolean }[] = [];
  if (w.step === 'root' || w.step === 'intermediate') {
    formFields(w).forEach((field, i) => {
      const focused = i === w.focus;
      const value = field.kind === 'text' && focused ? `${field.value}█` : field.value;
      lines.push({ text: `${focused ? '▶' : ' '} ${field.label.padEnd(36)} ${value}`, inverse: focused });
      if (focused && field.hint) lines.push({ text: `    ${field.hint}`, tone: 'text.muted' });
    });
  } else if (w.step === 'clusters') {
    if (!w.clusters) lines.push({ text: `${SPINNER[tick % SPINNER.length]} reading the roots the clusters use…`, tone: 'text.muted' });
    else {
      lines.push({ text: `   ${'CONTEXT'.padEnd(14)} ${'ROOT'.padEnd(12)} ${'CA FROM'.padEnd(18)} NOTES`, tone: 'accent' });
      w.clusters.forEach((c, i) => {
        const mark = w.selected.includes(c.cluster) ? '[x]' : '[ ]';
        lines.push({ text: `${mark} ${c.cluster.padEnd(14)} ${(c.root ?? '-').padEnd(12)} ${c.source.padEnd(18)} ${c.sample ? "Istio's sample CA: not for production" : ''}`, inverse: i === w.focus, ...(c.sample ? { tone: 'status.warn' as const } : {}) });
      });
    }
  } else {
    const body = w.lines.slice(w.scroll);
    for (const text of body) lines.push({ text, ...(text.includes('✗') ? { tone: 'status.error' as const } : text.includes('✓') ? { tone: 'status.ok' as const } : {}) });
  }
  const status = w.busy ? `${SPINNER[tick % SPINNER.length]} ${w.busy}` : w.error ? `✗ ${w.error}` : w.step === 'review' && w.blocked ? '✗ blocked: this plan cannot be applied as it stands (Esc to change it)' : w.step === 'review' && w.empty ? 'nothing to change' : '';
  const available = Math.max(1, height - 4);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse color={colorOf(theme, 'border.focus')}>{fitCell(`CA wizard  ${steps}`, width)}</Text>
      <Text color={colorOf(theme, 'text.muted')}>{fitCell(readonly && w.step === 'review' ? READONLY_REVIEW_HINT : HINTS[w.step], width)}</Text>
      {lines.slice(0, available).map((line, i) => (
        <Text key={i} inverse={line.inverse ?? false} color={colorOf(theme, line.tone)}>
          {fitCell(line.text, width)}
        </Text>
      ))}
      <Box flexGrow={1} />
      <Text color={colorOf(theme, w.error || w.blocked ? 'status.error' : 'accent')}>{fitCell(status, width)}</Text>
    </Box>
  );
}
