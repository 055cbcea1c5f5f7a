import { applyLabels, compareSidecars, describeInjectionLabels, namespaceInjects, type SidecarMismatch } from './predict.js';
import {
  DEFAULT_REVISION,
  INJECTION_LABEL,
  NEVER_INJECTED,
  RESTARTED_AT_ANNOTATION,
  REVISION_LABEL,
  type InjectPlan,
  type InjectStep,
  type LabelChange,
  type NamespaceState,
  type RestartableKind,
  type WorkloadState,
} from './types.js';

export interface InjectionOptions {
  action: 'enable' | 'disable';
  /** disable: label the namespace istio-injection=disabled instead of only removing the labels. */
  setDisabled?: boolean;
  /** Also restart the workloads whose pods then lack (enable) or still run (disable) istio-proxy. */
  restart?: boolean;
}

export interface RestartOptions {
  /** One workload; `kind` defaults to whichever restartable kind has that name (Deployment first). */
  workload?: { kind?: RestartableKind; name: string };
  /** Every workload whose running pods lack the sidecar their namespace asks for. */
  missingSidecar?: boolean;
  /** Restart the named workload even when its pods already are as injection would make them. */
  force?: boolean;
}

const RESTARTABLE: readonly RestartableKind[] = ['Deployment', 'StatefulSet', 'DaemonSet'];
const isRestartable = (kind: string): kind is RestartableKind => (RESTARTABLE as readonly string[]).includes(kind);
const lower = (kind: string) => kind.toLowerCase();
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Turning automatic injection on or off for one namespace in each cluster (`istio-injection=enabled`,
 * or `istio.io/rev=<rev>` where the control plane is a revision), and with `restart`, the rollout
 * restarts that make running pods match. Nothing already in place is planned again, so planning
 * after a successful apply gives no steps. Pure: the states are read beforehand (readNamespaceState).
 */
export function planInjection(states: readonly NamespaceState[], options: InjectionOptions): InjectPlan {
  const plan = newPlan(options.action, states, `${options.action} sidecar injection in namespace ${namespaceOf(states)}`);
  for (const state of states) {
    if (options.action === 'enable') planEnable(plan, state, options);
    else planDisable(plan, state, options);
  }
  return plan;
}

/**
 * Rollout restarts so that pods get (or lose) their sidecar: one workload, or every workload whose
 * running pods lack the sidecar the namespace asks for, per cluster, each followed by a check of the
 * new pods. Workloads whose pods already match are left alone (unless `force`).
 */
export function planRestarts(states: readonly NamespaceState[], options: RestartOptions): InjectPlan {
  if (Boolean(options.workload) === Boolean(options.missingSidecar)) throw new TypeError('planRestarts needs either a workload or missingSidecar');
  const namespace = namespaceOf(states);
  const what = options.workload ? `${lower(options.workload.kind ?? 'Deployment')} ${namespace}/${options.workload.name}` : `the workloads of ${namespace} that lack istio-proxy`;
  const plan = newPlan('restart', states, `restart ${what}`);
  const found: string[] = [];
  for (const state of states) {
    const note = (message: string) => void plan.notes.push({ cluster: state.cluster, message });
    if (!state.exists) {
      note(`${state.cluster} has no namespace ${namespace}: nothing to restart there`);
      continue;
    }
    if (options.missingSidecar) {
      addRestarts(plan, state, restartCandidates(plan, state, state.labels, 'missing'));
      continue;
    }
    const wanted = options.workload!;
    const workload = findWorkload(state, wanted);
    if (!workload) continue;
    found.push(state.cluster);
    const ref = `${lower(workload.kind)} ${namespace}/${workload.name}`;
    if (!isRestartable(workload.kind)) {
      plan.blocked.push({ cluster: state.cluster, reason: `${ref} in ${state.cluster} cannot be restarted: only Deployments, StatefulSets and DaemonSets roll out new pods; delete its pods so that their owner recreates them` });
      continue;
    }
    if (workload.onDelete) {
      plan.blocked.push({ cluster: state.cluster, reason: `${ref} in ${state.cluster} has updateStrategy OnDelete: a rollout restart replaces no pod; delete its pods one by one instead` });
      continue;
    }
    if (!workload.resourceVersion) {
      plan.blocked.push({ cluster: state.cluster, reason: `${ref} in ${state.cluster} was not read as an object (pods only); plan again` });
      continue;
    }
    const mismatch = compareSidecars(state, state.labels, workload);
    if (mismatch.wrong === 0 && !options.force) {
      note(`the pods of ${ref} in ${state.cluster} already ${mismatch.expectSidecar ? 'run' : 'run without'} istio-proxy, as ${state.namespace}'s labels ask (${describeInjectionLabels(state.labels)}): nothing to restart`);
      continue;
    }
    addRestarts(plan, state, [mismatch]);
  }
  if (options.workload && found.length === 0) {
    for (const state of states.filter((s) => s.exists)) plan.blocked.push({ cluster: state.cluster, reason: `${state.cluster} has no ${lower(options.workload.kind ?? 'Deployment')} ${namespace}/${options.workload.name}` });
  } else if (options.workload) {
    for (const state of states) if (state.exists && !found.includes(state.cluster)) plan.notes.push({ cluster: state.cluster, message: `${state.cluster} has no ${options.workload.name} in ${namespace}: nothing to restart there` });
  }
  return plan;
}

