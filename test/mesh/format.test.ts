import { describe, expect, it } from 'vitest';
import { shortDuration, shortFingerprint } from '../../source/mesh/format.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('shortDuration', () => {
  it.each([
    ['negative (clock skew) is 0s', -5 * s, '0s'],
    ['zero', 0, '0s'],
    ['sub-second rounds down', 999, '0s'],
    ['seconds', 45 * s, '45s'],
    ['just under a minute', 59 * s + 999, '59s'],
    ['a minute', m, '1m'],
    ['minutes and seconds under ten minutes', 3 * m + 20 * s, '3m20s'],
    ['ten minutes drops the seconds', 10 * m + 20 * s, '10m'],
    ['an hour', h, '1h'],
    ['hours and minutes under ten hours', 2 * h + 5 * m, '2h5m'],
    ['ten hours drops the minutes', 10 * h + 5 * m, '10h'],
    ['a day', d, '1d'],
    ['days and hours under eight days', 2 * d + 3 * h, '2d3h'],
    ['eight days drops the hours', 8 * d + 3 * h, '8d'],
    ['a year', 365 * d, '365d'],
  ])('%s: %d ms → %s', (_scenario, ms, text) => {
    expect(shortDuration(ms)).toBe(text);
  });
});

describe('shortFingerprint', () => {
  it.each([
    ['a SHA-256 fingerprint', '63:72:7A:17:85:CA:B4:7A:CE:C5', '63:72:7A:17'],
    ['missing', undefined, '-'],
    ['empty', '', '-'],
  ])('%s', (_scenario, fingerprint, text) => {
    expect(shortFingerprint(fingerprint)).toBe(text);
  });
});
