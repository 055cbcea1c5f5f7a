import { describeError, KubeRequestError } from '../../kube/errors.js';
import type { KubeObject } from '../../kube/types.js';
import { namespacePath, selectorString, workloadPath } from './live-state.js';
import { RolloutTimeoutError, restartPatch, restartStamp, sleep, templateRestartedAt, waitForWorkloadRollout, wantedPods, type WorkloadObject } from './rollout.js';
import { checkNewPods } from './verify.js';
import { InjectPlanBlockedError, type InjectApplyResult, type InjectPlan, type InjectProgress, type InjectStep, type InjectStepResult, type KubeApi } from './types.js';

const MERGE_PATCH = 'application/merge-patch+json';

export interface InjectApplyDeps {
  /** The API of a cluster named in the plan. */
  api(cluster: string): KubeApi;
  onProgress?: (event: InjectProgress) => void;
  now?: () => Date;
  /** Defaults: rollout 300 s per workload, new pods to show up 60 s, polling every 500 ms. */
  timeouts?: { rolloutMs?: number; podsMs?: number; pollMs?: number };
}

class StepFailure extends Error {}

/**
 * Carries out an injection plan one cluster at a time, in the plan's cluster order, each cluster's
 * steps in order: label the namespace, restart workloads (waiting for each rollout), check the new
 * pods. The first failure stops the run: the remaining steps, in this cluster and the next ones, are
 * skipped, so a problem shows in one cluster before it spreads. Writes carry the resourceVersion the
 * plan was made from; an object changed since then is not touched.
 */
export async function applyInjectionPlan(plan: InjectPlan, deps: InjectApplyDeps): Promise<InjectApplyResult> {
  if (plan.blocked.length > 0) throw new InjectPlanBlockedError(plan.blocked.map((b) => b.reason).join('; '));
  const clusters = [...new Set([...plan.clusters, ...plan.steps.map((s) => s.cluster)])];
  const ordered = clusters.flatMap((cluster) => plan.steps.filter((s) => s.cluster === cluster));
  const stamps = new Map<string, string>();
  const results: InjectStepResult[] = [];
  let failed = false;
  for (const step of ordered) {
    const base = { id: step.id, cluster: step.cluster, verb: step.verb, target: step.target };
    const report = (state: InjectProgress['state'], message: string, waiting = false) => deps.onProgress?.({ stepId: step.id, state, message, step, ...(waiting ? { waiting } : {}) });
    if (failed) {
      const message = 'skipped: an earlier step failed';
      results.push({ ...base, status: 'skipped', message });
      report('skipped', message);
      continue;
    }
    report('running', describeStart(step));
    try {
      const message = await runStep(step, deps, stamps, (progress) => report('running', progress, true));
      results.push({ ...base, status: 'done', message });
      report('done', message);
    } catch (error) {
      failed = true;
      const message = error instanceof StepFailure ? error.message : `${describeStart(step)} failed: ${describeError(error)}`;
      results.push({ ...base, status: 'failed', message });
      report('failed', message);
    }
  }
  return { ok: results.every((r) => r.status === 'done'), steps: results };
}

function describeStart(step: InjectStep): string {
  switch (step.verb) {
    case 'label':
      return `labelling ${step.target} in ${step.cluster} (${step.after})`;
    case 'restart':
      return `restarting ${step.target} in ${step.cluster}`;
    case 'verify':
      return `checking the new pods in ${step.namespace} in ${step.cluster}`;
  }
}

