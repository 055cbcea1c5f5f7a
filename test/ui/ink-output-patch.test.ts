import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { patchInkOutput } from '../../scripts/ink-output-patch.mjs';

// Ink's Output as installed, and the same file patched as the bundle patches it (written where Ink's
// own imports resolve), drawing the same frames.
const inkDir = dirname(dirname(createRequire(import.meta.url).resolve('ink')));
const original = readFileSync(join(inkDir, 'build', 'output.js'), 'utf8');

type Transformer = (line: string, index: number) => string;
type OutputClass = new (options: { width: number; height: number }) => {
  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void;
  clip(clip: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
  unclip(): void;
  get(): { output: string; height: number };
  caches: unknown;
};

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

  it('draws what Ink draws for any writes, clips and transformers, frame after frame (rows it drew before included)', async () => {
    const { Plain, Patched } = await load();
    const piece = fc.constantFrom('a', 'row', '✓', '東京', '● up', 'e\u0301', ' ', '…', '');
    const styled = fc.tuple(fc.array(piece, { minLength: 1, maxLength: 6 }), fc.constantFrom('', '\u001B[31m', '\u001B[7m', '\u001B[1m\u001B[32m')).map(([parts, style]) => (style ? `${style}${parts.join('')}\u001B[0m` : parts.join('')));
    const text = fc.array(styled, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));
    const operation = fc.oneof(
      { weight: 6, arbitrary: fc.record({ type: fc.constant('write' as const), x: fc.integer({ min: 0, max: 14 }), y: fc.integer({ min: -2, max: 7 }), text, upper: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ type: fc.constant('clip' as const), x1: fc.integer({ min: 0, max: 8 }), x2: fc.integer({ min: 4, max: 16 }), y1: fc.integer({ min: 0, max: 3 }), y2: fc.integer({ min: 2, max: 6 }), vertical: fc.boolean() }) },
      { weight: 1, arbitrary: fc.constant({ type: 'unclip' as const }) },
    );
    const upper: Transformer = (line) => line.toUpperCase();
    const draw = (O: OutputClass, width: number, operations: Array<Record<string, unknown>>) => {
      const output = new O({ width, height: 5 });
      let open = 0;
      for (const op of operations) {
        if (op['type'] === 'write') output.write(op['x'] as number, op['y'] as number, op['text'] as string, { transformers: op['upper'] ? [upper] : [] });
        else if (op['type'] === 'clip') {
          open++;
          output.clip(op['vertical'] ? { x1: op['x1'] as number, x2: op['x2'] as number, y1: op['y1'] as number, y2: op['y2'] as number } : { x1: op['x1'] as number, x2: op['x2'] as number });
        } else if (open > 0) {
          open--;
          output.unclip();
        }
      }
      return output.get();
    };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }), fc.array(fc.array(operation, { maxLength: 10 }), { minLength: 1, maxLength: 4 }), (width, frames) => {
        // The same frames twice: the second time every row comes from what the patch remembered.
        for (const operations of [...frames, ...frames]) {
          expect(draw(Patched, width, operations)).toEqual(draw(Plain, width, operations));
        }
      }),
      { numRuns: 300 },
    );
  });
});
