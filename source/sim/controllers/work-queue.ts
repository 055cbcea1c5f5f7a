/**
 * A de-duplicating queue of keys processed in batches on the next macrotask, so a burst of store
 * events (a 5,000-pod scale-up) reconciles each key once rather than once per event.
 */
export class WorkQueue {
  private pending = new Set<string>();
  private scheduled = false;
  private stopped = false;

  constructor(
    private readonly reconcile: (key: string) => void,
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  get idle(): boolean {
    return this.pending.size === 0;
  }

  /** Processes everything queued, including what processing queues; returns the number of keys handled. */
  drain(): number {
    this.scheduled = false;
    let handled = 0;
    while (this.pending.size > 0 && !this.stopped) {
      const batch = this.pending;
      this.pending = new Set();
      for (const key of batch) {
        handled++;
        try {
          this.reconcile(key);
        } catch (error) {
          this.onError(key, error);
        }
      }
    }
    return handled;
  }

  stop(): void {
    this.stopped = true;
    this.pending.clear();
  }
}