function newPlan(action: InjectPlan['action'], states: readonly NamespaceState[], what: string): InjectPlan {
  const clusters = states.map((s) => s.cluster);
  return { kind: 'inject', version: 1, title: `${what} (${clusters.join(', ')})`, action, namespace: namespaceOf(states), clusters, steps: [], blocked: [], notes: [] };
}

function namespaceOf(states: readonly NamespaceState[]): string {
  const names = new Set(states.map((s) => s.namespace));
  if (names.size > 1) throw new TypeError(`one namespace per plan, got ${[...names].join(', ')}`);
  return states[0]?.namespace ?? '';
}

function planEnable(plan: InjectPlan, state: NamespaceState, options: InjectionOptions): void {
  const { cluster, namespace } = state;
  const block = (reason: string) => void plan.blocked.push({ cluster, reason });
  if (NEVER_INJECTED.has(namespace)) return block(`Istio never injects sidecars into ${namespace}`);
  if (!state.exists) return block(`${cluster} has no namespace ${namespace}`);
  if (!state.revision) return block(`${cluster} runs no Istio control plane or injector (istiod or istio-sidecar-injector in istio-system): install Istio there first`);
  let labels = state.labels;
  if (!namespaceInjects(state, labels)) {
    const change: LabelChange =
      state.revision === DEFAULT_REVISION
        ? { set: { [INJECTION_LABEL]: 'enabled' }, remove: labels[REVISION_LABEL] !== undefined ? [REVISION_LABEL] : [] }
        : { set: { [REVISION_LABEL]: state.revision }, remove: labels[INJECTION_LABEL] !== undefined ? [INJECTION_LABEL] : [] };
    plan.steps.push(labelStep(state, change));
    labels = applyLabels(labels, change);
  } else if (labels[INJECTION_LABEL] !== undefined && labels[REVISION_LABEL] !== undefined) {
    plan.notes.push({ cluster, message: `${namespace} carries both ${INJECTION_LABEL} and ${REVISION_LABEL}; Istio's webhooks use ${INJECTION_LABEL} and ignore ${REVISION_LABEL}=${labels[REVISION_LABEL]}` });
  }
  finishRestarts(plan, state, labels, 'missing', options.restart);
}

function planDisable(plan: InjectPlan, state: NamespaceState, options: InjectionOptions): void {
  const { cluster, namespace } = state;
  if (!state.exists) return void plan.notes.push({ cluster, message: `${cluster} has no namespace ${namespace}: nothing to disable there` });
  const labels = state.labels;
  const change: LabelChange = { set: {}, remove: [] };
  if (options.setDisabled) {
    if (labels[INJECTION_LABEL] !== 'disabled') change.set[INJECTION_LABEL] = 'disabled';
  } else if (labels[INJECTION_LABEL] !== undefined) change.remove.push(INJECTION_LABEL);
  if (labels[REVISION_LABEL] !== undefined) change.remove.push(REVISION_LABEL);
  let after = labels;
  if (Object.keys(change.set).length > 0 || change.remove.length > 0) {
    plan.steps.push(labelStep(state, change));
    after = applyLabels(labels, change);
  }
  finishRestarts(plan, state, after, 'unwanted', options.restart);
}

/** Restarts after a label change: planned with `restart`, else named in a note. */
function finishRestarts(plan: InjectPlan, state: NamespaceState, labels: Record<string, string>, which: 'missing' | 'unwanted', restart: boolean | undefined): void {
  const candidates = restartCandidates(plan, state, labels, which);
  if (restart) return addRestarts(plan, state, candidates);
  if (candidates.length === 0) return;
  const names = candidates.map((m) => `${lower(m.workload.kind)}/${m.workload.name}`).join(', ');
  const how = which === 'missing' ? `meshdeck restart -n ${state.namespace} --missing-sidecar` : `meshdeck restart -n ${state.namespace} WORKLOAD`;
  plan.notes.push({ cluster: state.cluster, message: `the running pods of ${names} ${which === 'missing' ? 'get istio-proxy' : 'lose istio-proxy'} only when they restart (plan with restart, or ${how})` });
}

/**
 * Restartable workloads whose running pods differ from what injection gives their next pods under
 * `labels`: pods lacking the sidecar (`missing`) or running one they should not (`unwanted`). What
 * cannot be restarted is named in a note.
 */
