import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../source/mesh/filter.js';

// Rows as the workloads pane hands them to the filter: each field on its own.
const rows: (string | undefined)[][] = [
  ['east', 'payments', 'cart', 'payments/cart', 'v1', 'injected'],
  ['west', 'payments', 'cart', 'payments/cart', 'v2', 'missing'],
  ['east', 'shop', 'frontend', 'shop/frontend', undefined, 'none'],
  ['west', 'istio-system', 'istio-ingressgateway', 'istio-system/istio-ingressgateway', undefined, 'injected'],
];
const matching = (text: string) => rows.filter((row) => compileFilter(text).matches(row)).map((row) => `${row[0]}/${row[3]}`);
const all = rows.map((row) => `${row[0]}/${row[3]}`);

describe('compileFilter', () => {
  it.each([
    ['empty: everything', '', all],
    ['plain text, case-insensitive', 'CART', all.slice(0, 2)],
    ['plain text inside a field', 'ingress', [all[3]]],
    ['a regex anchored to one field', '^cart$', all.slice(0, 2)],
    ['anchors do not span fields', '^east payments', []],
    ['a regex alternation', 'missing|none', [all[1], all[2]]],
    ['a dot is a regex (any character)', '^v.$', all.slice(0, 2)],
    ['namespace/name', '^shop/', [all[2]]],
    ['! inverts plain text', '!cart', all.slice(2)],
    ['! inverts a regex', '!^west$', [all[0], all[2]]],
    ['! alone: everything', '!', all],
    ['nothing matches', 'nothing-like-this', []],
  ])('%s', (_scenario, text, expected) => {
    expect(matching(text)).toEqual(expected);
  });

  it('missing fields never match, not even an inverted filter of them', () => {
    expect(compileFilter('undefined').matches(['east', undefined])).toBe(false);
    expect(compileFilter('!undefined').matches(['east', undefined])).toBe(true);
  });

  it.each([
    ['an unclosed group', 'cart(', 'cart('],
    ['an unclosed class', '[istio', '[istio'],
    ['a lone quantifier', '*cart', '*cart'],
  ])('a broken regex (%s) falls back to literal text and says why', (_scenario, text, literal) => {
    const filter = compileFilter(text);
    expect(filter.regexError).toBeTruthy();
    expect(filter.matches(['east', `x${literal}x`])).toBe(true);
    expect(filter.matches(['east', 'cart', 'istio'])).toBe(false);
  });

  it('a broken regex inverted still inverts', () => {
    const filter = compileFilter('!cart(');
    expect(filter.regexError).toBeTruthy();
    expect(filter.matches(['cart('])).toBe(false);
    expect(filter.matches(['cart'])).toBe(true);
  });

  it('keeps the text as typed, and gives the same answer on repeated calls (no sticky regex state)', () => {
    const filter = compileFilter('^east$');
    expect(filter.text).toBe('^east$');
    expect([1, 2, 3].map(() => filter.matches(rows[0]!))).toEqual([true, true, true]);
  });
});
