import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { patchInkInput } from '../../scripts/ink-input-patch.mjs';

const inkDir = dirname(dirname(createRequire(import.meta.url).resolve('ink')));
const original = readFileSync(join(inkDir, 'build', 'hooks', 'use-input.js'), 'utf8');

describe('the Ink input patch (scripts/ink-input-patch.mjs)', () => {
  it('applies to the installed Ink, and refuses a use-input.js it was not written for', () => {
    expect(patchInkInput(original)).toContain("handleData('\\u001B');");
    expect(() => patchInkInput(original.replace('parseKeypress(data)', 'parseKeypress(data, options)'))).toThrow(/review the patch for this Ink version/);
  });

  it('splits Esc from the key read with it, and leaves escape sequences and a lone Esc to Ink', () => {
    const patched = patchInkInput(original);
    const body = patched.slice(patched.indexOf('function meshdeckEscapeThenKey'));
    const splits = new Function(`${body}; return meshdeckEscapeThenKey;`)() as (data: string) => boolean;
    expect(['\u001b:', '\u001bj', '\u001b2', '\u001b😀', '\u001b\u001b', '\u001b\u0003'].map(splits)).toEqual([true, true, true, true, true, true]);
    // A lone Esc, escape sequences, and Alt with Backspace, Enter or an arrow, as terminals send them.
    expect(['\u001b', '\u001b[A', '\u001b[5~', '\u001bOP', '\u001b\u007f', '\u001b\r', '\u001b\u001b[A', ':', 'jj'].map(splits)).toEqual(Array(9).fill(false));
  });
});
