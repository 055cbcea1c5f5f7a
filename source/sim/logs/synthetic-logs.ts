import type { JsonObject, KubeObject } from '../objects.js';
import type { LogOptions, LogProvider, LogStream } from '../api/serving-cluster.js';

/** Produces the n-th log line of a container; the same (pod, container, n) always gives the same line. */
export type LineGenerator = (pod: KubeObject, container: string, sequence: number, time: Date) => string;

export interface SyntheticLogOptions {
  /** Milliseconds between two lines of one container. */
  intervalMs: number;
  /** How many past lines a container keeps (the kubelet's log rotation, in lines). */
  retainedLines: number;
  now(): Date;
}

const defaultLine: LineGenerator = (pod, container, sequence, time) =>
  sequence === 0
    ? `${time.toISOString()} INFO ${container} starting (pod ${pod.metadata.name})`
    : `${time.toISOString()} INFO ${container} handled request ${sequence} status=200`;

/**
 * Container logs as a pure function of time: line n of a container is written at startedAt + n·interval.
 * Any two reads agree, so a reconnecting follower with sinceTime neither loses nor repeats lines.
 */
export class SyntheticLogs implements LogProvider {
  private readonly generators: { matches: (pod: KubeObject, container: string) => boolean; generate: LineGenerator }[] = [];

  constructor(private readonly options: SyntheticLogOptions) {}

  /** Later registrations win, so the mesh layer can take over proxy containers. */
  register(matches: (pod: KubeObject, container: string) => boolean, generate: LineGenerator): void {
    this.generators.unshift({ matches, generate });
  }

  open(pod: KubeObject, options: LogOptions): LogStream {
    const generate = this.generators.find((g) => g.matches(pod, options.container))?.generate ?? defaultLine;
    const started = startedAt(pod, options.container) ?? this.options.now();
    const interval = this.options.intervalMs;
    const lineAt = (sequence: number) => {
      const time = new Date(started.getTime() + sequence * interval);
      return { time, line: generate(pod, options.container, sequence, time) };
    };
    const written = Math.floor((this.options.now().getTime() - started.getTime()) / interval) + 1;
    const first = Math.max(0, written - this.options.retainedLines);
    const backlog = [];
    for (let sequence = first; sequence < written; sequence++) backlog.push(lineAt(sequence));
    return {
      backlog,
      follow: (onLine) => {
        let next = written;
        let timer: NodeJS.Timeout | undefined;
        const schedule = () => {
          const due = started.getTime() + next * interval;
          timer = setTimeout(() => {
            onLine(lineAt(next++));
            schedule();
          }, Math.max(0, due - this.options.now().getTime()));
        };
        schedule();
        return () => clearTimeout(timer);
      },
    };
  }
}

function startedAt(pod: KubeObject, container: string): Date | undefined {
  const statuses = ((pod['status'] as JsonObject | undefined)?.['containerStatuses'] as JsonObject[] | undefined) ?? [];
  const running = ((statuses.find((s) => s['name'] === container)?.['state'] as JsonObject | undefined)?.['running'] as JsonObject | undefined)?.['startedAt'];
  return typeof running === 'string' ? new Date(running) : undefined;
}
