/**
 * When a data change (watch events, log lines; already batched by their stores) may redraw the screen.
 * Keys come first: a data redraw waits until no key arrived for `keyQuietMs` (250 ms: someone moving
 * through a list presses several keys a second, and the list holds still under the cursor meanwhile,
 * so a keypress never queues behind the re-derivation and frame that data triggers), but never longer
 * than `maxDeferMs` (a second) after the data changed; and there is at most one data redraw per `minIntervalMs`, however often the source notifies,
 * nor sooner after the last one than `costFactor` times what it took, up to `maxDeferMs` (so however
 * fast data arrives, deriving it takes about a tenth of the event loop and keys find it free, while
 * the screen is never more than about a second behind).
 * Pure timing logic with an injected clock and timer, so it is tested without React or Ink.
 */
export interface DataPacerOptions {
  minIntervalMs?: number;
  keyQuietMs?: number;
  maxDeferMs?: number;
  costFactor?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export class DataPacer {
  private readonly minIntervalMs: number;
  private readonly keyQuietMs: number;
  private readonly maxDeferMs: number;
  private readonly costFactor: number;
  private lastCostMs = 0;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;
  private lastKeyAt = -Infinity;
  private lastApplyAt = -Infinity;
  /** When the oldest change not yet applied arrived; undefined when nothing waits. */
  private waitingSince: number | undefined;
  private timer: unknown;

  constructor(
    private readonly apply: () => void,
    options: DataPacerOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 100;
    this.keyQuietMs = options.keyQuietMs ?? 250;
    this.maxDeferMs = options.maxDeferMs ?? 1000;
    this.costFactor = options.costFactor ?? 10;
    this.now = options.now ?? (() => performance.now());
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout));
  }

  /** The source has new data. */
  changed = (): void => {
    this.waitingSince ??= this.now();
    this.schedule();
  };

  /** A key arrived: data redraws step aside for a moment. */
  keyPressed(): void {
    this.lastKeyAt = this.now();
  }

  dispose(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    this.waitingSince = undefined;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.waitingSince === undefined) return;
    const now = this.now();
    const due = Math.max(this.lastApplyAt + Math.max(this.minIntervalMs, Math.min(this.maxDeferMs, this.costFactor * this.lastCostMs)), Math.min(this.lastKeyAt + this.keyQuietMs, this.waitingSince + this.maxDeferMs));
    const wait = Math.max(0, due - now);
    this.timer = this.setTimer(this.fire, wait);
  }

  private fire = (): void => {
    this.timer = undefined;
    if (this.waitingSince === undefined) return;
    const now = this.now();
    // A key came in while waiting: wait again, unless the data has waited long enough.
    if (now < this.lastKeyAt + this.keyQuietMs && now < this.waitingSince + this.maxDeferMs) {
      this.schedule();
      return;
    }
    this.waitingSince = undefined;
    this.lastApplyAt = now;
    this.apply();
    this.lastCostMs = this.now() - now;
  };
}
