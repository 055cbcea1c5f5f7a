import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandContext } from './command.js';
import { UserError } from './command.js';
import { UsageError, type ParsedOptions } from './args.js';
import { KubeconfigError, kubeconfigFiles, loadKubeconfig, selectContexts, type ContextEntry } from '../kube/kubeconfig.js';
import { describeError } from '../kube/errors.js';
import { connectContexts } from '../actions/ca/connect.js';
import type { PortEdit } from '../mesh/gateway-ports/index.js';
import {
  applyPortPlan,
  GatewayNotFoundError,
  planAgain,
  planPortEdit,
  portsReport,
  preferredSnippet,
  readGatewayState,
  type ContextOptions,
  type GatewayLiveState,
  type GatewayPortPlan,
  type GatewayRef,
  type KubeApi,
} from '../actions/gateway/index.js';
import { applySummary, planLines, portsLines, progressLine } from './gateway-format.js';
import { gatewayAudit } from './gateway-audit.js';
import { unfinishedLines } from '../actions/plan.js';

/** `NAMESPACE/NAME` of a gateway's Service (or Deployment). */
export function parseGatewayRef(text: string | undefined): GatewayRef {
  if (text === undefined) throw new UsageError('name the gateway as NAMESPACE/NAME (e.g. istio-system/istio-ingressgateway)', 'gateway');
  const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/.exec(text);
  if (!match) throw new UsageError(`"${text}" is not NAMESPACE/NAME (e.g. istio-system/istio-ingressgateway)`, 'gateway');
  return { namespace: match[1]!, name: match[3]! };
}

