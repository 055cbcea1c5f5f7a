// What the bench measured: figures (repeated measurements or keypress latencies), each at a size,
// plus what was skipped and why. Serialized as the results JSON.
import { percentile, summarize } from './stats.mjs';

export class Results {
  constructor(meta) {
    this.meta = meta;
    this.sizes = [];
    this.figures = [];
    this.skipped = [];
  }

  /** A size (or scenario) measured: its label, total pods (for growth) and what the simulator held. */
  addSize(size) {
    this.sizes.push(size);
  }

  /**
   * A repeated measurement: median, min, max, spread of `samples`. `better` says which way is good;
   * `target` is { op: '<' | '>', value, text } when an issue sets one.
   */
  add(id, size, { unit, samples, better = 'lower', target, note }) {
    const figure = { id, size, unit, kind: 'runs', better, ...summarize(samples), samples: samples.map(round) };
    if (target) figure.target = { ...target, met: meets(figure.median, target) };
    if (note) figure.note = note;
    this.figures.push(round(figure));
    return figure;
  }

  /** Keypress-to-frame latencies: p50/p95/p99 over every keypress (n of them). */
  addLatency(id, size, { samples, timeouts = 0, target, note }) {
    const figure = { id, size, unit: 'ms', kind: 'latency', better: 'lower', n: samples.length, timeouts, p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99), max: Math.max(...samples) };
    if (target) figure.target = { ...target, met: meets(figure.p95, target) };
    if (note) figure.note = note;
    this.figures.push(round(figure));
    return figure;
  }

  /** A figure not measured, and why (the first reason given for it counts). */
  skip(id, size, reason) {
    if (!this.skipped.some((s) => s.id === id && s.size === size)) this.skipped.push({ id, size, reason });
  }

  /** Skips of a figure that was measured after all (fewer repetitions) become a note on the figure. */
  finalize() {
    this.skipped = this.skipped.filter((s) => {
      const figure = this.get(s.id, s.size);
      if (!figure) return true;
      figure.fewerRuns = s.reason;
      return false;
    });
  }

  get(id, size) {
    return this.figures.find((f) => f.id === id && f.size === size);
  }

  toJSON() {
    return { meta: this.meta, sizes: this.sizes, figures: this.figures, comparisons: this.comparisons ?? [], growth: this.growth ?? [], skipped: this.skipped };
  }
}

function meets(value, target) {
  if (!Number.isFinite(value)) return false;
  return target.op === '<' ? value < target.value : value > target.value;
}

/** Numbers to three significant decimals at most, so the JSON stays readable. */
function round(value) {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toFixed(Math.abs(value) >= 100 ? 1 : 3));
  if (Array.isArray(value)) return value.map(round);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v)]));
  return value;
}
