import { resolve } from 'node:path';
import type { CommandContext } from './command.js';
import { UserError } from './command.js';
import { UsageError, type ParsedOptions } from './args.js';
import { KubeconfigError, kubeconfigFiles, loadKubeconfig, selectContexts, type ContextEntry } from '../kube/kubeconfig.js';
import { applyJoin, connectPair, isDnsLabel, planJoin, planUnjoin, readForeignObjects, verifyJoin, type JoinApplyResult, type JoinPair, type JoinPlan, type JoinVerifyReport } from '../actions/join/index.js';
import { applySummary, commandLines, planLines, progressLine } from './join-format.js';
import { joinAudit } from './join-audit.js';
import { unfinishedLines } from '../actions/plan.js';

/** The sync wait when --timeout is not given. */
export const DEFAULT_SYNC_TIMEOUT_SECONDS = 60;

function contexts(options: ParsedOptions, ctx: CommandContext, command: string): [ContextEntry, ContextEntry] {
  const primary = options['primary'];
  const remote = options['remote'];
  if (primary === undefined || remote === undefined) throw new UsageError(`${command} needs --primary CONTEXT and --remote CONTEXT`, command);
  if (primary === remote) throw new UsageError('--primary and --remote must be different contexts', command);
  try {
    const [p, r] = selectContexts(loadKubeconfig(kubeconfigFiles(options['kubeconfig'] as string | undefined, ctx.env)), [String(primary), String(remote)]);
    return [p!, r!];
  } catch (error) {
    if (error instanceof KubeconfigError) throw new UserError(error.message);
    throw error;
  }
}

async function connect(primary: ContextEntry, remote: ContextEntry): Promise<JoinPair> {
  return connectPair(primary, remote).catch((error: unknown) => {
    throw new UserError(`cannot use the kubeconfig's credentials: ${(error as Error).message.split('\n')[0]}`);
  });
}

function validate(options: ParsedOptions): void {
  const name = options['cluster-name'];
  if (name !== undefined && !isDnsLabel(String(name))) throw new UsageError(`--cluster-name must be a DNS-1123 label (lower-case letters, digits and '-', at most 63), got "${String(name)}"`, 'join');
  const server = options['remote-api-server'];
  if (server !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(String(server));
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol)) throw new UsageError(`--remote-api-server must be a URL such as https://10.0.0.5:6443, got "${String(server)}"`, 'join');
  }
}

interface Outcome {
  plan: JoinPlan;
  applied: boolean;
  result?: JoinApplyResult;
  verify?: JoinVerifyReport;
}

export async function joinRun(options: ParsedOptions, ctx: CommandContext): Promise<number> {
  validate(options);
  const [primary, remote] = contexts(options, ctx, 'join');
  const pair = await connect(primary, remote);
  const plan = planJoin(await pair.read(), {
    ...(options['cluster-name'] !== undefined ? { clusterName: String(options['cluster-name']) } : {}),
    ...(options['network'] !== undefined ? { network: String(options['network']) } : {}),
    ...(options['mesh-id'] !== undefined ? { meshId: String(options['mesh-id']) } : {}),
    ...(options['remote-api-server'] !== undefined ? { remoteApiServer: String(options['remote-api-server']) } : {}),
    outDir: resolve(String(options['out'] ?? 'meshdeck-join')),
  });
  return carryOut(plan, pair, options, ctx);
}

export async function unjoinRun(options: ParsedOptions, ctx: CommandContext): Promise<number> {
  const [primary, remote] = contexts(options, ctx, 'unjoin');
  const pair = await connect(primary, remote);
  const state = await pair.read();
  // Whether istio-system may go too: only when join made it and nothing else lives there.
  const foreign = state.remote.error || !state.remote.namespace ? undefined : await readForeignObjects(pair.apis.get(remote.name)!).catch(() => undefined);
  return carryOut(planUnjoin(state, foreign ? { foreign } : {}), pair, options, ctx);
}

async function carryOut(plan: JoinPlan, pair: JoinPair, options: ParsedOptions, ctx: CommandContext): Promise<number> {
  const json = options['output'] === 'json';
  const out = (lines: string[]) => ctx.stdout.write(`${lines.join('\n')}\n`);
  const timeoutMs = Number(options['timeout'] ?? DEFAULT_SYNC_TIMEOUT_SECONDS) * 1000;
  const blocked = plan.blocked.length > 0;
  const finish = (outcome: Outcome, code: number) => {
    if (json) ctx.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
    return code;
  };
  if (!json) out(planLines(plan));
  if (blocked || !options['apply']) {
    if (!json) {
      if (!blocked && plan.kind === 'join') out(['', ...commandLines(plan)]);
      out(['', blocked ? 'not applied: the plan is blocked (see above)' : plan.steps.length === 0 ? (plan.kind === 'join' ? 'nothing to do' : 'nothing to remove') : 'nothing changed yet: review the plan, then run again with --apply']);
    }
    return finish({ plan, applied: false }, blocked ? 1 : 0);
  }
  if (plan.steps.length === 0 || (plan.kind === 'join' && plan.alreadyJoined && plan.steps.every((s) => s.side === 'local'))) {
    // Nothing in the clusters to change: say so, write any missing files, and check that istiod still syncs.
    const result = plan.steps.length > 0 ? await applyJoin(plan, { api: (c) => pair.apis.get(c)! }) : undefined;
    if (plan.kind === 'unjoin') return finish({ plan, applied: false }, 0);
    const s = plan.settings;
    if (!json) out(['', `already joined: checking istiod on ${s.primary}…`]);
    const verify = await verifyJoin(
      { primary: s.primary, remote: s.remote, clusterName: s.clusterName, secretName: s.secretName, istiodService: s.istiodService, primaryClusterId: s.primaryClusterId, ...(s.remoteIstioClusterId ? { remoteClusterId: s.remoteIstioClusterId } : {}) },
      { api: pair.apis.get(s.primary)!, timeoutMs, onProgress: json ? undefined : (message) => out([`  … ${message}`]) },
    );
    if (!json) out([...verify.lines, '', ...commandLines(plan)]);
    return finish({ plan, applied: result !== undefined, ...(result ? { result } : {}), verify }, verify.ok && (result?.ok ?? true) ? 0 : 1);
  }
  if (!json) out(['', 'applying:']);
  const result = await applyJoin(plan, {
    api: (c) => pair.apis.get(c)!,
    timeouts: { syncMs: timeoutMs },
    audit: joinAudit([pair.primary, pair.remote], ctx.env, (line) => ctx.stderr.write(`meshdeck: ${line}\n`)),
    ...(json
      ? {}
      : {
          onProgress: (event) => {
            const line = progressLine(event);
            if (line) out([line]);
          },
        }),
  });
  if (!json) {
    out([...(result.verify ? ['', ...result.verify.lines] : []), '', applySummary(result, plan.kind)]);
    if (!result.ok) out(unfinishedLines(result.steps));
    if (plan.kind === 'join' && result.ok) out(['', ...commandLines(plan)]);
  }
  return finish({ plan, applied: true, result, ...(result.verify ? { verify: result.verify } : {}) }, result.ok ? 0 : 1);
}
