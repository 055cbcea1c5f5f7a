// The whole bench's time budget: one deadline every measure is bounded by (bench/measure.mjs decides
// whether a run still fits; every subprocess and wait gets the time left as its timeout).
export class Budget {
  constructor(totalMs) {
    this.started = performance.now();
    this.deadline = this.started + totalMs;
  }

  get remainingMs() {
    return this.deadline - performance.now();
  }

  get elapsedMs() {
    return performance.now() - this.started;
  }
}
