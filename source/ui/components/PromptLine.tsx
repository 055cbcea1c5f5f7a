import { Text } from 'ink';
import { colorOf, useTheme } from '../theme/ThemeContext.js';
import { fitCell } from '../table/fit.js';

export function PromptLine({ prefix, text, width, hint }: { prefix: string; text: string; width: number; hint?: string | undefined }) {
  const theme = useTheme();
  const body = `${prefix}${text}█${hint ? `   ${hint}` : ''}`;
  return <Text color={colorOf(theme, 'accent')}>{fitCell(body, width)}</Text>;
}
