import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { ListSplitter } from '../../source/kube/list-splitter.js';

function split(text: string, cuts: number[]): { items: unknown[]; rest: unknown } {
  const items: unknown[] = [];
  const splitter = new ListSplitter((json) => items.push(JSON.parse(json)));
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    splitter.write(text.slice(at, cut));
    at = cut;
  }
  splitter.write(text.slice(at));
  return { items, rest: JSON.parse(splitter.rest()) };
}

// Strings full of what a scanner trips on: quotes, backslashes, brackets, and characters outside the BMP.
const tricky = fc.stringMatching(/^[a-z"\\{}[\]:,é🙂 ]{0,12}$/);
const value = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, tricky, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(tricky, tie('value'), { maxKeys: 3 })),
})).value;
const item = fc.dictionary(tricky, value, { maxKeys: 4 });

describe('ListSplitter', () => {
  it('hands over every item and keeps the metadata, wherever the chunks are cut', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 6 }), tricky, fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), (items, continueToken, cuts, itemsFirst) => {
        const metadata = { resourceVersion: '42', continue: continueToken };
        const list = itemsFirst ? { items, kind: 'PodList', metadata } : { kind: 'PodList', metadata, items };
        const text = JSON.stringify(list, null, cuts.length % 2 ? 1 : undefined);
        const result = split(text, cuts.map((cut) => cut % (text.length + 1)));
        expect(result.items).toEqual(items);
        expect(result.rest).toEqual({ ...list, items: [] });
      }),
      { numRuns: 400 },
    );
  });

  it('splits a page of 60 simulated pods, as the simulator serves it,, cut into 16 KiB chunks as it arrives over TLS', () => {
    const text = readFileSync(new URL('../fixtures/pod-list-page.json', import.meta.url), 'utf8');
    const cuts = Array.from({ length: Math.floor(text.length / 16_384) }, (_, i) => (i + 1) * 16_384);
    const whole = JSON.parse(text) as { items: unknown[]; metadata: unknown };
    const result = split(text, cuts);
    expect(result.items.length).toBe(whole.items.length);
    expect(result.items).toEqual(whole.items);
    expect(result.rest).toEqual({ ...whole, items: [] });
  });

  it('a list other than a Kubernetes one, or one cut short, is refused, never half taken', () => {
    expect(() => split('{"items":[{"a":1},"b"]}', [])).toThrow(SyntaxError);
    expect(() => split('{"items":[[1]]}', [])).toThrow(SyntaxError);
    const cut = new ListSplitter(() => {});
    cut.write('{"metadata":{},"items":[{"a":"}');
    expect(() => cut.rest()).toThrow(/ended early/);
  });
});
