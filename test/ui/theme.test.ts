import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { availableThemes, loadTheme, ThemeError, themesDir, validateTheme } from '../../source/ui/theme/load-theme.js';
import { PLAIN_THEME, TOKENS } from '../../source/ui/theme/tokens.js';

const repo = join(import.meta.dirname, '..', '..');
const shipped = readdirSync(join(repo, 'themes')).filter((f) => f.endsWith('.yaml'));
const scratch = mkdtempSync(join(tmpdir(), 'meshdeck-theme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('themes/', () => {
  it('ships dark, light and high-contrast', () => {
    expect(shipped.sort()).toEqual(['dark.yaml', 'high-contrast.yaml', 'light.yaml']);
  });

  it.each(shipped)('%s validates, is named after its file and fills every token', (file) => {
    const doc = parse(readFileSync(join(repo, 'themes', file), 'utf8')) as { name: string; colors: Record<string, string> };
    expect(validateTheme(doc)).toEqual([]);
    expect(doc.name).toBe(file.replace(/\.yaml$/, ''));
    expect(Object.keys(doc.colors).sort()).toEqual([...TOKENS].sort());
    const theme = loadTheme(doc.name, {});
    expect(theme).toEqual({ name: doc.name, colors: doc.colors, selectionInverse: true });
  });

  it('the default directory is the repository’s themes/', () => {
    expect(availableThemes()).toEqual(['dark', 'high-contrast', 'light']);
    expect(readdirSync(themesDir()).length).toBeGreaterThanOrEqual(3);
  });
});

describe('loadTheme', () => {
  it.each([
    ['NO_COLOR=1 selects plain', 'dark', { NO_COLOR: '1' }, 'plain'],
    ['NO_COLOR with any value selects plain, even over an explicit theme', 'high-contrast', { NO_COLOR: 'yes' }, 'plain'],
    ['an empty NO_COLOR is ignored (no-color.org)', 'dark', { NO_COLOR: '' }, 'dark'],
    ['plain by name', 'plain', {}, 'plain'],
  ])('%s', (_scenario, name, env, expected) => {
    expect(loadTheme(name, env).name).toBe(expected);
  });

  it('plain shows selection by inverse video, never by colour alone', () => {
    expect(PLAIN_THEME).toEqual({ name: 'plain', colors: {}, selectionInverse: true });
  });

  it('an unknown theme is a one-line error that names the available ones', () => {
    let error: unknown;
    try {
      loadTheme('solarized', {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ThemeError);
    expect((error as Error).message).toBe('unknown theme "solarized" (available: plain, dark, high-contrast, light); pick one with --theme NAME');
  });

  it.each([
    ['broken YAML', 'name: x\ncolors: [unclosed\n', /^theme broken is not valid YAML: /],
    ['an unknown token and a bad colour', 'name: broken\ncolors:\n  status.fine: green\n  status.ok: "#12345"\n', /^theme broken is invalid: unknown token status\.fine; status\.ok: "#12345" is not a colour$/],
  ])('a theme file with %s is a one-line error', (_scenario, text, message) => {
    const dir = join(scratch, `t${Math.random().toString(36).slice(2)}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'broken.yaml'), text);
    expect(() => loadTheme('broken', {}, dir)).toThrow(message);
    try {
      loadTheme('broken', {}, dir);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('works when meshdeck is installed under a path with a space in it', async () => {
    const root = join(scratch, 'Program Files', 'meshdeck');
    mkdirSync(join(root, 'source', 'ui', 'theme'), { recursive: true });
    for (const file of ['load-theme.ts', 'tokens.ts']) cpSync(join(repo, 'source', 'ui', 'theme', file), join(root, 'source', 'ui', 'theme', file));
    cpSync(join(repo, 'source', 'package-root.ts'), join(root, 'source', 'package-root.ts'));
    cpSync(join(repo, 'package.json'), join(root, 'package.json'));
    cpSync(join(repo, 'themes'), join(root, 'themes'), { recursive: true });
    symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
    const moved = (await import(pathToFileURL(join(root, 'source', 'ui', 'theme', 'load-theme.ts')).href)) as typeof import('../../source/ui/theme/load-theme.js');
    expect(moved.availableThemes()).toEqual(['dark', 'high-contrast', 'light']);
    expect(moved.loadTheme('dark', {}).name).toBe('dark');
  });
});

describe('validateTheme', () => {
  it.each([
    ['not a mapping', 'dark', ['a theme must be a mapping with name and colors']],
    ['no name', { colors: {} }, ['name is required']],
    ['no colors', { name: 'x' }, ['colors must be a mapping of token to colour']],
    ['a hex colour and a named colour', { name: 'x', colors: { accent: '#FF00aa', 'status.ok': 'greenBright' } }, []],
    ['a three-digit hex colour is not accepted', { name: 'x', colors: { accent: '#f0a' } }, ['accent: "#f0a" is not a colour']],
    ['a number is not a colour', { name: 'x', colors: { accent: 3 } }, ['accent: 3 is not a colour']],
  ])('%s', (_scenario, doc, problems) => {
    expect(validateTheme(doc)).toEqual(problems);
  });
});
