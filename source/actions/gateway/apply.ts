import { describeError, KubeRequestError } from '../../kube/errors.js';
import type { StepProgress as SharedStepProgress } from '../plan.js';
import type { GatewayPortPlan, KubeApi, PortPlanStep } from './types.js';
import { verifyPortPlan, type PortVerifyReport } from './verify.js';

export interface PortApplyDeps {
  api: KubeApi;
  onProgress?: (event: PortStepProgress) => void;
  /**
   * Called once per write the API server was asked to make, accepted or not (the audit log). It
   * must not throw: failures to record are the caller's to report.
   */
  audit?: (record: { step: PortPlanStep; outcome: 'success' | 'failure'; message: string }) => void | Promise<void>;
  /** Defaults: verify 60 s, polling every 500 ms. */
  timeouts?: { verifyMs?: number; pollMs?: number };
}

/** The shared progress event (stepId, state, message), with the step itself. */
export interface PortStepProgress extends SharedStepProgress {
  step: PortPlanStep;
  message: string;
  /** A later report of a running step (endpoints not ready yet). */
  waiting?: boolean;
}

export interface PortStepResult {
  id: string;
  verb: PortPlanStep['verb'];
  target: string;
  status: 'done' | 'failed' | 'skipped';
  message: string;
}

export interface PortApplyResult {
  ok: boolean;
  /** An object changed since the plan was read: nothing of it was overwritten; read again and re-plan. */
  conflict?: { stepId: string; target: string; message: string };
  steps: PortStepResult[];
  verify?: PortVerifyReport;
}

/** Thrown for a plan that says it must not be applied. */
export class PortPlanBlockedError extends Error {}

class StepFailure extends Error {
  constructor(
    message: string,
    readonly conflict = false,
  ) {
    super(message);
  }
}

/**
 * Carries out a gateway-port plan step by step (a failed step skips the rest). Every write is a JSON
 * merge patch carrying the resourceVersion the plan was made from, so an object someone else changed
 * in the meantime is refused by the API server (409) instead of overwritten: the result then says
 * `conflict`, and the caller reads the gateway again and shows the new diff.
 */
export async function applyPortPlan(plan: GatewayPortPlan, deps: PortApplyDeps): Promise<PortApplyResult> {
  if (plan.blocked.length > 0) throw new PortPlanBlockedError(plan.blocked.map((b) => b.reason).join('; '));
  const result: PortApplyResult = { ok: true, steps: [] };
  const report = (step: PortPlanStep, state: PortStepProgress['state'], message: string, waiting = false) => deps.onProgress?.({ stepId: step.id, state, message, step, ...(waiting ? { waiting } : {}) });
  for (const step of plan.steps) {
    const base = { id: step.id, verb: step.verb, target: step.target };
    if (!result.ok) {
      result.steps.push({ ...base, status: 'skipped', message: 'skipped: an earlier step failed' });
      report(step, 'skipped', 'skipped: an earlier step failed');
      continue;
    }
    report(step, 'running', describeStart(step, plan.cluster));
    try {
      let message: string;
      if (step.verb === 'patch') {
        try {
          message = await patchStep(deps.api, step, plan.cluster);
        } catch (error) {
          await deps.audit?.({ step, outcome: 'failure', message: error instanceof StepFailure ? error.message : describeError(error) });
          throw error;
        }
        await deps.audit?.({ step, outcome: 'success', message });
      } else {
        const verify = await verifyPortPlan(deps.api, plan, {
          timeoutMs: deps.timeouts?.verifyMs ?? 60_000,
          pollMs: deps.timeouts?.pollMs ?? 500,
          onWaiting: (text) => report(step, 'running', text, true),
        });
        result.verify = verify;
        if (!verify.ok) throw new StepFailure(`not verified: ${verify.checks.filter((c) => !c.ok).map((c) => c.message).join('; ')}`);
        message = verify.checks.map((c) => c.message).join('; ');
      }
      result.steps.push({ ...base, status: 'done', message });
      report(step, 'done', message);
    } catch (error) {
      result.ok = false;
      const message = error instanceof StepFailure ? error.message : `${describeStart(step, plan.cluster)} failed: ${describeError(error)}`;
      if (error instanceof StepFailure && error.conflict) result.conflict = { stepId: step.id, target: step.target, message };
      result.steps.push({ ...base, status: 'failed', message });
      report(step, 'failed', message);
    }
  }
  return result;
}

function describeStart(step: PortPlanStep, cluster: string): string {
  if (step.verb === 'verify') return `waiting for ${step.target.replace(/^endpoints /, '')} to serve the new ports in ${cluster}`;
  return `patching ${step.target} in ${cluster}`;
}

async function patchStep(api: KubeApi, step: PortPlanStep, cluster: string): Promise<string> {
  const version = step.precondition?.resourceVersion;
  const body = { ...(version ? { metadata: { resourceVersion: version } } : {}), ...(step.patch ?? {}) };
  try {
    await api.request(step.path, { method: 'PATCH', contentType: 'application/merge-patch+json', body: JSON.stringify(body) });
  } catch (error) {
    if (error instanceof KubeRequestError && (error.status === 409 || error.status === 404)) {
      const what = error.status === 404 ? 'was deleted' : 'was changed by someone else';
      throw new StepFailure(`${step.target} in ${cluster} ${what} since it was read (resourceVersion ${version}); nothing was overwritten: read it again and review the new plan`, true);
    }
    if (error instanceof KubeRequestError && error.status === 422) throw new StepFailure(`the API server refused the new ${step.target}: ${error.message.replace(/^HTTP 422 \w*:?\s*/, '')}`);
    throw error;
  }
  return `patched ${step.target} in ${cluster}`;
}
