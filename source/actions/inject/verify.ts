import type { KubeObject } from '../../kube/types.js';
import { hasProxy } from '../../mesh/workloads.js';
import { compareSidecars, describeInjectionLabels, namespaceInjects } from './predict.js';
import type { NamespaceState } from './types.js';

export interface InjectFinding {
  cluster: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

/** Whether every new pod runs (or runs without) istio-proxy; the first pod that does not, otherwise. */
export function checkNewPods(pods: readonly KubeObject[], expectSidecar: boolean): { pod: string; message: string } | undefined {
  const wrong = pods.filter((p) => hasProxy(p) !== expectSidecar);
  if (wrong.length === 0) return undefined;
  const names = wrong.slice(0, 3).map((p) => p.metadata.name).join(', ');
  return { pod: wrong[0]!.metadata.name, message: `${wrong.length} of ${pods.length} ${expectSidecar ? 'without' : 'still with'} istio-proxy (${names}${wrong.length > 3 ? ', …' : ''})` };
}

/**
 * How a namespace stands after an apply (read again with readNamespaceState): whether its labels ask
 * for injection as wanted, and which workloads' running pods still differ from what injection gives
 * new pods. Errors for a namespace not as wanted, warnings for pods still to restart.
 */
export function verifyNamespace(state: NamespaceState, want: 'enabled' | 'disabled' | undefined): InjectFinding[] {
  const { cluster, namespace } = state;
  if (!state.exists) return want === 'enabled' ? [{ cluster, severity: 'error', message: `${cluster} has no namespace ${namespace}` }] : [];
  const out: InjectFinding[] = [];
  const injects = namespaceInjects(state, state.labels);
  const labels = describeInjectionLabels(state.labels);
  if (want === 'enabled' && !injects) out.push({ cluster, severity: 'error', message: `${namespace} in ${cluster} does not get sidecars injected (${labels})` });
  else if (want === 'disabled' && injects) out.push({ cluster, severity: 'error', message: `${namespace} in ${cluster} still gets sidecars injected (${labels})` });
  const missing: string[] = [];
  const unwanted: string[] = [];
  for (const workload of state.workloads) {
    const mismatch = compareSidecars(state, state.labels, workload);
    if (mismatch.wrong === 0) continue;
    (mismatch.expectSidecar ? missing : unwanted).push(`${workload.kind.toLowerCase()}/${workload.name}`);
  }
  if (missing.length > 0) out.push({ cluster, severity: 'warning', message: `in ${cluster}, pods of ${missing.join(', ')} run without the istio-proxy that ${namespace} asks for: restart them` });
  if (unwanted.length > 0) out.push({ cluster, severity: 'warning', message: `in ${cluster}, pods of ${unwanted.join(', ')} still run istio-proxy though ${namespace} no longer asks for it: restart them` });
  if (out.length === 0) out.push({ cluster, severity: 'info', message: `${namespace} in ${cluster}: ${injects ? 'injection on' : 'injection off'} (${labels}); every running pod matches` });
  return out;
}
