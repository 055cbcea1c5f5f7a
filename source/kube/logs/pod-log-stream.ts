import type { ClusterTransport } from '../transport.js';
import { describeError, KubeRequestError } from '../errors.js';
import { Backoff } from '../backoff.js';
import { splitTimestamp, timeKey } from './log-time.js';

export interface PodRef {
  cluster: string;
  namespace: string;
  pod: string;
  container: string;
}

export interface LogLine {
  cluster: string;
  namespace: string;
  pod: string;
  /** RFC3339Nano from the kubelet (empty if the server sent none). */
  time: string;
  text: string;
}

export type StreamState = 'connecting' | 'following' | 'reconnecting' | 'ended' | 'gone';

export interface StreamOptions {
  tailLines?: number;
  sinceSeconds?: number;
  follow: boolean;
  onLines(lines: LogLine[]): void;
  onState(state: StreamState, error?: string): void;
}

/**
 * Follows one container's log. When the stream ends while the pod still exists (a restart, a cut
 * connection) it resumes with sinceTime at the last complete line and drops the lines it already
 * has, so nothing is lost or repeated; a line cut in half is never emitted and comes back whole.
 */
export class PodLogStream {
  private lastKey = '';
  private lastTime = '';
  /** Texts already seen at exactly `lastKey`: several lines can share one timestamp. */
  private seenAtLast = new Set<string>();
  private abort: AbortController | undefined;
  private stopped = false;
  private readonly backoff = new Backoff(500, 10_000);

  constructor(
    readonly ref: PodRef,
    private readonly transport: ClusterTransport,
    private readonly options: StreamOptions,
  ) {}

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }

  private async loop(): Promise<void> {
    let first = true;
    while (!this.stopped) {
      const query = new URLSearchParams({ container: this.ref.container, timestamps: 'true' });
      if (this.options.follow) query.set('follow', 'true');
      if (first || !this.lastTime) {
        if (this.options.tailLines !== undefined) query.set('tailLines', String(this.options.tailLines));
        if (this.options.sinceSeconds !== undefined) query.set('sinceSeconds', String(this.options.sinceSeconds));
      } else {
        query.set('sinceTime', this.lastTime);
      }
      this.options.onState(first ? 'connecting' : 'reconnecting');
      const abort = new AbortController();
      this.abort = abort;
      try {
        let announced = false;
        let batch: LogLine[] = [];
        let flush: NodeJS.Timeout | undefined;
        await this.transport.stream(
          `/api/v1/namespaces/${encodeURIComponent(this.ref.namespace)}/pods/${encodeURIComponent(this.ref.pod)}/log?${query}`,
          (raw) => {
            if (!announced) {
              announced = true;
              this.backoff.reset();
              this.options.onState('following');
            }
            const line = this.accept(raw);
            if (!line) return;
            batch.push(line);
            // Lines are handed over in small batches: one callback per burst, not per line.
            flush ??= setTimeout(() => {
              flush = undefined;
              const out = batch;
              batch = [];
              this.options.onLines(out);
            }, 20);
          },
          { signal: abort.signal },
        );
        clearTimeout(flush);
        if (batch.length > 0) this.options.onLines(batch);
        if (!this.options.follow) {
          this.options.onState('ended');
          return;
        }
      } catch (error) {
        if (this.stopped) return;
        if (error instanceof KubeRequestError && error.status === 404) {
          this.options.onState('gone', 'pod deleted');
          return;
        }
        this.options.onState('reconnecting', describeError(error));
      }
      first = false;
      if (this.stopped) return;
      await new Promise((resolve) => setTimeout(resolve, this.backoff.next()));
    }
  }

  private accept(raw: string): LogLine | undefined {
    const { time, text } = splitTimestamp(raw);
    if (time) {
      const key = timeKey(time);
      if (key < this.lastKey) return undefined;
      if (key === this.lastKey) {
        if (this.seenAtLast.has(text)) return undefined;
      } else {
        this.lastKey = key;
        this.lastTime = time;
        this.seenAtLast = new Set();
      }
      this.seenAtLast.add(text);
    }
    return { cluster: this.ref.cluster, namespace: this.ref.namespace, pod: this.ref.pod, time, text };
  }
}
