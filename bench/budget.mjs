// Keeps the whole bench within its time budget: every phase has an allowance, every measure an estimate
// (its duration at the previous size, scaled by the pod count), and a measure that would not fit is
// skipped and reported as such rather than run past the deadline.
export class Budget {
  /** `strict: false` (the quick run) never refuses a measure: every figure is wanted, and all are small. */
  constructor(totalMs, { strict = true } = {}) {
    this.strict = strict;
    this.started = performance.now();
    this.deadline = this.started + totalMs;
    this.durations = new Map();
  }

  get remainingMs() {
    return this.deadline - performance.now();
  }

  get elapsedMs() {
    return performance.now() - this.started;
  }

  /** A phase's own deadline: `allowanceMs` from now, never past the overall one. */
  phase(allowanceMs) {
    return Math.min(this.deadline, performance.now() + allowanceMs);
  }

  /** Remembers how long one run of `id` took at `pods`. */
  record(id, pods, ms) {
    this.durations.set(id, { pods, ms });
  }

  /** The expected duration of one run of `id` at `pods` (linear in pods from the last one seen), or 0. */
  estimate(id, pods) {
    const seen = this.durations.get(id);
    if (!seen) return 0;
    return seen.ms * Math.max(1, pods / seen.pods);
  }

  /** Why a run of `id` at `pods` does not fit before `deadline`, or undefined when it does. */
  refuse(id, pods, deadline = this.deadline) {
    if (!this.strict) return undefined;
    const estimate = this.estimate(id, pods);
    const left = deadline - performance.now();
    if (left <= 0) return `time budget spent (${Math.round(this.elapsedMs / 1000)} s in)`;
    if (estimate > left) return `time budget: one run is expected to take ${Math.round(estimate / 1000)} s, ${Math.round(left / 1000)} s were left`;
    return undefined;
  }
}
