import type { AccessLogEntry, ParsedLine } from './types.js';

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';

export interface SummarySnapshot {
  /** Access-log records (HTTP requests and TCP connections) per second over the window. */
  requestsPerSecond: number;
  /** Shares (0..1) of those records by response code class; TCP connections (code 0) count in none. */
  share2xx: number;
  share4xx: number;
  share5xx: number;
  /** Response flags in the window, most frequent first (ties by name). */
  topFlags: { flag: string; count: number }[];
}

/** Whether an access-log record's response code is in the class (`5xx`: 500-599). Raw lines never are. */
export function statusClassMatches(entry: ParsedLine, cls: StatusClass): boolean {
  if (entry.kind !== 'access') return false;
  const code = (entry as AccessLogEntry).responseCode;
  if (code === undefined) return false;
  const base = CLASS_BASE[cls];
  return code >= base && code < base + 100;
}

const CLASS_BASE: Record<StatusClass, number> = { '2xx': 200, '3xx': 300, '4xx': 400, '5xx': 500 };

const WINDOW_SECONDS = 60;
/** Distinct flags kept per second; more than this in one second are counted under OTHER_FLAGS. */
const MAX_FLAGS_PER_SECOND = 40;
const OTHER_FLAGS = 'other';

// Counters per bucket, at bucket * COUNTERS + ...
const TOTAL = 0;
const C2XX = 1;
const C4XX = 2;
const C5XX = 3;
const COUNTERS = 4;

/**
 * Requests per second, status-class shares and top response flags over the last 60 seconds.
 * One bucket per second in a ring of 60, so memory stays the same however many lines arrive.
 * Time is passed in (`atMs`, `nowMs`): the caller's clock, or the lines' own times.
 */
export class RollingSummary {
  private readonly seconds = new Float64Array(WINDOW_SECONDS).fill(Number.NEGATIVE_INFINITY);
  private readonly counts = new Float64Array(WINDOW_SECONDS * COUNTERS);
  private readonly flags: (Map<string, number> | undefined)[] = new Array(WINDOW_SECONDS).fill(undefined);
  private firstSecond = Number.POSITIVE_INFINITY;
  private newestSecond = Number.NEGATIVE_INFINITY;

  /** Counts one line (raw lines are ignored) at time `atMs`. Lines older than the window are dropped. */
  add(entry: ParsedLine, atMs: number): void {
    if (entry.kind !== 'access' || !Number.isFinite(atMs)) return;
    const second = Math.floor(atMs / 1000);
    if (second <= this.newestSecond - WINDOW_SECONDS) return;
    if (second > this.newestSecond) this.newestSecond = second;
    if (second < this.firstSecond) this.firstSecond = second;
    const slot = ((second % WINDOW_SECONDS) + WINDOW_SECONDS) % WINDOW_SECONDS;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.counts.fill(0, slot * COUNTERS, slot * COUNTERS + COUNTERS);
      this.flags[slot]?.clear();
    }
    const base = slot * COUNTERS;
    this.counts[base + TOTAL]!++;
    const code = entry.responseCode;
    if (code !== undefined) {
      if (code >= 200 && code < 300) this.counts[base + C2XX]!++;
      else if (code >= 400 && code < 500) this.counts[base + C4XX]!++;
      else if (code >= 500 && code < 600) this.counts[base + C5XX]!++;
    }
    const flags = entry.responseFlags;
    if (flags.length > 0) {
      let map = this.flags[slot];
      if (!map) {
        map = new Map();
        this.flags[slot] = map;
      }
      for (const flag of flags) {
        const key = map.has(flag) || map.size < MAX_FLAGS_PER_SECOND ? flag : OTHER_FLAGS;
        map.set(key, (map.get(key) ?? 0) + 1);
      }
    }
  }

  /** The window of the 60 seconds up to and including `nowMs`'s second. */
  snapshot(nowMs: number): SummarySnapshot {
    const now = Math.floor(nowMs / 1000);
    let total = 0;
    let c2 = 0;
    let c4 = 0;
    let c5 = 0;
    const flagCounts = new Map<string, number>();
    for (let slot = 0; slot < WINDOW_SECONDS; slot++) {
      const second = this.seconds[slot]!;
      if (second > now || second <= now - WINDOW_SECONDS) continue;
      const base = slot * COUNTERS;
      total += this.counts[base + TOTAL]!;
      c2 += this.counts[base + C2XX]!;
      c4 += this.counts[base + C4XX]!;
      c5 += this.counts[base + C5XX]!;
      const map = this.flags[slot];
      if (map) for (const [flag, count] of map) flagCounts.set(flag, (flagCounts.get(flag) ?? 0) + count);
    }
    // Until a minute has passed since the first line, the rate is over the time seen so far.
    const span = Math.max(1, Math.min(WINDOW_SECONDS, now - this.firstSecond + 1));
    const share = (n: number) => (total === 0 ? 0 : n / total);
    return {
      requestsPerSecond: total / span,
      share2xx: share(c2),
      share4xx: share(c4),
      share5xx: share(c5),
      topFlags: [...flagCounts]
        .map(([flag, count]) => ({ flag, count }))
        .sort((a, b) => b.count - a.count || (a.flag < b.flag ? -1 : a.flag > b.flag ? 1 : 0)),
    };
  }
}
