import { createContext, useContext } from 'react';
import { PLAIN_THEME, type Theme, type Token } from './tokens.js';

export const ThemeContext = createContext<Theme>(PLAIN_THEME);

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

export function colorOf(theme: Theme, token: Token | undefined): string | undefined {
  return token ? theme.colors[token] : undefined;
}
