import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { LogHandle } from '../ui/source.js';
import type { MeshSession } from '../kube/mesh-session.js';
import { LogBuffer } from '../kube/logs/log-buffer.js';
import { LogFollower, type PodRef } from '../kube/logs/log-follower.js';
import { parseLogLine } from '../mesh/access-log/parse.js';
import { RollingSummary } from '../mesh/access-log/summary.js';
import type { ParsedLine } from '../mesh/access-log/types.js';
import { writeFailure } from './write-failure.js';
import { hasProxy, podsOfWorkload } from '../mesh/workloads.js';

export const LOG_BUFFER_LINES = 10_000;

/**
 * A log view's engine: which pods to follow (re-evaluated as pods come and go, in every cluster that
 * has the workload), the follower, the bounded buffer and the rolling summary.
 */
export function openWorkloadLogs(session: MeshSession, rowKey: string, capacity = LOG_BUFFER_LINES): LogHandle | { error: string } {
  const [, namespace, kind, name] = rowKey.split('/');
  if (!namespace || !kind || !name) return { error: `cannot follow logs of ${rowKey}` };
  const summary = new RollingSummary();
  const buffer = new LogBuffer<ParsedLine>(capacity, parseLogLine);
  let withoutProxy = 0;
  let stopped = false;
  const follower = new LogFollower((cluster) => session.cluster(cluster)?.http, {
    follow: true,
    tailLines: 100,
    onLines: (lines) => {
      const now = Date.now();
      buffer.push(lines, now);
      for (let i = buffer.length - lines.length; i < buffer.length; i++) {
        const entry = buffer.at(i);
        if (entry) summary.add(entry.parsed, now);
      }
    },
    onChange: () => buffer.push([], Date.now()),
  });
  const targets = (): PodRef[] => {
    const refs: PodRef[] = [];
    withoutProxy = 0;
    for (const snapshot of session.snapshot()) {
      for (const pod of podsOfWorkload(snapshot, namespace, kind, name)) {
        if (!hasProxy(pod)) {
          withoutProxy++;
          continue;
        }
        refs.push({ cluster: snapshot.name, namespace, pod: pod.metadata.name, container: 'istio-proxy' });
      }
    }
    return refs;
  };
  follower.setTargets(targets());
  const unsubscribe = session.subscribe(() => follower.setTargets(targets()));
  return {
    title: `${namespace}/${name} (istio-proxy, all clusters)`,
    buffer,
    summaryText(now) {
      const s = summary.snapshot(now);
      const pct = (x: number) => `${Math.round(x * 100)}%`;
      const flags = s.topFlags.slice(0, 3).map((f) => `${f.flag}×${f.count}`).join(' ');
      return `${s.requestsPerSecond.toFixed(1)} req/s · 2xx ${pct(s.share2xx)} · 4xx ${pct(s.share4xx)} · 5xx ${pct(s.share5xx)}${flags ? ` · flags ${flags}` : ''}`;
    },
    streamsText() {
      const status = follower.status();
      const count = (state: string) => status.filter((s) => s.state === state).length;
      const parts = [`${count('following')}/${status.length - count('gone')} pods following`];
      if (count('reconnecting') + count('connecting')) parts.push(`${count('reconnecting') + count('connecting')} reconnecting`);
      if (count('gone')) parts.push(`${count('gone')} gone`);
      if (withoutProxy) parts.push(`${withoutProxy} without istio-proxy`);
      return parts.join(' · ');
    },
    stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      follower.stop();
      buffer.dispose();
    },
  };
}

export async function saveLinesToNewFile(path: string, lines: string[]): Promise<string> {
  const target = resolve(path);
  try {
    // 'wx' fails when the file exists: a save never overwrites.
    await writeFile(target, lines.join('\n') + '\n', { flag: 'wx', mode: 0o600 });
    return `saved ${lines.length} lines to ${target}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return `${target} exists; choose another name (meshdeck never overwrites a file)`;
    return writeFailure(error, target);
  }
}
