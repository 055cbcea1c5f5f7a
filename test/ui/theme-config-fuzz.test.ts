import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadTheme, ThemeError, validateTheme } from '../../source/ui/theme/load-theme.js';
import { TOKENS } from '../../source/ui/theme/tokens.js';
import { loadUserConfig } from '../../source/cli/user-config.js';
import { UserError } from '../../source/cli/command.js';

const repo = join(import.meta.dirname, '..', '..');
const SHIPPED = readdirSync(join(repo, 'themes')).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(join(repo, 'themes', f), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'meshdeck-theme-fuzz-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
afterEach(() => {
  expect(warnings.mock.calls.map((c) => String(c[0]))).toEqual([]);
  warnings.mockClear();
});

const yamlPieces = fc.constantFrom(':', ': ', '- ', '  ', '\n', '\t', '"', "'", '{', '}', '[', ']', '&a ', '*a', '<<: *a\n', '!!binary ', '!x ', '---\n', '? ', '|', '#', '~', '__proto__: ', 'colors: ', 'name: ');
const mangle = (base: string) =>
  fc.array(fc.tuple(fc.nat(), fc.oneof(yamlPieces, fc.string({ maxLength: 5 }))), { maxLength: 5 }).map((inserts) => {
    let text = base;
    for (const [at, piece] of inserts) {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + piece + text.slice(i);
    }
    return text;
  });
const colour = fc.oneof(fc.constantFrom('red', 'greenBright', '#00ff00', '#FFF', 'rgb(0,0,0)', '', 'gray'), fc.string({ maxLength: 8 }), fc.integer());
const themeDoc = fc.record(
  { name: fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null)), colors: fc.oneof(fc.dictionary(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 10 })), colour, { maxKeys: 6 }), fc.anything({ maxDepth: 1 })) },
  { requiredKeys: [] },
);

let dirs = 0;
function themeDir(files: Record<string, string>): string {
  const dir = join(scratch, `themes-${++dirs}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A theme loads with only known tokens and drawable colours, or fails with a one-line ThemeError. */
function checkTheme(load: () => ReturnType<typeof loadTheme>): void {
  let theme;
  try {
    theme = load();
  } catch (error) {
    expect(error).toBeInstanceOf(ThemeError);
    expect((error as Error).message, JSON.stringify((error as Error).message)).not.toMatch(CONTROL);
    return;
  }
  expect(validateTheme({ name: theme.name, colors: theme.colors })).toEqual([]);
}

describe('themes: a file or a name of any shape loads or is refused in one line', () => {
  it('the shipped themes are valid', () => {
    expect(SHIPPED.length).toBeGreaterThanOrEqual(3);
    for (const text of SHIPPED) {
      const dir = themeDir({ 't.yaml': text });
      const theme = loadTheme('t', {}, dir);
      expect(Object.keys(theme.colors).sort()).toEqual([...TOKENS].sort());
    }
  });

  it('theme documents with wrong types, unknown tokens and colours Ink cannot draw', () => {
    fc.assert(
      fc.property(themeDoc, (doc) => {
        const dir = themeDir({ 't.yaml': stringify(doc) });
        checkTheme(() => loadTheme('t', {}, dir));
      }),
      { numRuns: 300 },
    );
  });

  it('shipped themes with YAML syntax dropped in anywhere', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SHIPPED).chain(mangle), (text) => {
        const dir = themeDir({ 't.yaml': text });
        checkTheme(() => loadTheme('t', {}, dir));
      }),
      { numRuns: 300 },
    );
  });

  it('any --theme NAME: a theme from the themes directory or a one-line error, never a file elsewhere', () => {
    const parent = themeDir({ 'dark.yaml': SHIPPED[0]! });
    const dir = join(parent, 'themes');
    mkdirSync(dir);
    writeFileSync(join(dir, 'light.yaml'), SHIPPED[1]!);
    // A valid theme file outside the themes directory must not be reachable by name.
    writeFileSync(join(parent, 'outside.yaml'), SHIPPED[0]!.replace(/^name: .*$/m, 'name: outside'));
    for (const name of ['../outside', '../dark', `${parent}/outside`, 'light/../../outside']) {
      expect(() => loadTheme(name, {}, dir), name).toThrow(ThemeError);
    }
    expect(loadTheme('light', {}, dir).name).toBe('light');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('..', '.', '', '/', 'light\n', 'light\u001b[2J', '\u0000light', 'light.yaml')), (name) => {
        checkTheme(() => loadTheme(name, {}, dir));
      }),
      { numRuns: 300 },
    );
  });
});

describe('~/.config/meshdeck/config.yaml: any content gives a config or a one-line UserError', () => {
  let n = 0;
  function load(text: string) {
    const home = join(scratch, `config-${++n}`);
    mkdirSync(join(home, 'meshdeck'), { recursive: true });
    writeFileSync(join(home, 'meshdeck', 'config.yaml'), text);
    return loadUserConfig({ XDG_CONFIG_HOME: home });
  }
  function check(text: string) {
    let config;
    try {
      config = load(text);
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message, JSON.stringify((error as Error).message)).not.toMatch(CONTROL);
      return;
    }
    expect(Object.keys(config).every((k) => k === 'theme')).toBe(true);
    if (config.theme !== undefined) expect(typeof config.theme).toBe('string');
  }

  it('the documented form', () => {
    expect(load('theme: light\n')).toEqual({ theme: 'light' });
    expect(load('')).toEqual({});
    expect(load('# only a comment\n')).toEqual({});
  });

  it('documents of any shape', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything().map((v) => stringify(v) ?? ''), fc.record({ theme: fc.anything({ maxDepth: 1 }) }, { requiredKeys: [] }).map((v) => stringify(v) ?? ''), mangle('theme: light\nother: [1, 2]\n'), fc.string(), fc.string({ unit: 'binary' })), check),
      { numRuns: 400 },
    );
  });
});
