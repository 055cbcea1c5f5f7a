import { Text } from 'ink';
import { footerHints, type Scope } from '../keymap.js';
import { colorOf, useTheme } from '../theme/ThemeContext.js';
import { fitCell } from '../table/fit.js';

export function Footer({ scope, width, message }: { scope: Scope; width: number; message?: { text: string; tone: 'info' | 'error' } | undefined }) {
  const theme = useTheme();
  if (message) {
    return <Text color={colorOf(theme, message.tone === 'error' ? 'status.error' : 'text.primary')}>{fitCell(message.text, width)}</Text>;
  }
  const hints = footerHints(scope).map((h) => `${h.keys} ${h.label}`).join('  ');
  return <Text color={colorOf(theme, 'text.muted')}>{fitCell(hints, width)}</Text>;
}
