import type { CommandContext } from './command.js';
import { UserError } from './command.js';
import { contextsFromOptions } from './contexts.js';
import { UsageError, type ParsedOptions } from './args.js';
import { contextTransports } from '../kube/context-transports.js';
import type { ClusterTransport } from '../kube/transport.js';
import { describeError, KubeRequestError } from '../kube/errors.js';
import type { KubeObject } from '../kube/types.js';
import { LogFollower, type LogLine, type PodRef } from '../kube/logs/log-follower.js';
import { parseLogLine } from '../mesh/access-log/parse.js';
import { statusClassMatches, type StatusClass } from '../mesh/access-log/summary.js';
import { jsonLine, textHeader, textRow, type LogOutput } from './logs-command.js';
import { waitForShutdown } from './shutdown.js';

type Json = Record<string, unknown>;

export interface Target {
  kind: 'deploy' | 'svc' | 'pod' | 'selector';
  name: string;
}

const TARGET_KINDS: Record<string, Target['kind']> = { deploy: 'deploy', deployment: 'deploy', deployments: 'deploy', svc: 'svc', service: 'svc', services: 'svc', pod: 'pod', po: 'pod', pods: 'pod' };

export function parseTarget(positional: string | undefined, selector: string | undefined): Target {
  if (selector) {
    if (positional) throw new UsageError('give either TARGET or -l SELECTOR, not both', 'logs');
    return { kind: 'selector', name: selector };
  }
  if (!positional) throw new UsageError('logs needs a TARGET (deploy/NAME, svc/NAME, pod/NAME), -l SELECTOR, or --file FILE', 'logs');
  const [kind, name, extra] = positional.split('/');
  const resolved = kind ? TARGET_KINDS[kind] : undefined;
  if (!resolved || !name || extra !== undefined) throw new UsageError(`TARGET must be deploy/NAME, svc/NAME or pod/NAME, got "${positional}"`, 'logs');
  return { kind: resolved, name };
}

/** `5m`, `30s`, `2h`, `1h30m` → seconds. */
export function parseSince(text: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!match || text === '') throw new UsageError(`--since takes a duration such as 30s, 5m or 1h, got "${text}"`, 'logs');
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

function selectorOf(labels: Record<string, string> | undefined): string | undefined {
  const entries = Object.entries(labels ?? {});
  return entries.length > 0 ? entries.map(([k, v]) => `${k}=${v}`).join(',') : undefined;
}

/** The pods behind a target in one cluster; undefined when the target does not exist there. */
async function podsFor(transport: ClusterTransport, namespace: string, target: Target): Promise<KubeObject[] | undefined> {
  const ns = encodeURIComponent(namespace);
  const get = async (path: string): Promise<KubeObject | undefined> => {
    try {
      return await transport.requestJson<KubeObject>(path, { timeoutMs: 10_000 });
    } catch (error) {
      if (error instanceof KubeRequestError && error.status === 404) return undefined;
      throw error;
    }
  };
  const list = async (selector: string) => (await transport.requestJson<{ items?: KubeObject[] }>(`/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(selector)}`, { timeoutMs: 10_000 })).items ?? [];
  switch (target.kind) {
    case 'pod': {
      const pod = await get(`/api/v1/namespaces/${ns}/pods/${encodeURIComponent(target.name)}`);
      return pod ? [pod] : undefined;
    }
    case 'selector':
      return list(target.name);
    case 'deploy': {
      const deployment = await get(`/apis/apps/v1/namespaces/${ns}/deployments/${encodeURIComponent(target.name)}`);
      if (!deployment) return undefined;
      const selector = selectorOf(((deployment['spec'] as Json | undefined)?.['selector'] as Json | undefined)?.['matchLabels'] as Record<string, string> | undefined);
      return selector ? list(selector) : [];
    }
    case 'svc': {
      const service = await get(`/api/v1/namespaces/${ns}/services/${encodeURIComponent(target.name)}`);
      if (!service) return undefined;
      const selector = selectorOf((service['spec'] as Json | undefined)?.['selector'] as Record<string, string> | undefined);
      return selector ? list(selector) : [];
    }
  }
}

function proxyContainer(pod: KubeObject): string | undefined {
  const spec = (pod['spec'] as Json | undefined) ?? {};
  const names = [...((spec['containers'] as Json[] | undefined) ?? []), ...((spec['initContainers'] as Json[] | undefined) ?? [])].map((c) => c['name']);
  return names.includes('istio-proxy') ? 'istio-proxy' : undefined;
}

