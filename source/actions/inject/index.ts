// The injection engine shared by `meshdeck inject` / `meshdeck restart` and the cockpit's `i` and `r`
// keys: read a namespace per cluster, plan, apply one cluster at a time, verify.
export { readNamespaceState, istioRevisions, selectorString, workloadPath } from './live-state.js';
export { planInjection, planRestarts, type InjectionOptions, type RestartOptions } from './plan.js';
export { applyInjectionPlan, type InjectApplyDeps } from './apply.js';
export { checkNewPods, verifyNamespace, type InjectFinding } from './verify.js';
export { compareSidecars, describeInjectionLabels, namespaceInjects, wouldInject, type SidecarMismatch } from './predict.js';
export { rolloutProgress } from './rollout.js';
export * from './types.js';
