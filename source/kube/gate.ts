/**
 * At most `limit` tasks at a time, first come first served. A task gives its place up after `holdMs` even
 * if it is still running, so one slow or unreachable server cannot stall everyone else's turn.
 */
export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly holdMs = 2_000,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      // The place passes straight to the next in line, so a newcomer cannot jump the queue.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    };
    const timer = setTimeout(release, this.holdMs);
    timer.unref?.();
    try {
      return await task();
    } finally {
      release();
    }
  }

  get queued(): number {
    return this.waiting.length;
  }
}
