import type { ContextEntry } from '../kube/kubeconfig.js';
import { connectContexts } from '../actions/ca/connect.js';
import { renderPlan } from '../actions/plan.js';
import { applyInjectionPlan, namespaceInjects, planInjection, planRestarts, readNamespaceState, verifyNamespace, type InjectPlan, type KubeApi, type RestartableKind } from '../actions/inject/index.js';
import { progressLine } from './inject-run.js';
import { injectAudit } from './inject-audit.js';
import type { ActionRequest, ActionService } from '../ui/source.js';

/**
 * The cockpit's injection keys (i, r, R) on the engine of `meshdeck inject` and `meshdeck restart`:
 * plan from live state, show it, and only on confirmation apply it one cluster at a time.
 */
export function injectionActionService(contexts: ContextEntry[], request: ActionRequest, env: NodeJS.ProcessEnv = process.env): ActionService {
  let apis: Map<string, KubeApi> | undefined;
  let plan: InjectPlan | undefined;
  const clusters = request.kind === 'restart-missing' ? contexts.map((c) => c.name) : [request.cluster];
  const connect = async () => {
    apis ??= await connectContexts(contexts.filter((c) => clusters.includes(c.name)));
    return apis;
  };
  const readStates = async () => {
    const all = await connect();
    return Promise.all([...all].map(([cluster, api]) => readNamespaceState(cluster, api, request.namespace)));
  };
  const title =
    request.kind === 'toggle-injection'
      ? `sidecar injection in namespace ${request.namespace} (${request.cluster})`
      : request.kind === 'restart'
        ? `restart ${request.workloadKind.toLowerCase()} ${request.namespace}/${request.workload} (${request.cluster})`
        : `restart every workload of ${request.namespace} still missing its sidecar, in ${clusters.join(', ')}`;
  return {
    title,
    async prepare(onStatus) {
      onStatus('reading the namespace…');
      const states = await readStates();
      if (request.kind === 'toggle-injection') {
        // The key toggles: a namespace that injects now is turned off, any other is turned on.
        const state = states[0];
        const enabled = state ? namespaceInjects(state, state.labels) : false;
        plan = planInjection(states, { action: enabled ? 'disable' : 'enable' });
      } else if (request.kind === 'restart') {
        plan = planRestarts(states, { workload: { kind: request.workloadKind as RestartableKind, name: request.workload }, force: true });
      } else {
        plan = planRestarts(states, { missingSidecar: true });
      }
      return { lines: renderPlan(plan), blocked: plan.blocked.length > 0, empty: plan.steps.length === 0 };
    },
    async apply(onLine) {
      if (!plan) return { ok: false, lines: ['nothing prepared'] };
      const all = await connect();
      const audit = injectAudit(contexts, env, (line) => onLine(`! ${line}`));
      const result = await applyInjectionPlan(plan, {
        api: (cluster) => all.get(cluster)!,
        onProgress: (event) => {
          audit.record(event);
          onLine(progressLine(event));
        },
      });
      await audit.settled();
      const findings = (await readStates()).flatMap((state) => verifyNamespace(state, undefined));
      plan = undefined;
      return { ok: result.ok, lines: ['', result.ok ? '✓ applied' : '✗ some steps failed', ...findings.map((f) => `${f.severity === 'error' ? '✗' : f.severity === 'warning' ? '!' : '·'} ${f.message}`)] };
    },
  };
}
