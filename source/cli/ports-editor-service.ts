import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ContextEntry } from '../kube/kubeconfig.js';
import { describeError } from '../kube/errors.js';
import { writeFailure } from './write-failure.js';
import { connectContexts } from '../actions/ca/connect.js';
import type { PortEdit, PortFinding, ServicePort } from '../mesh/gateway-ports/index.js';
import {
  applyPortPlan,
  GatewayNotFoundError,
  planPortEdit,
  portsReport,
  preferredSnippet,
  readGatewayState,
  verifyPortPlan,
  type ContextOptions,
  type GatewayLiveState,
  type GatewayPortPlan,
  type GatewayPortsReport,
  type KubeApi,
  type PortApplyResult,
  type PortVerifyReport,
  type ValuesSnippet,
} from '../actions/gateway/index.js';
import { applySummary, findingLine, planLines, portsLines, progressLine, verifyLines } from './gateway-format.js';
import { gatewayAudit } from './gateway-audit.js';

/** A gateway of one cluster, as the cockpit's Gateways pane has it (its Service's or Deployment's name). */
export interface PortsEditorTarget {
  cluster: string;
  namespace: string;
  name: string;
}

export interface PortsEditorChoices {
  /** Move or drop Gateway servers on a port the edit renumbers or removes. */
  updateGateways?: boolean;
  /** The user confirmed removing or moving a critical port (or cutting off a Gateway server). */
  confirmCritical?: boolean;
}

/** The form's view of one edit, recomputed on each keystroke from the state `load` read (no I/O). */
export interface PortsEditCheck {
  /** The Service's ports if the edit were applied. */
  desired: ServicePort[];
  /** `- old` / `+ new` lines of the Service's ports. */
  diff: string[];
  /** Every check of the result; `introduced` marks what the edit brings in. */
  findings: (PortFinding & { introduced: boolean })[];
  /** Why it cannot be applied as it stands (empty: it can). */
  blocked: string[];
  /** It would be allowed once the user confirms: the critical ports it touches, each with what breaks. */
  needsConfirmation: boolean;
  confirmations: { port: string; breaks: string }[];
  /** It changes nothing. */
  unchanged: boolean;
  /** The findings as text lines, errors first. */
  lines: string[];
}

export interface PortsEditorService {
  /** Reads the gateway (Service, container ports, bound Gateway servers) and checks its ports as they are. */
  load(target: PortsEditorTarget): Promise<{ report: GatewayPortsReport; lines: string[] }>;
  /** Checks an edit against the state `load` last read: synchronous, for validation while typing. */
  validate(target: PortsEditorTarget, edit: PortEdit, choices?: PortsEditorChoices): PortsEditCheck;
  /** Reads the gateway again and plans the edit: the plan apply will carry out, as data and text. */
  plan(target: PortsEditorTarget, edit: PortEdit, choices?: PortsEditorChoices): Promise<{ plan: GatewayPortPlan; lines: string[]; blocked: boolean; empty: boolean }>;
  /**
   * Applies exactly that plan, reporting each step as a line. On a conflict (someone changed the
   * Service or a Gateway since the plan was read) nothing is overwritten: `replanned` is the plan
   * against the current state, for the user to review again.
   */
  apply(plan: GatewayPortPlan, onLine: (text: string) => void): Promise<{ ok: boolean; conflict: boolean; result: PortApplyResult; lines: string[]; replanned?: { plan: GatewayPortPlan; lines: string[] } }>;
  /** Checks once more that the Service has the planned ports and its endpoints are ready (waits up to `timeoutMs`, default 0). */
  verify(plan: GatewayPortPlan, timeoutMs?: number): Promise<{ ok: boolean; report: PortVerifyReport; lines: string[] }>;
  /** The values snippets that keep the plan's ports across upgrades, the one for its manager first, with a default file name. */
  values(plan: GatewayPortPlan): { snippets: ValuesSnippet[]; warning?: string; defaultFile: string };
  /**
   * Writes the preferred snippet (or the one of `format`) to a new file. An existing file is left alone
   * (`exists`) unless `overwrite` says the user confirmed replacing it.
   */
  saveValues(plan: GatewayPortPlan, file: string, format?: ValuesSnippet['format'], options?: { overwrite?: boolean }): { ok: boolean; path: string; lines: string[]; exists?: boolean };
}


const key = (t: PortsEditorTarget) => `${t.cluster}/${t.namespace}/${t.name}`;

/**
 * The effects behind the cockpit's gateway port editor, on the same engine as `meshdeck gateway`:
 * nothing is written before `apply`, which runs exactly the plan the user reviewed.
 */
