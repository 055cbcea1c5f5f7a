import { describe, expect, it, vi } from 'vitest';
import { compileFilter, RowFilterCache } from '../../source/mesh/filter.js';

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

describe('RowFilterCache', () => {
  type Row = { fields: (string | undefined)[] };
  const objects: Row[] = rows.map((fields) => ({ fields }));
  const cacheFor = () => new RowFilterCache<Row>((row) => row.fields);

  it.each(['', 'CART', 'ingress', '^cart$', '^east payments', 'missing|none', '!cart', '!^west$', '!', 'undefined', '!undefined', 'cart(', 'east/payments', 'ts/ca'])(
    'keeps what compileFilter matches: %j',
    (text) => {
      expect(cacheFor().filter(objects, text)).toEqual(objects.filter((row) => compileFilter(text).matches(row.fields)));
    },
  );

  it('gives back the list itself for an empty filter, and the same result for the same inputs', () => {
    const cache = cacheFor();
    expect(cache.filter(objects, '')).toBe(objects);
    expect(cache.filter(objects, '!')).toBe(objects);
    const first = cache.filter(objects, 'cart');
    expect(cache.filter(objects, 'cart')).toBe(first);
  });

  it('typing on narrows the previous result, and deleting widens again', () => {
    const haystack = vi.fn((row: Row) => row.fields);
    const cache = new RowFilterCache<Row>(haystack);
    const texts = ['s', 'sh', 'sho', 'sh', 's', ''];
    expect(texts.map((text) => cache.filter(objects, text))).toEqual(texts.map((text) => objects.filter((row) => compileFilter(text).matches(row.fields))));
    // Each row's search text is made once, however many characters are typed.
    expect(haystack).toHaveBeenCalledTimes(objects.length);
  });

  it('a narrowed result follows a new list and another condition', () => {
    const cache = cacheFor();
    expect(cache.filter(objects, 'east').length).toBe(2);
    const more = [...objects, { fields: ['east', 'new'] }];
    expect(cache.filter(more, 'east').length).toBe(3);
    const westOnly = (row: Row) => row.fields[0] === 'west';
    expect(cache.filter(more, 'cart', westOnly)).toEqual([objects[1]]);
    expect(cache.filter(more, '', westOnly)).toEqual([objects[1], objects[3]]);
  });
});
