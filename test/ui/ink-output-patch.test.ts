import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { patchInkOutput } from '../../scripts/ink-output-patch.mjs';

// Ink's Output as installed, and the same file patched as the bundle patches it (written where Ink's
// own imports resolve), drawing the same frames.
const inkDir = dirname(dirname(createRequire(import.meta.url).resolve('ink')));
const original = readFileSync(join(inkDir, 'build', 'output.js'), 'utf8');

type OutputClass = new (options: { width: number; height: number }) => { write(x: number, y: number, text: string, options: { transformers: [] }): void; get(): { output: string }; caches: unknown };

async function load(): Promise<{ Plain: OutputClass; Patched: OutputClass }> {
  const dir = join(inkDir, '..', '.cache', 'meshdeck-ink-output-patch-test');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'output.js');
  writeFileSync(file, patchInkOutput(original));
  const Plain = ((await import(pathToFileURL(join(inkDir, 'build', 'output.js')).href)) as { default: OutputClass }).default;
  const Patched = ((await import(pathToFileURL(file).href)) as { default: OutputClass }).default;
  return { Plain, Patched };
}

const red = (s: string) => `\u001B[31m${s}\u001B[39m`;
const inverse = (s: string) => `\u001B[7m${s}\u001B[27m`;

describe('the Ink output patch (scripts/ink-output-patch.mjs)', () => {
  it('applies to the installed Ink', () => {
    expect(() => patchInkOutput(original)).not.toThrow();
    expect(patchInkOutput(original)).toContain('meshdeckOutputCaches()');
  });

  it('draws the same frames, keeping its caches from one frame to the next', async () => {
    const { Plain, Patched } = await load();
    const frame = (O: OutputClass, offset: number, selected: number) => {
      const output = new O({ width: 40, height: 6 });
      for (let y = 0; y < 6; y++) {
        const text = `row ${y + offset} ${red('● up')} wide ✓ 東京`;
        output.write(0, y, y === selected ? inverse(text) : text, { transformers: [] });
      }
      return output;
    };
    for (const [offset, selected] of [[0, 0], [0, 1], [1, 1], [1, 5], [2, 5]] as const) {
      expect(frame(Patched, offset, selected).get().output).toBe(frame(Plain, offset, selected).get().output);
    }
    expect(frame(Patched, 0, 0).caches).toBe(frame(Patched, 3, 2).caches);
  });
});