async function runStep(step: InjectStep, deps: InjectApplyDeps, stamps: Map<string, string>, waiting: (message: string) => void): Promise<string> {
  const api = deps.api(step.cluster);
  const poll = deps.timeouts?.pollMs ?? 500;
  switch (step.verb) {
    case 'label': {
      const change = step.labels ?? { set: {}, remove: [] };
      const labels: Record<string, string | null> = { ...change.set };
      for (const key of change.remove) labels[key] = null;
      const metadata = { ...(step.precondition ? { resourceVersion: step.precondition.resourceVersion } : {}), labels };
      await api.request(namespacePath(step.namespace), { method: 'PATCH', body: JSON.stringify({ metadata }), contentType: MERGE_PATCH, timeoutMs: 15_000 }).catch(changedSincePlan(step));
      return `labelled namespace ${step.namespace} in ${step.cluster}: ${step.after}`;
    }
    case 'restart': {
      const { kind, name } = step.workload!;
      const path = workloadPath(kind, step.namespace, name);
      const current = await api.requestJson<WorkloadObject>(path, { timeoutMs: 15_000 }).catch(changedSincePlan(step));
      const pre = step.precondition;
      // Status updates (pods becoming ready) move the resourceVersion but not the generation: the
      // template the plan saw is still there. Any change to the spec stops the restart.
      if (pre && current.metadata.resourceVersion !== pre.resourceVersion && (pre.generation === undefined || current.metadata.generation !== pre.generation)) throw new StepFailure(changedMessage(step));
      const stamp = restartStamp(deps.now?.() ?? new Date(), templateRestartedAt(current));
      await api.request(path, { method: 'PATCH', body: restartPatch(stamp, pre ? current.metadata.resourceVersion : undefined), contentType: MERGE_PATCH, timeoutMs: 15_000 }).catch(changedSincePlan(step));
      stamps.set(`${step.cluster}/${kind}/${name}`, stamp);
      const rolloutMs = deps.timeouts?.rolloutMs ?? 300_000;
      try {
        await waitForWorkloadRollout(api, kind, step.namespace, name, { timeoutMs: rolloutMs, pollMs: poll, onWaiting: waiting });
      } catch (error) {
        if (!(error instanceof RolloutTimeoutError)) throw error;
        throw new StepFailure(
          `${step.target} in ${step.cluster} did not finish its rollout within ${Math.round(rolloutMs / 1000)} s (${error.progress}); look at kubectl --context ${step.cluster} -n ${step.namespace} rollout status ${kind.toLowerCase()}/${name} and the new pods' events`,
        );
      }
      return `restarted ${step.target} in ${step.cluster}; the rollout is complete`;
    }
    case 'verify': {
      const done: string[] = [];
      for (const check of step.checks ?? []) {
        const stamp = stamps.get(`${step.cluster}/${check.kind}/${check.name}`);
        const ref = `${check.kind.toLowerCase()}/${check.name}`;
        if (!stamp) throw new StepFailure(`${ref} in ${step.cluster} was not restarted in this run, so there are no new pods to check; plan again`);
        const pods = await newPods(api, step, check.kind, check.name, stamp, deps.timeouts?.podsMs ?? 60_000, poll, waiting);
        const problem = checkNewPods(pods, check.expectSidecar);
        if (problem) {
          const hint = check.expectSidecar
            ? `check that the injector serves ${step.namespace} (kubectl --context ${step.cluster} get mutatingwebhookconfigurations; istioctl --context ${step.cluster} x check-inject -n ${step.namespace} ${problem.pod})`
            : `check the pod template for an explicit istio-proxy container or a sidecar.istio.io/inject label (kubectl --context ${step.cluster} -n ${step.namespace} get ${ref} -o yaml)`;
          throw new StepFailure(`new pods of ${ref} in ${step.cluster}: ${problem.message}; ${hint}`);
        }
        done.push(`${ref} (${pods.length})`);
      }
      const expectation = (step.checks ?? []).every((c) => c.expectSidecar) ? 'run istio-proxy' : (step.checks ?? []).every((c) => !c.expectSidecar) ? 'run without istio-proxy' : 'are as planned';
      return `${step.cluster}: the new pods of ${done.join(', ')} ${expectation}`;
    }
  }
}

/** The pods made from the restarted template (carrying its restartedAt), once as many as the workload wants exist. */
async function newPods(api: KubeApi, step: InjectStep, kind: 'Deployment' | 'StatefulSet' | 'DaemonSet', name: string, stamp: string, timeoutMs: number, pollMs: number, waiting: (message: string) => void): Promise<KubeObject[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const object = await api.requestJson<WorkloadObject>(workloadPath(kind, step.namespace, name), { timeoutMs: 15_000 });
    const selector = selectorString((object.spec?.['selector'] as Record<string, unknown> | undefined) ?? undefined);
    const query = selector ? `?labelSelector=${encodeURIComponent(selector)}` : '';
    const list = await api.requestJson<{ items?: KubeObject[] }>(`/api/v1/namespaces/${encodeURIComponent(step.namespace)}/pods${query}`, { timeoutMs: 15_000 });
    const pods = (list.items ?? []).filter((p) => !p.metadata.deletionTimestamp && p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] === stamp);
    const wanted = wantedPods(kind, object);
    if (pods.length >= wanted && (pods.length > 0 || wanted === 0)) return pods;
    if (Date.now() >= deadline) throw new StepFailure(`only ${pods.length} of ${wanted} new pods of ${kind.toLowerCase()}/${name} in ${step.cluster} appeared within ${Math.round(timeoutMs / 1000)} s`);
    waiting(`${pods.length} of ${wanted} new pods of ${kind.toLowerCase()}/${name} so far`);
    await sleep(pollMs);
  }
}

function changedMessage(step: InjectStep): string {
  return `${step.target} in ${step.cluster} changed since the plan was made; plan again and review it`;
}

function changedSincePlan(step: InjectStep) {
  return (error: unknown): never => {
    if (error instanceof KubeRequestError && (error.status === 409 || error.status === 404)) {
      throw new StepFailure(error.status === 404 ? `${step.target} no longer exists in ${step.cluster}; plan again` : changedMessage(step));
    }
    throw error;
  };
}
