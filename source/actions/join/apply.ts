import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KubeRequestError } from '../../kube/errors.js';
import type { StepProgress as SharedStepProgress } from '../plan.js';
import { runStepsInOrder, StepFailure } from '../step-runner.js';
import { collectionPath, objectPath } from './objects.js';
import { remoteKubeconfig, remoteSecretObject } from './remote-secret.js';
import { verifyJoin, type JoinVerifyReport, type VerifyDeps } from './verify.js';
import { READER_TOKEN_SECRET, type JoinPlan, type JoinStep, type KubeApi, type ObjectRef } from './types.js';

export interface JoinApplyDeps {
  /** The API of a context named in the plan. */
  api(cluster: string): KubeApi;
  onProgress?: (event: JoinProgress) => void;
  /** Defaults: the token 30 s, istiod's sync 60 s, polling every 500 ms. */
  timeouts?: { tokenMs?: number; syncMs?: number; pollMs?: number };
  /** Reaches the remote API server as istiod would (verify's diagnosis); for tests. */
  probe?: VerifyDeps['probe'];
  /** Called once per change to a cluster, made or refused (the audit log); files and verify are not changes. */
  audit?: (entry: { step: JoinStep; outcome: 'success' | 'failure'; message: string }) => void | Promise<void>;
}

/** The shared progress event (stepId, state, message), with the step itself. */
export interface JoinProgress extends SharedStepProgress {
  step: JoinStep;
  message: string;
  /** A later report of a running step (the token, istiod's sync). */
  waiting?: boolean;
}

export interface JoinStepResult {
  id: string;
  cluster: string;
  verb: JoinStep['verb'];
  target: string;
  status: 'done' | 'failed' | 'skipped';
  message: string;
}

export interface JoinApplyResult {
  ok: boolean;
  steps: JoinStepResult[];
  /** istiod's verdict (the plan's verify step). */
  verify?: JoinVerifyReport;
}

export class JoinBlockedError extends Error {}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Carries out a join or unjoin plan, step by step in order (a failed step skips the rest). Objects
 * are created only where the plan saw none, and patched, replaced or deleted only while still at
 * the planned resourceVersion; the remote secret gets the reader token the API server filled in.
 */
export async function applyJoin(plan: JoinPlan, deps: JoinApplyDeps): Promise<JoinApplyResult> {
  if (plan.blocked.length > 0) throw new JoinBlockedError(plan.blocked.map((b) => b.reason).join('; '));
  let verify: JoinVerifyReport | undefined;
  const results: JoinStepResult[] = await runStepsInOrder(plan.steps, {
    describeStart,
    run: async (step, waiting) => {
      const outcome = await runStep(plan, step, deps, waiting);
      if (outcome.verify) verify = outcome.verify;
      if (outcome.failed) throw new StepFailure(outcome.message);
      return { message: outcome.message };
    },
    ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    ended: async (step, outcome, message) => {
      if (changesCluster(step)) await deps.audit?.({ step, outcome, message });
    },
  });
  return { ok: results.every((r) => r.status === 'done'), steps: results, ...(verify ? { verify } : {}) };
}

const changesCluster = (step: JoinStep) => step.side !== 'local' && step.verb !== 'verify';

function describeStart(step: JoinStep): string {
  const where = step.side === 'local' ? '' : ` in ${step.cluster}`;
  switch (step.verb) {
    case 'create':
      return `creating ${step.target}${where}`;
    case 'patch':
      return `updating ${step.target}${where}`;
    case 'replace':
      return `replacing ${step.target}${where}`;
    case 'delete':
      return `deleting ${step.target}${where}`;
    case 'write':
      return `writing ${step.target}`;
    case 'verify':
      return `waiting for istiod in ${step.cluster} to ${step.id.endsWith('verify-removed') ? 'drop' : 'sync'} the remote cluster`;
  }
}

type Outcome = { message: string; verify?: JoinVerifyReport; failed?: boolean };

