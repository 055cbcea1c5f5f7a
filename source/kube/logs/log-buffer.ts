import type { LogLine } from './pod-log-stream.js';

export interface BufferedLine<P> {
  seq: number;
  line: LogLine;
  parsed: P;
  receivedAt: number;
}

/**
 * The last `capacity` lines of a log view, oldest first. Memory stays flat however long it runs;
 * `seq` keeps counting so a paused view knows how many lines arrived since.
 */
export class LogBuffer<P> {
  private readonly ring: (BufferedLine<P> | undefined)[];
  private start = 0;
  private size = 0;
  private nextSeq = 0;
  version = 0;
  private readonly listeners = new Set<() => void>();
  private pending: NodeJS.Timeout | undefined;

  constructor(
    readonly capacity: number,
    private readonly parse: (text: string) => P,
    private readonly frameMs = 100,
  ) {
    this.ring = new Array(capacity);
  }

  push(lines: LogLine[], now: number): void {
    for (const line of lines) {
      const entry: BufferedLine<P> = { seq: this.nextSeq++, line, parsed: this.parse(line.text), receivedAt: now };
      if (this.size < this.capacity) {
        this.ring[(this.start + this.size) % this.capacity] = entry;
        this.size++;
      } else {
        this.ring[this.start] = entry;
        this.start = (this.start + 1) % this.capacity;
      }
    }
    this.version++;
    this.notify();
  }

  get length(): number {
    return this.size;
  }

  /** Sequence number the next line will get (= lines received so far). */
  get received(): number {
    return this.nextSeq;
  }

  at(index: number): BufferedLine<P> | undefined {
    return index >= 0 && index < this.size ? this.ring[(this.start + index) % this.capacity] : undefined;
  }

  /** Lines with seq below `untilSeq` that pass `keep`, oldest first. */
  select(keep: (entry: BufferedLine<P>) => boolean, untilSeq = Infinity): BufferedLine<P>[] {
    const out: BufferedLine<P>[] = [];
    for (let i = 0; i < this.size; i++) {
      const entry = this.ring[(this.start + i) % this.capacity]!;
      if (entry.seq < untilSeq && keep(entry)) out.push(entry);
    }
    return out;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  /** Listeners hear at most once per frame, whatever the line rate. */
  private notify(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      for (const listener of this.listeners) listener();
    }, this.frameMs);
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.listeners.clear();
  }
}
