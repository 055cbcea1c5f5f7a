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

/**
 * When a container writes its lines: line n at startedAt + timeOf(n). The first `burstLines` lines come
 * `burstIntervalMs` apart (a process's start-up chatter), the rest `intervalMs` apart.
 */
export interface LogSchedule {
  intervalMs: number;
  burstLines?: number;
  burstIntervalMs?: number;
}

/** Milliseconds from the container's start to its line `sequence`. */
export function lineOffset(schedule: LogSchedule, sequence: number): number {
  const burst = Math.min(sequence, schedule.burstLines ?? 0);
  return burst * (schedule.burstIntervalMs ?? 0) + (sequence - burst) * schedule.intervalMs;
}

/** How many lines a container has written `elapsedMs` after it started. */
export function linesWritten(schedule: LogSchedule, elapsedMs: number): number {
  if (elapsedMs < 0) return 0;
  const burstLines = schedule.burstLines ?? 0;
  const burstMs = burstLines * (schedule.burstIntervalMs ?? 0);
  if (burstLines > 0 && elapsedMs < burstMs) return Math.floor(elapsedMs / (schedule.burstIntervalMs ?? 1)) + 1;
  return burstLines + Math.floor((elapsedMs - burstMs) / schedule.intervalMs) + 1;
}

const defaultLine: LineGenerator = (pod, container, sequence, time) =>
  sequence === 0
    ? `${time.toISOString()} INFO ${container} starting (pod ${pod.metadata.name})`
    : `${time.toISOString()} INFO ${container} handled request ${sequence} status=200`;

/**
 * Container logs as a pure function of time: line n of a container is written at startedAt + n·interval
 * (or per the generator's schedule).
 * Any two reads agree, so a reconnecting follower with sinceTime neither loses nor repeats lines.
 */
export class SyntheticLogs implements LogProvider {
  private readonly generators: { matches: (pod: KubeObject, container: string) => boolean; generate: LineGenerator; schedule?: () => LogSchedule }[] = [];

  constructor(private readonly options: SyntheticLogOptions) {}

  /**
   * Later registrations win, so the mesh layer can take over proxy containers. A generator may bring
   * its own schedule (read when a stream opens); otherwise lines come every `intervalMs`.
   */
  register(matches: (pod: KubeObject, container: string) => boolean, generate: LineGenerator, schedule?: () => LogSchedule): void {
    this.generators.unshift({ matches, generate, ...(schedule ? { schedule } : {}) });
  }

  open(pod: KubeObject, options: LogOptions): LogStream {
    const generator = this.generators.find((g) => g.matches(pod, options.container));
    const generate = generator?.generate ?? defaultLine;
    const schedule = generator?.schedule?.() ?? { intervalMs: this.options.intervalMs };
    const started = startedAt(pod, options.container) ?? this.options.now();
    const lineAt = (sequence: number) => {
      const time = new Date(started.getTime() + lineOffset(schedule, sequence));
      return { time, line: generate(pod, options.container, sequence, time) };
    };
    const written = linesWritten(schedule, this.options.now().getTime() - started.getTime());
    const first = Math.max(0, written - this.options.retainedLines);
    const backlog = [];
    for (let sequence = first; sequence < written; sequence++) backlog.push(lineAt(sequence));
    return {
      backlog,
      follow: (onLine) => {
        let next = written;
        let timer: NodeJS.Timeout | undefined;
        let stopped = false;
        const scheduleNext = () => {
          const due = started.getTime() + lineOffset(schedule, next);
          timer = setTimeout(() => {
            onLine(lineAt(next++));
            // onLine may have stopped the follow (a closed response); do not re-arm then.
            if (!stopped) scheduleNext();
          }, Math.max(0, due - this.options.now().getTime()));
        };
        scheduleNext();
        return () => {
          stopped = true;
          clearTimeout(timer);
        };
      },
    };
  }
}

function startedAt(pod: KubeObject, container: string): Date | undefined {
  const statuses = ((pod['status'] as JsonObject | undefined)?.['containerStatuses'] as JsonObject[] | undefined) ?? [];
  const running = ((statuses.find((s) => s['name'] === container)?.['state'] as JsonObject | undefined)?.['running'] as JsonObject | undefined)?.['startedAt'];
  return typeof running === 'string' ? new Date(running) : undefined;
}