/**
 * `meshdeck logs [--context a,b] -n NS TARGET`: the istio-proxy logs of every pod behind TARGET in every
 * context where it exists, parsed, with cluster and pod on each line. With --follow, pods that appear
 * later join and streams that break resume without losing or repeating lines.
 */
export async function runLiveLogs(options: ParsedOptions, positionals: string[], ctx: CommandContext, output: LogOutput, status: StatusClass | undefined): Promise<number> {
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`, 'logs');
  const target = parseTarget(positionals[0], options['selector'] as string | undefined);
  const namespace = String(options['namespace'] ?? 'default');
  const sinceSeconds = options['since'] !== undefined ? parseSince(String(options['since'])) : undefined;
  const tailLines = options['tail'] !== undefined ? Number(options['tail']) : undefined;
  const follow = Boolean(options['follow']);
  const contexts = contextsFromOptions(options, ctx);
  const transports = await contextTransports(contexts);

  const resolve = async (): Promise<{ refs: PodRef[]; found: boolean; withoutProxy: number; problems: string[] }> => {
    const refs: PodRef[] = [];
    const problems: string[] = [];
    let found = false;
    let withoutProxy = 0;
    await Promise.all(
      [...transports].map(async ([cluster, transport]) => {
        try {
          const pods = await podsFor(transport, namespace, target);
          if (pods === undefined) return;
          found = true;
          for (const pod of pods) {
            const container = proxyContainer(pod);
            if (container) refs.push({ cluster, namespace, pod: pod.metadata.name, container });
            else withoutProxy++;
          }
        } catch (error) {
          problems.push(`${cluster}: ${describeError(error)}`);
        }
      }),
    );
    refs.sort((a, b) => (a.cluster + a.pod < b.cluster + b.pod ? -1 : 1));
    return { refs, found, withoutProxy, problems };
  };

  const first = await resolve();
  for (const problem of first.problems) ctx.stderr.write(`meshdeck logs: ${problem}\n`);
  const what = target.kind === 'selector' ? `pods matching ${target.name}` : `${target.kind}/${target.name}`;
  if (!first.found) {
    if (first.problems.length === transports.size) throw new UserError(`no context could be reached (${first.problems.join('; ')})`);
    throw new UserError(`${what} not found in namespace ${namespace} of ${[...transports.keys()].join(', ')}; check -n and --context`);
  }
  if (first.refs.length === 0) {
    throw new UserError(first.withoutProxy > 0 ? `${what} has no istio-proxy container in its ${first.withoutProxy} pod(s): it is not in the mesh` : `${what} has no pods`);
  }

  const keep = (line: LogLine) => {
    if (!status) return true;
    const entry = parseLogLine(line.text);
    return entry.kind === 'access' ? statusClassMatches(entry, status) : entry.error !== undefined;
  };
  let headerDone = false;
  let closed = false;
  ctx.stdout.on('error', () => {
    closed = true;
  });
  const print = (lines: LogLine[]) => {
    if (closed) return;
    let batch = '';
    if (output === 'text' && !headerDone) {
      headerDone = true;
      batch += `${'CLUSTER/POD'.padEnd(40)} ${textHeader()}\n`;
    }
    for (const line of lines) {
      if (!keep(line)) continue;
      const entry = parseLogLine(line.text);
      batch += output === 'json' ? `${jsonLine(entry, { cluster: line.cluster, namespace: line.namespace, pod: line.pod })}\n` : `${`${line.cluster}/${line.pod}`.padEnd(40)} ${textRow(entry)}\n`;
    }
    if (batch) ctx.stdout.write(batch);
  };

  let remaining = first.refs.length;
  let finished: () => void = () => {};
  const allEnded = new Promise<void>((resolvePromise) => (finished = resolvePromise));
  const follower = new LogFollower((cluster) => transports.get(cluster), {
    follow,
    ...(tailLines !== undefined ? { tailLines } : {}),
    ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
    onLines: print,
    onChange: () => {
      if (follow) return;
      remaining = follower.status().filter((s) => s.state !== 'ended' && s.state !== 'gone').length;
      if (remaining === 0) finished();
    },
  });
  follower.setTargets(first.refs);
  if (!follow) {
    await allEnded;
    follower.stop();
    return 0;
  }
  // Following: pods that appear later (scale-up, rollout) join; the set is re-read every few seconds.
  const refresh = setInterval(() => {
    void resolve().then((next) => follower.setTargets(next.refs));
  }, 5_000);
  await waitForShutdown();
  clearInterval(refresh);
  follower.stop();
  return 0;
}
