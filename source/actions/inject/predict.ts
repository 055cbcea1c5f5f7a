import { DEFAULT_REVISION, INJECTION_LABEL, INJECT_LABEL, REVISION_LABEL, type LabelChange, type NamespaceState, type PodTemplateFacts, type WorkloadState } from './types.js';

// Whether new pods get a sidecar, decided as Istio's injection webhooks decide (per revision or tag:
// namespace.* and object.* for the default, rev.namespace.* and rev.object.* for revisions). Pure.

const FALSE = new Set(['false', 'n', 'no', 'off', '0', 'f']);

/** Whether an injector answers for this revision name: an installed revision, or a revision tag. */
export function available(state: Pick<NamespaceState, 'revisions' | 'tags'>, name: string): boolean {
  return state.revisions.includes(name) || state.tags[name] !== undefined;
}

/**
 * Whether a pod made now from `template` in a namespace with `namespaceLabels` would get istio-proxy.
 * istio-injection=enabled needs the default revision (or a `default` tag); istio-injection with any
 * other value stops every webhook; istio.io/rev needs that revision or tag; without either namespace
 * label the pod may ask itself (its own istio.io/rev, or sidecar.istio.io/inject=true for the default).
 */
export function wouldInject(state: Pick<NamespaceState, 'revisions' | 'tags'>, namespaceLabels: Record<string, string>, template: PodTemplateFacts): boolean {
  if (template.manualSidecar) return true;
  const podChoice = template.labels[INJECT_LABEL];
  if ((podChoice !== undefined && FALSE.has(podChoice.toLowerCase())) || (template.injectAnnotation !== undefined && FALSE.has(template.injectAnnotation.toLowerCase()))) return false;
  const injection = namespaceLabels[INJECTION_LABEL];
  if (injection === 'enabled') return available(state, DEFAULT_REVISION);
  if (injection !== undefined) return false;
  const revision = namespaceLabels[REVISION_LABEL];
  if (revision !== undefined) return available(state, revision);
  const podRevision = template.labels[REVISION_LABEL];
  if (podRevision !== undefined) return available(state, podRevision);
  return podChoice === 'true' && available(state, DEFAULT_REVISION);
}

const PLAIN_POD: PodTemplateFacts = { labels: {}, manualSidecar: false };

/** Whether the namespace's labels get an ordinary pod a sidecar. */
export function namespaceInjects(state: Pick<NamespaceState, 'revisions' | 'tags'>, labels: Record<string, string>): boolean {
  return wouldInject(state, labels, PLAIN_POD);
}

/** The labels after a change. */
export function applyLabels(labels: Record<string, string>, change: LabelChange): Record<string, string> {
  const out = { ...labels, ...change.set };
  for (const key of change.remove) delete out[key];
  return out;
}

/** `istio-injection=enabled istio.io/rev=1-24`, or `no injection labels`. */
export function describeInjectionLabels(labels: Record<string, string>): string {
  const parts = [INJECTION_LABEL, REVISION_LABEL].filter((k) => labels[k] !== undefined).map((k) => `${k}=${labels[k]}`);
  return parts.length > 0 ? parts.join(' ') : 'no injection labels';
}

export interface SidecarMismatch {
  workload: WorkloadState;
  /** Whether its next pods will run istio-proxy. */
  expectSidecar: boolean;
  /** Running pods (not terminating) that lack it, or have it, against that expectation. */
  wrong: number;
  running: number;
}

/** How a workload's running pods compare with what its next pods would be, under these namespace labels. */
export function compareSidecars(state: Pick<NamespaceState, 'revisions' | 'tags'>, labels: Record<string, string>, workload: WorkloadState): SidecarMismatch {
  const running = workload.pods.filter((p) => !p.terminating);
  const template = workload.template ?? podTemplateOfPods(workload);
  const expectSidecar = wouldInject(state, labels, template);
  return { workload, expectSidecar, wrong: running.filter((p) => p.sidecar !== expectSidecar).length, running: running.length };
}

// A workload that is not restartable has no template in the state; its pods stand for it.
function podTemplateOfPods(workload: WorkloadState): PodTemplateFacts {
  return { labels: {}, manualSidecar: workload.pods.length > 0 && workload.pods.every((p) => p.sidecar) };
}
