import type { ClusterTransport } from '../transport.js';
import { PodLogStream, type LogLine, type PodRef, type StreamState } from './pod-log-stream.js';

export type { LogLine, PodRef, StreamState };

export interface FollowerOptions {
  tailLines?: number;
  sinceSeconds?: number;
  follow: boolean;
  onLines(lines: LogLine[]): void;
  onChange(): void;
}

export function refKey(ref: PodRef): string {
  return `${ref.cluster}/${ref.namespace}/${ref.pod}/${ref.container}`;
}

/**
 * Follows many pods across clusters. `setTargets` is called whenever the set of pods changes: new pods
 * join (from their first line), pods that left are stopped and marked gone.
 */
export class LogFollower {
  private readonly streams = new Map<string, { stream: PodLogStream; state: StreamState; error?: string }>();
  private readonly gone = new Set<string>();
  private started = false;

  constructor(
    private readonly transportFor: (cluster: string) => ClusterTransport | undefined,
    private readonly options: FollowerOptions,
  ) {}

  setTargets(refs: PodRef[]): void {
    const isLate = this.started;
    this.started = true;
    const wanted = new Map(refs.map((ref) => [refKey(ref), ref]));
    for (const [key, entry] of this.streams) {
      if (wanted.has(key)) continue;
      entry.stream.stop();
      this.streams.delete(key);
      this.gone.add(key);
      this.options.onChange();
    }
    for (const [key, ref] of wanted) {
      if (this.streams.has(key)) continue;
      const transport = this.transportFor(ref.cluster);
      if (!transport) continue;
      this.gone.delete(key);
      // A pod that appears after the view opened is read from its start, so its first requests are not missed.
      const entry: { stream: PodLogStream; state: StreamState; error?: string } = { stream: undefined as unknown as PodLogStream, state: 'connecting' };
      entry.stream = new PodLogStream(ref, transport, {
        follow: this.options.follow,
        ...(isLate ? {} : { ...(this.options.tailLines !== undefined ? { tailLines: this.options.tailLines } : {}), ...(this.options.sinceSeconds !== undefined ? { sinceSeconds: this.options.sinceSeconds } : {}) }),
        onLines: (lines) => this.options.onLines(lines),
        onState: (state, error) => {
          entry.state = state;
          if (error) entry.error = error;
          else delete entry.error;
          this.options.onChange();
        },
      });
      this.streams.set(key, entry);
      entry.stream.start();
    }
  }

  status(): { key: string; state: StreamState; error?: string }[] {
    const out: { key: string; state: StreamState; error?: string }[] = [];
    for (const [key, entry] of this.streams) out.push({ key, state: entry.state, ...(entry.error ? { error: entry.error } : {}) });
    for (const key of this.gone) out.push({ key, state: 'gone' });
    return out;
  }

  stop(): void {
    for (const entry of this.streams.values()) entry.stream.stop();
    this.streams.clear();
  }
}
