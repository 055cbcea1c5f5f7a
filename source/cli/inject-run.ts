import type { CommandContext } from './command.js';
import { UserError } from './command.js';
import type { OutputFormat } from './inject-command.js';
import { KubeconfigError, kubeconfigFiles, loadKubeconfig, selectContexts } from '../kube/kubeconfig.js';
import { describeError } from '../kube/errors.js';
import { connectContexts } from '../actions/ca/connect.js';
import { renderPlan, unfinishedLines } from '../actions/plan.js';
import type { ContextEntry } from '../kube/kubeconfig.js';
import { injectAudit } from './inject-audit.js';
import {
  applyInjectionPlan,
  planInjection,
  planRestarts,
  readNamespaceState,
  verifyNamespace,
  type InjectApplyResult,
  type InjectFinding,
  type InjectionOptions,
  type InjectPlan,
  type InjectProgress,
  type KubeApi,
  type NamespaceState,
  type RestartOptions,
} from '../actions/inject/index.js';

export interface RunOptions {
  contexts: string[];
  namespace: string;
  output: OutputFormat;
  kubeconfig: string | undefined;
  apply: boolean;
}

/** `meshdeck inject enable|disable`: plan, and with --apply carry out, then read again and check. */
export async function runInject(run: RunOptions, options: InjectionOptions, ctx: CommandContext): Promise<number> {
  const { apis, entries } = await connect(run, ctx);
  const plan = planInjection(await readStates(apis, run.namespace), options);
  const want = options.action === 'enable' ? 'enabled' : 'disabled';
  return carryOut(plan, apis, entries, run, ctx, (states) => ({ again: planInjection(states, options), findings: states.flatMap((s) => verifyNamespace(s, want)) }));
}

/** `meshdeck restart`: the same for rollout restarts. */
export async function runRestart(run: RunOptions, options: RestartOptions, ctx: CommandContext): Promise<number> {
  const { apis, entries } = await connect(run, ctx);
  const plan = planRestarts(await readStates(apis, run.namespace), options);
  // A forced restart plans again forever; after it, only the sidecars are checked.
  const next: RestartOptions = options.force ? { ...options, force: false } : options;
  return carryOut(plan, apis, entries, run, ctx, (states) => ({ again: planRestarts(states, next), findings: states.flatMap((s) => verifyNamespace(s, undefined)) }));
}

async function connect(run: RunOptions, ctx: CommandContext): Promise<{ apis: Map<string, KubeApi>; entries: ContextEntry[] }> {
  let entries: ContextEntry[];
  try {
    entries = selectContexts(loadKubeconfig(kubeconfigFiles(run.kubeconfig, ctx.env)), run.contexts);
  } catch (error) {
    if (error instanceof KubeconfigError) throw new UserError(error.message);
    throw error;
  }
  const apis = await connectContexts(entries).catch((error: unknown) => {
    throw new UserError(`cannot use the kubeconfig's credentials: ${describeError(error)}`);
  });
  return { apis, entries };
}

/** Every context's namespace, side by side, in the order the contexts were given. */
async function readStates(apis: Map<string, KubeApi>, namespace: string): Promise<NamespaceState[]> {
  return Promise.all(
    [...apis].map(([cluster, api]) =>
      readNamespaceState(cluster, api, namespace).catch((error: unknown) => {
        throw new UserError(`cannot read namespace ${namespace} in context ${cluster}: ${describeError(error)}; check that the cluster is reachable`);
      }),
    ),
  );
}

type Check = (states: NamespaceState[]) => { again: InjectPlan; findings: InjectFinding[] };

async function carryOut(plan: InjectPlan, apis: Map<string, KubeApi>, entries: ContextEntry[], run: RunOptions, ctx: CommandContext, check: Check): Promise<number> {
  const json = run.output === 'json';
  const write = (lines: string[]) => ctx.stdout.write(`${lines.join('\n')}\n`);
  const blocked = plan.blocked.length > 0;
  if (!run.apply || blocked || plan.steps.length === 0) {
    if (json) write([JSON.stringify({ plan, applied: false }, null, 2)]);
    else {
      const tail = blocked ? 'not applied: the plan is blocked (see above)' : plan.steps.length === 0 ? '' : run.apply ? '' : 'nothing changed yet: review the plan, then run again with --apply';
      write([...renderPlan(plan), ...(tail ? ['', tail] : [])]);
    }
    return blocked ? 1 : 0;
  }
  if (!json) write([...renderPlan(plan), '', `applying, one cluster at a time (${plan.clusters.join(', ')}):`]);
  const audit = injectAudit(entries, ctx.env, (line) => ctx.stderr.write(`meshdeck: ${line}\n`));
  const result = await applyInjectionPlan(plan, {
    api: (cluster) => apis.get(cluster)!,
    onProgress: (event) => {
      audit.record(event);
      if (!json) write([progressLine(event)]);
    },
  });
  await audit.settled();
  const { again, findings } = check(await readStates(apis, run.namespace));
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (json) {
    write([JSON.stringify({ plan, applied: true, result, verify: { findings, remainingSteps: again.steps.length } }, null, 2)]);
  } else {
    const lines = ['', summary(result), ...unfinishedLines(result.steps), ...findings.map(findingLine)];
    if (result.ok && again.steps.length > 0) lines.push(`! warning  planning again still finds ${again.steps.length} step${again.steps.length === 1 ? '' : 's'}: ${again.steps.map((s) => `${s.verb} ${s.target} (${s.cluster})`).join(', ')}`);
    write(lines);
  }
  return result.ok && errors === 0 ? 0 : 1;
}

const MARK = { error: '✗ error  ', warning: '! warning', info: '· ok     ' } as const;

function findingLine(finding: InjectFinding): string {
  return `${MARK[finding.severity]}  ${finding.message}`;
}

export function progressLine(event: InjectProgress): string {
  if (event.state === 'skipped') return `  - skipped: ${event.step.verb} ${event.step.target} (${event.step.cluster})`;
  const mark = { running: event.waiting ? '…' : '→', done: '✓', failed: '✗ failed:' }[event.state];
  return `  ${mark} ${event.message}`;
}

function summary(result: InjectApplyResult): string {
  const count = (status: string) => result.steps.filter((s) => s.status === status).length;
  if (result.ok) return `done: ${count('done')} step${count('done') === 1 ? '' : 's'} applied and checked`;
  return `failed: ${count('done')} done, ${count('failed')} failed, ${count('skipped')} skipped; nothing after the failure was touched`;
}