/** The one context named by --context (gateway commands act on one cluster at a time). */
export function loadGatewayContext(options: ParsedOptions, ctx: CommandContext): ContextEntry {
  const wanted = String(options['context'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (wanted.length === 0) throw new UsageError('--context needs a context name', 'gateway');
  if (wanted.length > 1) throw new UsageError('gateway commands act on one context at a time; give --context one name', 'gateway');
  try {
    return selectContexts(loadKubeconfig(kubeconfigFiles(options['kubeconfig'] as string | undefined, ctx.env)), wanted)[0]!;
  } catch (error) {
    if (error instanceof KubeconfigError) throw new UserError(error.message);
    throw error;
  }
}

/** `--node-port-range 30000-32767`, for API servers started with another --service-node-port-range. */
export function parseNodePortRange(text: unknown): ContextOptions {
  if (text === undefined) return {};
  const match = /^(\d+)-(\d+)$/.exec(String(text));
  const min = Number(match?.[1]);
  const max = Number(match?.[2]);
  if (!match || min < 1 || max > 65535 || min > max) throw new UsageError(`--node-port-range takes MIN-MAX (e.g. 30000-32767), got "${String(text)}"`, 'gateway');
  return { nodePortRange: { min, max } };
}

async function connect(options: ParsedOptions, ctx: CommandContext): Promise<{ context: string; entry: ContextEntry; api: KubeApi }> {
  const entry = loadGatewayContext(options, ctx);
  const apis = await connectContexts([entry]).catch((error: unknown) => {
    throw new UserError(`cannot use the kubeconfig's credentials: ${(error as Error).message.split('\n')[0]}`);
  });
  return { context: entry.name, entry, api: apis.get(entry.name)! };
}

async function read(context: string, api: KubeApi, ref: GatewayRef): Promise<GatewayLiveState> {
  try {
    return await readGatewayState(context, api, ref);
  } catch (error) {
    if (error instanceof GatewayNotFoundError) throw new UserError(error.message);
    throw new UserError(`cannot read gateway ${ref.namespace}/${ref.name} in ${context}: ${describeError(error)}; check that the cluster is reachable`);
  }
}

const json = (options: ParsedOptions) => options['output'] === 'json';

/** `meshdeck gateway ports --context C NAMESPACE/NAME`: exit 1 when a finding is an error. */
export async function gatewayPorts(options: ParsedOptions, args: string[], ctx: CommandContext): Promise<number> {
  const ref = parseGatewayRef(args[0]);
  const range = parseNodePortRange(options['node-port-range']);
  const { context, api } = await connect(options, ctx);
  const report = portsReport(await read(context, api, ref), range);
  if (json(options)) ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else ctx.stdout.write(`${portsLines(report).join('\n')}\n`);
  return report.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** The edit `set-port` asks for, from its flags. */
export function setEdit(options: ParsedOptions): PortEdit {
  const name = options['name'];
  if (name === undefined) throw new UsageError('set-port needs --name NAME (the Service port to add or change)', 'gateway');
  if (options['port'] === undefined) throw new UsageError('set-port needs --port N', 'gateway');
  const target = options['target-port'];
  const targetPort = target === undefined ? undefined : /^\d+$/.test(String(target)) ? Number(target) : String(target);
  const protocol = options['protocol'] === undefined ? undefined : String(options['protocol']).toUpperCase();
  return {
    action: 'set',
    name: String(name),
    port: Number(options['port']),
    ...(targetPort !== undefined ? { targetPort } : {}),
    ...(options['node-port'] !== undefined ? { nodePort: Number(options['node-port']) } : {}),
    ...(protocol !== undefined ? { protocol } : {}),
    ...(options['app-protocol'] !== undefined ? { appProtocol: String(options['app-protocol']) } : {}),
  };
}

export function removeEdit(options: ParsedOptions): PortEdit {
  if (options['name'] === undefined) throw new UsageError('remove-port needs --name NAME (the Service port to remove)', 'gateway');
  return { action: 'remove', name: String(options['name']) };
}

/** Writes the values snippet the plan prefers; never over an existing file. */
export function writeValues(plan: GatewayPortPlan, file: string): string {
  const path = resolve(file);
  if (existsSync(path)) throw new UserError(`${path} already exists; meshdeck does not overwrite it: pick another --values-out file`);
  const snippet = preferredSnippet(plan.upgrade);
  writeFileSync(path, snippet.yaml, { mode: 0o644, flag: 'wx' });
  return `wrote ${snippet.title.split(':')[0]} to ${path}`;
}

/** `set-port` and `remove-port`: plan, and with --apply carry it out and verify. */
export async function gatewayEdit(edit: PortEdit, options: ParsedOptions, args: string[], ctx: CommandContext): Promise<number> {
  const ref = parseGatewayRef(args[0]);
  const range = parseNodePortRange(options['node-port-range']);
  const { context, entry, api } = await connect(options, ctx);
  const planOptions = { ...range, updateGateways: Boolean(options['update-gateways']), confirmCritical: Boolean(options['confirm-critical']), now: new Date() };
  const plan = planPortEdit(await read(context, api, ref), edit, planOptions);
  const out = (lines: string[]) => ctx.stdout.write(`${lines.join('\n')}\n`);
  const blocked = plan.blocked.length > 0;
  const valuesLine = !blocked && options['values-out'] !== undefined ? writeValues(plan, String(options['values-out'])) : undefined;
  if (!options['apply'] || blocked || plan.steps.length === 0) {
    if (json(options)) out([JSON.stringify({ plan, applied: false, ...(valuesLine ? { valuesFile: resolve(String(options['values-out'])) } : {}) }, null, 2)]);
    else {
      const tail = blocked ? 'not applied: the plan is blocked (see above)' : plan.steps.length === 0 ? 'nothing to do' : options['apply'] ? '' : 'nothing changed yet: review the plan, then run again with --apply';
      out([...planLines(plan, { snippet: !valuesLine }), '', ...(valuesLine ? [valuesLine] : []), tail]);
    }
    return blocked ? 1 : 0;
  }
  if (!json(options)) out([...planLines(plan, { snippet: !valuesLine }), '', ...(valuesLine ? [valuesLine, ''] : []), 'applying:']);
  const result = await applyPortPlan(plan, {
    api,
    audit: gatewayAudit(entry, ctx.env, (line) => ctx.stderr.write(`meshdeck: ${line}\n`)),
    ...(json(options) ? {} : { onProgress: (event) => ctx.stdout.write(`${progressLine(event)}\n`) }),
  });
  const replanned = result.conflict ? await planAgain(api, plan, { ...range, now: new Date() }).catch(() => undefined) : undefined;
  if (json(options)) out([JSON.stringify({ plan, applied: true, result, ...(replanned ? { replanned } : {}) }, null, 2)]);
  else {
    out([applySummary(result), ...unfinishedLines(result.steps.map((step) => ({ ...step, cluster: context })))]);
    if (replanned) out(['', 'The plan against the Service as it is now (review it, then run again to apply):', '', ...planLines(replanned)]);
  }
  return result.ok ? 0 : 1;
}
