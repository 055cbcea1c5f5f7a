// One repeatable measure (say, kubectl get pods -A at 10×5,000): each attempt runs it once, bounded by a
// deadline. The first attempt at a size always runs (bounded by its deadline, not by a guess); a
// further one only when its last duration still fits. A failure or a run cut by the deadline is
// recorded against the figures the measure feeds.
export class Measure {
  /**
   * name: for the log; size: the size label; figureIds: what it feeds; run(deadline): runs once and
   * records its own samples (throws on failure).
   */
  constructor({ name, size, figureIds, run }) {
    this.name = name;
    this.size = size;
    this.figureIds = figureIds;
    this.runFn = run;
    this.runs = 0;
    this.lastMs = 0;
    this.failed = false;
    /** What a first run is expected to take, when something says (the same measure at a smaller size). */
    this.expectMs = 0;
  }

  /** Whether another run is expected to finish before `deadline`. */
  fits(deadline) {
    const left = deadline - performance.now();
    return left > 1000 && (this.runs === 0 ? this.expectMs : this.lastMs) < left;
  }

  async attempt(ctx, deadline) {
    if (this.failed) return false;
    if (!this.fits(deadline)) {
      const left = Math.max(0, Math.round((deadline - performance.now()) / 1000));
      const reason = this.runs === 0
        ? this.expectMs > 0 ? `time budget: a run is expected to take about ${Math.round(this.expectMs / 1000)} s, ${left} s were left` : `time budget spent (${Math.round(ctx.budget.elapsedMs / 1000)} s in)`
        : `fewer repetitions: another run takes about ${Math.round(this.lastMs / 1000)} s, ${left} s were left`;
      for (const id of this.figureIds) ctx.results.skip(id, this.size, reason);
      return false;
    }
    ctx.log(`${this.name}${this.runs > 0 ? ` (run ${this.runs + 1})` : ''}`);
    const started = performance.now();
    try {
      await this.runFn(deadline);
      this.runs++;
      return true;
    } catch (error) {
      this.failed = true;
      const cut = performance.now() >= deadline - 500;
      const reason = cut ? `did not finish within the time budget (${Math.round(ctx.budget.elapsedMs / 1000)} s in)` : `failed: ${String(error.message).split('\n')[0].slice(0, 300)}`;
      for (const id of this.figureIds) ctx.results.skip(id, this.size, reason);
      return false;
    } finally {
      this.lastMs = performance.now() - started;
    }
  }
}

/** Time left until `deadline`, for a timeout: at least `floor` ms (so a call can fail cleanly), at most 10 minutes. */
export const until = (deadline, floor = 1000) => Math.round(Math.min(600_000, Math.max(floor, deadline - performance.now())));
