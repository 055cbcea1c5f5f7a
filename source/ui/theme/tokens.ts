/** Semantic colour roles; components name a role, never a colour. */
export const TOKENS = [
  'text.primary',
  'text.muted',
  'text.heading',
  'status.ok',
  'status.warn',
  'status.error',
  'status.unknown',
  'row.selected',
  'border.focus',
  'border.idle',
  'accent',
] as const;

export type Token = (typeof TOKENS)[number];

export interface Theme {
  name: string;
  /** A colour per token (Ink colour names or #rrggbb); undefined means the terminal default. */
  colors: Partial<Record<Token, string>>;
  /** Selected rows are drawn inverse in every theme, so selection never depends on colour. */
  selectionInverse: boolean;
}

export const PLAIN_THEME: Theme = { name: 'plain', colors: {}, selectionInverse: true };
