import { describe, expect, it } from 'vitest';
import { formatLabels, goJson, humanDuration, rfc3339, selectorString } from '../../../source/sim/tables/format.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration', () => {
  it.each([
    [0, '0s'],
    [5 * S, '5s'],
    [119 * S + 999, '119s'],
    [2 * M, '2m'],
    [3 * M + 20 * S, '3m20s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [7 * H + 59 * M, '7h59m'],
    [10 * H + 5 * M, '10h'],
    [47 * H, '47h'],
    [2 * D + 3 * H, '2d3h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D + 5 * H, '8d'],
    [45 * D, '45d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [740 * D, '2y10d'],
    [9 * 365 * D, '9y'],
    [-1 * S, '0s'],
    [-2 * S, '<invalid>'],
  ])('%d ms is %s', (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });
});

describe('label and selector formatting', () => {
  it('sorts labels and prints <none> when empty', () => {
    expect(formatLabels({ version: 'v1', app: 'reviews' })).toBe('app=reviews,version=v1');
    expect(formatLabels(undefined)).toBe('<none>');
  });

  it('renders selectors like labels.Selector.String()', () => {
    expect(
      selectorString({
        matchLabels: { version: 'v1', app: 'reviews' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['web', 'api'] },
          { key: 'canary', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=reviews,!canary,tier in (api,web),version=v1');
    expect(selectorString({})).toBe('');
  });
});

describe('raw values', () => {
  it('formats RFC3339 without fractions and Go zero time when missing', () => {
    expect(rfc3339('2025-01-02T03:04:05.123Z')).toBe('2025-01-02T03:04:05Z');
    expect(rfc3339(undefined)).toBe('0001-01-01T00:00:00Z');
  });

  it('marshals like Go: sorted keys, HTML characters escaped', () => {
    expect(goJson({ b: 1, a: ['<x>&'] })).toBe('{"a":["\\u003cx\\u003e\\u0026"],"b":1}');
  });
});
