import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { patchInkCache } from '../../scripts/ink-cache-patch.mjs';

// Ink's text caches as installed, and the same files patched as the bundle patches them (written where
// Ink's own imports resolve).
const inkDir = dirname(dirname(createRequire(import.meta.url).resolve('ink')));
const source = (file: string) => readFileSync(join(inkDir, 'build', file), 'utf8');

async function load<T>(file: string): Promise<{ plain: T; patched: T }> {
  const dir = join(inkDir, '..', '.cache', 'meshdeck-ink-cache-patch-test');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), patchInkCache(file, source(file)));
  const plain = ((await import(pathToFileURL(join(inkDir, 'build', file)).href)) as { default: T }).default;
  const patched = ((await import(pathToFileURL(join(dir, file)).href)) as { default: T }).default;
  return { plain, patched };
}

describe('the Ink cache patch (scripts/ink-cache-patch.mjs)', () => {
  it('applies to the installed Ink and bounds both caches; a file it was not written for fails the build', () => {
    expect(patchInkCache('measure-text.js', source('measure-text.js'))).toContain('cache.clear();');
    expect(patchInkCache('wrap-text.js', source('wrap-text.js'))).toContain('cache = {};\n        meshdeckCached = 1;');
    expect(() => patchInkCache('measure-text.js', source('measure-text.js').replace('cache.set(text, dimensions);', 'remember(text, dimensions);'))).toThrow(/review it for this Ink version/);
  });

  it('measures and wraps as Ink does, before and after a cache starts over', async () => {
    const measure = await load<(text: string) => { width: number; height: number }>('measure-text.js');
    const wrap = await load<(text: string, width: number, type: string) => string>('wrap-text.js');
    // 25,000 different texts: each cache starts over twice on the way.
    for (let i = 0; i < 25_000; i++) {
      const text = i % 1000 === 0 ? `\u001B[31mrow ${i} 東京\u001B[39m\nsecond line ${i}` : `row ${i} ${'x'.repeat(i % 40)}`;
      if (i % 997 === 0 || i > 24_990) {
        expect(measure.patched(text)).toEqual(measure.plain(text));
        expect(wrap.patched(text, 12, i % 2 ? 'wrap' : 'truncate-end')).toBe(wrap.plain(text, 12, i % 2 ? 'wrap' : 'truncate-end'));
      } else {
        measure.patched(text);
        wrap.patched(text, 12, 'truncate-end');
      }
    }
    // A text cached before the caches started over is measured and wrapped again, the same.
    const first = '\u001B[31mrow 0 東京\u001B[39m\nsecond line 0';
    expect(measure.patched(first)).toEqual({ width: 13, height: 2 });
    expect(wrap.patched(first, 12, 'truncate-end')).toBe(wrap.plain(first, 12, 'truncate-end'));
  });
});