export function portsEditorService(contexts: ContextEntry[], env: NodeJS.ProcessEnv, options: ContextOptions = {}): PortsEditorService {
  let apis: Map<string, KubeApi> | undefined;
  const loaded = new Map<string, GatewayLiveState>();
  const api = async (cluster: string): Promise<KubeApi> => {
    apis ??= await connectContexts(contexts);
    const found = apis.get(cluster);
    if (!found) throw new Error(`no context ${cluster} in the kubeconfig`);
    return found;
  };
  const read = async (target: PortsEditorTarget) => {
    const live = await readGatewayState(target.cluster, await api(target.cluster), target);
    loaded.set(key(target), live);
    return live;
  };
  const planOf = (live: GatewayLiveState, edit: PortEdit, choices: PortsEditorChoices) => planPortEdit(live, edit, { ...options, ...choices, now: new Date() });

  return {
    async load(target) {
      try {
        const report = portsReport(await read(target), options);
        return { report, lines: portsLines(report) };
      } catch (error) {
        const message = error instanceof GatewayNotFoundError ? error.message : `cannot read gateway ${target.namespace}/${target.name} in ${target.cluster}: ${describeError(error)}`;
        throw new Error(message);
      }
    },

    validate(target, edit, choices = {}) {
      const live = loaded.get(key(target));
      if (!live) throw new Error(`gateway ${target.namespace}/${target.name} in ${target.cluster} is not loaded: call load first`);
      const plan = planOf(live, edit, choices);
      const confirmed = choices.confirmCritical ? plan : planOf(live, edit, { ...choices, confirmCritical: true });
      const confirmations = plan.findings
        .filter((f) => f.introduced && (f.code === 'critical-port' || f.code === 'gateway-port-missing'))
        .map((f) => ({ port: f.port ?? String(f.serverPort ?? ''), breaks: f.breaks ?? `traffic to Gateway ${f.gateway} on port ${f.serverPort}` }));
      return {
        desired: plan.after,
        diff: plan.steps.find((s) => s.object === 'service')?.diff ?? [],
        findings: plan.findings,
        blocked: plan.blocked.map((b) => b.reason),
        needsConfirmation: plan.blocked.length > 0 && confirmed.blocked.length === 0,
        confirmations,
        unchanged: plan.steps.length === 0 && plan.blocked.length === 0,
        lines: plan.findings.map(findingLine),
      };
    },

    async plan(target, edit, choices = {}) {
      const plan = planOf(await read(target), edit, choices);
      return { plan, lines: planLines(plan, { snippet: true }), blocked: plan.blocked.length > 0, empty: plan.steps.length === 0 };
    },

    async apply(plan, onLine) {
      const cluster = await api(plan.cluster);
      const entry = contexts.find((c) => c.name === plan.cluster);
      const result = await applyPortPlan(plan, {
        api: cluster,
        onProgress: (event) => onLine(progressLine(event)),
        ...(entry ? { audit: gatewayAudit(entry, env, (line) => onLine(`  ! ${line}`)) } : {}),
      });
      const lines = [applySummary(result)];
      if (!result.conflict) return { ok: result.ok, conflict: false, result, lines };
      // Read again (the form validates against this from now on) and plan the same edit on it.
      const live = await read({ cluster: plan.cluster, namespace: plan.gateway.namespace, name: plan.gateway.name });
      const fresh = planOf(live, plan.edit, plan.options);
      return { ok: false, conflict: true, result, lines, replanned: { plan: fresh, lines: planLines(fresh, { snippet: true }) } };
    },

    async verify(plan, timeoutMs = 0) {
      const report = await verifyPortPlan(await api(plan.cluster), plan, { timeoutMs, pollMs: 500 });
      return { ok: report.ok, report, lines: verifyLines(report) };
    },

    values(plan) {
      const preferred = preferredSnippet(plan.upgrade);
      return {
        snippets: [preferred, ...plan.upgrade.snippets.filter((s) => s !== preferred)],
        ...(plan.upgrade.warning ? { warning: plan.upgrade.warning } : {}),
        defaultFile: `${plan.cluster}-${plan.gateway.namespace}-${plan.gateway.name}-${preferred.format}.yaml`.replace(/[^A-Za-z0-9._-]/g, '_'),
      };
    },

    saveValues(plan, file, format, { overwrite = false } = {}) {
      const snippet = (format && plan.upgrade.snippets.find((s) => s.format === format)) || preferredSnippet(plan.upgrade);
      const path = resolve(file);
      try {
        writeFileSync(path, snippet.yaml, { mode: 0o644, flag: overwrite ? 'w' : 'wx' });
      } catch (error) {
        const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
        return { ok: false, path, ...(exists ? { exists } : {}), lines: [exists ? `✗ ${path} already exists; meshdeck does not overwrite it: pick another file name` : `✗ ${writeFailure(error, path)}`] };
      }
      return { ok: true, path, lines: [`✓ wrote ${snippet.title.split(':')[0]} to ${path}${overwrite ? ' (replaced the old file)' : ''}`] };
    },
  };
}
