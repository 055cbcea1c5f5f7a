import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../../package-root.js';
import { PLAIN_THEME, TOKENS, type Theme, type Token } from './tokens.js';

export class ThemeError extends Error {}

const THEME_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Text from a file or the command line, with control characters escaped so an error stays one harmless line. */
function shown(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const COLOR = /^(#[0-9a-fA-F]{6}|black|red|green|yellow|blue|magenta|cyan|white|gray|grey|blackBright|redBright|greenBright|yellowBright|blueBright|magentaBright|cyanBright|whiteBright)$/;

export function themesDir(): string {
  return join(packageRoot(), 'themes');
}

export function availableThemes(dir = themesDir()): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
  } catch {
    return [];
  }
}

/** Checks a theme document: known tokens only, colours Ink can draw. Returns problems, [] when valid. */
export function validateTheme(doc: unknown): string[] {
  if (typeof doc !== 'object' || doc === null) return ['a theme must be a mapping with name and colors'];
  const problems: string[] = [];
  const { name, colors } = doc as { name?: unknown; colors?: unknown };
  if (typeof name !== 'string' || !name) problems.push('name is required');
  if (typeof colors !== 'object' || colors === null) return [...problems, 'colors must be a mapping of token to colour'];
  for (const [token, value] of Object.entries(colors)) {
    if (!(TOKENS as readonly string[]).includes(token)) problems.push(`unknown token ${shown(token)}`);
    else if (typeof value !== 'string' || !COLOR.test(value)) problems.push(`${token}: ${JSON.stringify(value)} is not a colour`);
  }
  return problems;
}

/** The named theme from themes/, or plain when NO_COLOR is set. */
export function loadTheme(name: string, env: NodeJS.ProcessEnv, dir = themesDir()): Theme {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return PLAIN_THEME;
  if (name === 'plain') return PLAIN_THEME;
  let text: string;
  try {
    // A name, not a path: `--theme ../x` must not read files outside the themes directory.
    if (!THEME_NAME.test(name)) throw new Error('not a theme name');
    text = readFileSync(join(dir, `${name}.yaml`), 'utf8');
  } catch {
    throw new ThemeError(`unknown theme "${shown(name)}" (available: ${['plain', ...availableThemes(dir)].join(', ')}); pick one with --theme NAME`);
  }
  let doc: unknown;
  try {
    doc = parse(text, { logLevel: 'error' });
  } catch (error) {
    throw new ThemeError(`theme ${name} is not valid YAML: ${shown((error as Error).message.split('\n')[0]!)}`);
  }
  const problems = validateTheme(doc);
  if (problems.length > 0) throw new ThemeError(`theme ${name} is invalid: ${problems.join('; ')}`);
  return { name, colors: (doc as { colors: Partial<Record<Token, string>> }).colors, selectionInverse: true };
}
