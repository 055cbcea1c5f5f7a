import { describeError } from '../kube/errors.js';
import type { StepProgress } from './plan.js';

/** A step that failed for a reason already phrased for the user (shown as it is, without "X failed:"). */
export class StepFailure extends Error {}

interface Step {
  id: string;
  cluster: string;
  verb: string;
  target: string;
}

export interface StepOutcome {
  message: string;
}

export interface RanStep<S extends Step> {
  id: string;
  cluster: string;
  verb: S['verb'];
  target: string;
  status: 'done' | 'failed' | 'skipped';
  message: string;
}

export interface StepRunner<S extends Step, O extends StepOutcome> {
  /** "creating X in east": the progress line, and the start of a failure's message. */
  describeStart(step: S): string;
  /** Carries the step out; `waiting` reports a later state of a step still running (a rollout, a sync). */
  run(step: S, waiting: (message: string) => void): Promise<O>;
  onProgress?: (event: StepProgress & { step: S; message: string; waiting?: boolean }) => void;
  /** Called once each step has ended, done or failed (the audit log). */
  ended?: (step: S, outcome: 'success' | 'failure', message: string) => void | Promise<void>;
}

/**
 * Carries out steps in order; the first failure skips the rest, so nothing is done on top of a step that
 * did not happen. Each step is reported as running, then done, failed or skipped.
 */
export async function runStepsInOrder<S extends Step, O extends StepOutcome>(steps: readonly S[], runner: StepRunner<S, O>): Promise<(RanStep<S> & Partial<O>)[]> {
  const results: (RanStep<S> & Partial<O>)[] = [];
  let failed = false;
  const report = (step: S, state: StepProgress['state'], message: string, waiting = false) => runner.onProgress?.({ stepId: step.id, state, message, step, ...(waiting ? { waiting } : {}) });
  for (const step of steps) {
    const base = { id: step.id, cluster: step.cluster, verb: step.verb, target: step.target };
    if (failed) {
      results.push({ ...base, status: 'skipped', message: 'skipped: an earlier step failed' } as RanStep<S> & Partial<O>);
      report(step, 'skipped', 'skipped: an earlier step failed');
      continue;
    }
    report(step, 'running', runner.describeStart(step));
    try {
      const outcome = await runner.run(step, (message) => report(step, 'running', message, true));
      results.push({ ...base, status: 'done', ...outcome } as RanStep<S> & Partial<O>);
      report(step, 'done', outcome.message);
      await runner.ended?.(step, 'success', outcome.message);
    } catch (error) {
      failed = true;
      const message = error instanceof StepFailure ? error.message : `${runner.describeStart(step)} failed: ${describeError(error)}`;
      results.push({ ...base, status: 'failed', message } as RanStep<S> & Partial<O>);
      report(step, 'failed', message);
      await runner.ended?.(step, 'failure', message);
    }
  }
  return results;
}
