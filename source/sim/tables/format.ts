// Cell formatting shared by the printers. Each function mirrors an apimachinery helper, because
// kubectl prints the server's strings verbatim and tests compare them with real clusters.
import type { JsonValue } from '../objects.js';
import { list, obj, objects, str, stringMap } from './fields.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** duration.HumanDuration: coarser the older it gets, e.g. 5s, 3m20s, 10h, 2d3h, 45d, 2y10d. */
export function humanDuration(ms: number): string {
  // Go converts with int(), which truncates toward zero.
  const seconds = Math.trunc(ms / SECOND);
  // Up to a second in the future counts as now, to absorb clock skew.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** Milliseconds since the epoch, or undefined for a missing or unparsable (Go: zero) time. */
export function parseTime(value: JsonValue | undefined): number | undefined {
  const text = str(value);
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** translateTimestampSince: the AGE cell of built-in printers. */
export function since(value: JsonValue | undefined, now: Date): string {
  const ms = typeof value === 'number' ? value : parseTime(value);
  return ms === undefined ? '<unknown>' : humanDuration(now.getTime() - ms);
}

/** time.RFC3339 in UTC, without fractional seconds; a missing time is Go's zero time. */
export function rfc3339(value: JsonValue | undefined): string {
  const ms = parseTime(value);
  if (ms === undefined) return '0001-01-01T00:00:00Z';
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

function sortedKeys(map: Record<string, string>): string[] {
  return Object.keys(map).sort(byCodePoint);
}

export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** labels.FormatLabels: sorted k=v pairs, or <none>. */
export function formatLabels(value: JsonValue | undefined): string {
  const map = stringMap(value);
  const keys = sortedKeys(map);
  return keys.length === 0 ? '<none>' : keys.map((key) => `${key}=${map[key]}`).join(',');
}

/**
 * labels.Selector.String() of a metav1.LabelSelector: requirements sorted by key, set values
 * sorted. Empty or missing selects everything and prints as ''.
 */
export function selectorString(value: JsonValue | undefined): string {
  const selector = obj(value);
  if (!selector) return '';
  const requirements: Array<{ key: string; text: string }> = [];
  const matchLabels = stringMap(selector.matchLabels);
  for (const key of Object.keys(matchLabels)) requirements.push({ key, text: `${key}=${matchLabels[key]}` });
  for (const expression of objects(selector.matchExpressions)) {
    const key = str(expression.key);
    const values = list(expression.values).map((v) => str(v)).sort(byCodePoint).join(',');
    const operator = str(expression.operator);
    if (operator === 'In') requirements.push({ key, text: `${key} in (${values})` });
    else if (operator === 'NotIn') requirements.push({ key, text: `${key} notin (${values})` });
    else if (operator === 'Exists') requirements.push({ key, text: key });
    else if (operator === 'DoesNotExist') requirements.push({ key, text: `!${key}` });
  }
  return requirements
    .sort((a, b) => byCodePoint(a.key, b.key))
    .map((r) => r.text)
    .join(',');
}

/** metav1.FormatLabelSelector: like selectorString but <none> when it selects everything. */
export function formatSelector(value: JsonValue | undefined): string {
  return selectorString(value) || '<none>';
}

/**
 * Go's json.Marshal of a decoded value: map keys sorted and <, >, & escaped. The CRD table
 * convertor prints list and object cells this way (e.g. VirtualService HOSTS ["reviews"]).
 */
export function goJson(value: JsonValue): string {
  return JSON.stringify(sortKeysDeep(value))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function sortKeysDeep(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  const node = obj(value);
  if (!node) return value;
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(node).sort(byCodePoint)) {
    const entry = node[key];
    if (entry !== undefined) out[key] = sortKeysDeep(entry);
  }
  return out;
}