function restartCandidates(plan: InjectPlan, state: NamespaceState, labels: Record<string, string>, which: 'missing' | 'unwanted'): SidecarMismatch[] {
  const note = (message: string) => void plan.notes.push({ cluster: state.cluster, message });
  const asked = labels[INJECTION_LABEL] === 'enabled' ? 'default' : labels[INJECTION_LABEL] === undefined ? labels[REVISION_LABEL] : undefined;
  if (which === 'missing' && asked !== undefined && !namespaceInjects(state, labels)) {
    note(`${state.namespace} asks for revision ${asked}, which no injector in ${state.cluster} serves (installed: ${state.revisions.join(', ') || 'none'}): restarts would bring no sidecars`);
  }
  const out: SidecarMismatch[] = [];
  for (const workload of state.workloads) {
    const mismatch = compareSidecars(state, labels, workload);
    if (mismatch.wrong === 0 || mismatch.expectSidecar !== (which === 'missing')) continue;
    const ref = `${lower(workload.kind)} ${state.namespace}/${workload.name}`;
    if (!isRestartable(workload.kind)) note(`${ref} (${plural(mismatch.wrong, 'pod')}) has no Deployment, StatefulSet or DaemonSet to restart: delete and recreate it yourself`);
    else if (workload.onDelete) note(`${ref} has updateStrategy OnDelete: delete its pods to replace them`);
    else if (!workload.resourceVersion) note(`${ref} was not found as an object (pods only): delete its pods so that their owner recreates them`);
    else out.push(mismatch);
  }
  return out;
}

function addRestarts(plan: InjectPlan, state: NamespaceState, mismatches: SidecarMismatch[]): void {
  if (mismatches.length === 0) return;
  for (const mismatch of mismatches) plan.steps.push(restartStep(state, mismatch));
  plan.steps.push({
    id: `${state.cluster}/verify-sidecars`,
    cluster: state.cluster,
    verb: 'verify',
    namespace: state.namespace,
    target: `new pods in namespace ${state.namespace}`,
    before: null,
    after: mismatches.map((m) => `${lower(m.workload.kind)}/${m.workload.name} ${m.expectSidecar ? 'with' : 'without'} istio-proxy`).join(', '),
    diff: mismatches.map((m) => `  ${lower(m.workload.kind)}/${m.workload.name}: every new pod ${m.expectSidecar ? 'runs' : 'runs without'} istio-proxy`),
    undoable: true,
    checks: mismatches.map((m) => ({ kind: m.workload.kind as RestartableKind, name: m.workload.name, expectSidecar: m.expectSidecar })),
  });
}

function labelStep(state: NamespaceState, change: LabelChange): InjectStep {
  const labels = state.labels;
  const diff: string[] = [];
  for (const key of change.remove) diff.push(`- ${key}=${labels[key]}`);
  for (const [key, value] of Object.entries(change.set)) {
    if (labels[key] !== undefined) diff.push(`- ${key}=${labels[key]}`);
    diff.push(`+ ${key}=${value}`);
  }
  return {
    id: `${state.cluster}/label-namespace`,
    cluster: state.cluster,
    verb: 'label',
    namespace: state.namespace,
    target: `namespace ${state.namespace}`,
    before: describeInjectionLabels(labels),
    after: describeInjectionLabels(applyLabels(labels, change)),
    diff,
    undoable: true,
    labels: change,
    ...(state.resourceVersion ? { precondition: { resourceVersion: state.resourceVersion } } : {}),
  };
}

function restartStep(state: NamespaceState, mismatch: SidecarMismatch): InjectStep {
  const workload: WorkloadState = mismatch.workload;
  const kind = workload.kind as RestartableKind;
  const having = mismatch.expectSidecar ? 'without' : 'with';
  const running = mismatch.wrong === 0 ? `${plural(mismatch.running, 'pod')} already as wanted (restart forced)` : `${plural(mismatch.wrong, 'running pod')} ${having} istio-proxy`;
  return {
    id: `${state.cluster}/restart-${lower(kind)}-${workload.name}`,
    cluster: state.cluster,
    verb: 'restart',
    namespace: state.namespace,
    target: `${lower(kind)} ${state.namespace}/${workload.name}`,
    before: running,
    after: `new pods ${mismatch.expectSidecar ? 'with' : 'without'} istio-proxy`,
    diff: [`~ spec.template.metadata.annotations["${RESTARTED_AT_ANNOTATION}"] (rollout restart)`, `- ${running}`, `+ new pods ${mismatch.expectSidecar ? 'with' : 'without'} istio-proxy`],
    undoable: false,
    workload: { kind, name: workload.name },
    expectSidecar: mismatch.expectSidecar,
    ...(workload.resourceVersion ? { precondition: { resourceVersion: workload.resourceVersion, ...(workload.generation !== undefined ? { generation: workload.generation } : {}) } } : {}),
  };
}

function findWorkload(state: NamespaceState, wanted: { kind?: RestartableKind; name: string }): WorkloadState | undefined {
  const named = state.workloads.filter((w) => w.name === wanted.name);
  if (wanted.kind) return named.find((w) => w.kind === wanted.kind);
  return RESTARTABLE.map((kind) => named.find((w) => w.kind === kind)).find((w) => w !== undefined) ?? named[0];
}