async function runStep(plan: JoinPlan, step: JoinStep, deps: JoinApplyDeps, waiting: (message: string) => void): Promise<Outcome> {
  const s = plan.settings;
  const poll = deps.timeouts?.pollMs ?? 500;
  if (step.verb === 'write') {
    mkdirSync(dirname(step.target), { recursive: true });
    writeFileSync(step.target, step.content ?? '');
    return { message: `wrote ${step.target}` };
  }
  const api = deps.api(step.cluster);
  if (step.verb === 'verify') {
    const target = { primary: s.primary, remote: s.remote, clusterName: s.clusterName, secretName: s.secretName, istiodService: s.istiodService, primaryClusterId: s.primaryClusterId, ...(s.remoteIstioClusterId ? { remoteClusterId: s.remoteIstioClusterId } : {}) };
    const verify = await verifyJoin(target, { api, timeoutMs: deps.timeouts?.syncMs ?? 60_000, pollMs: poll, onProgress: waiting, expect: plan.kind === 'unjoin' ? 'absent' : 'synced', ...(deps.probe ? { probe: deps.probe } : {}) });
    return { message: verify.lines.join('\n'), verify, failed: !verify.ok };
  }
  const ref = step.ref!;
  const conflict = changedSincePlan(step, plan);
  switch (step.verb) {
    case 'create': {
      const body = step.tokenSource ? await remoteSecretBody(plan, step, deps, waiting) : step.object;
      await api.request(collectionPath(ref), { method: 'POST', body: JSON.stringify(body) }).catch(conflict);
      if (ref.kind === 'Secret' && ref.name === READER_TOKEN_SECRET) {
        await waitForToken(api, ref, deps.timeouts?.tokenMs ?? 30_000, poll, waiting);
        return { message: `created ${step.target} in ${step.cluster}; the API server filled in its token` };
      }
      return { message: `created ${step.target} in ${step.cluster}` };
    }
    case 'replace': {
      const body = (await remoteSecretBody(plan, step, deps, waiting)) as { metadata: Record<string, unknown> };
      body.metadata['resourceVersion'] = step.precondition?.resourceVersion;
      await api.request(objectPath(ref), { method: 'PUT', body: JSON.stringify(body) }).catch(conflict);
      return { message: `replaced ${step.target} in ${step.cluster}` };
    }
    case 'patch': {
      const body = { metadata: { resourceVersion: step.precondition?.resourceVersion, ...step.patch } };
      await api.request(objectPath(ref), { method: 'PATCH', body: JSON.stringify(body), contentType: 'application/merge-patch+json' }).catch(conflict);
      return { message: `updated ${step.target} in ${step.cluster}` };
    }
    case 'delete': {
      const body = { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: step.precondition ?? {} };
      try {
        await api.request(objectPath(ref), { method: 'DELETE', body: JSON.stringify(body) });
      } catch (error) {
        if (error instanceof KubeRequestError && error.status === 404) return { message: `${step.target} in ${step.cluster} was already gone` };
        conflict(error);
      }
      return { message: `deleted ${step.target} in ${step.cluster}` };
    }
  }
}

/** The remote secret, with the token and CA the remote's API server put into the reader's token Secret. */
async function remoteSecretBody(plan: JoinPlan, step: JoinStep, deps: JoinApplyDeps, waiting: (message: string) => void): Promise<Record<string, unknown>> {
  const s = plan.settings;
  const source = step.tokenSource!;
  const filled = await waitForToken(deps.api(s.remote), source, deps.timeouts?.tokenMs ?? 30_000, deps.timeouts?.pollMs ?? 500, waiting);
  return remoteSecretObject(s.clusterName, remoteKubeconfig(s.clusterName, { server: s.remoteApiServer, caPem: filled.caPem, token: filled.token }));
}

async function waitForToken(api: KubeApi, ref: ObjectRef, timeoutMs: number, pollMs: number, waiting: (message: string) => void): Promise<{ token: string; caPem: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const secret = await api.requestJson<{ data?: Record<string, string> }>(objectPath(ref)).catch((error: unknown) => {
      if (error instanceof KubeRequestError && error.status === 404) throw new StepFailure(`istio-system/${ref.name} is gone from the remote cluster; plan again`);
      throw error;
    });
    const token = secret.data?.['token'];
    const ca = secret.data?.['ca.crt'];
    if (token && ca) return { token: Buffer.from(token, 'base64').toString('utf8'), caPem: Buffer.from(ca, 'base64').toString('utf8') };
    if (Date.now() >= deadline) {
      throw new StepFailure(`the API server did not fill in the token of istio-system/${ref.name} within ${Math.round(timeoutMs / 1000)} s (is the token controller of kube-controller-manager running? does istio-reader-service-account exist?)`);
    }
    waiting(`waiting for the API server to fill in the token of istio-system/${ref.name}`);
    await sleep(pollMs);
  }
}

function changedSincePlan(step: JoinStep, plan: JoinPlan) {
  return (error: unknown): never => {
    if (error instanceof KubeRequestError && (error.status === 409 || (error.status === 404 && step.verb !== 'create'))) {
      const what = error.status === 409 && step.verb === 'create' ? 'now exists' : 'changed';
      throw new StepFailure(`${step.target} in ${step.cluster} ${what} since the plan was made; plan again (meshdeck ${plan.kind} without --apply) and review it`);
    }
    throw error;
  };
}
