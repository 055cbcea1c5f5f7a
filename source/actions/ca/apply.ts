import type { CacertsBundle } from '../../pki/authority.js';
import type { StepProgress as SharedStepProgress } from '../plan.js';
import { summarizePem } from '../../pki/fingerprint.js';
import { KubeRequestError } from '../../kube/errors.js';
import { runStepsInOrder, StepFailure } from '../step-runner.js';
import { writeSecretBackup } from './backup.js';
import { configMapPath, secretPath } from './live-state.js';
import { RolloutTimeoutError, restartDeployment, sleep, waitForRollout } from './rollout.js';
import { bundleData, certLine, summarizeSecretData } from './summary.js';
import {
  CACERTS_SECRET,
  INSTALLED_AT_ANNOTATION,
  ISTIO_NAMESPACE,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  ROOT_ANNOTATION,
  ROOT_CONFIGMAP,
  SOURCE_ANNOTATION,
  type KubeApi,
  type Plan,
  type PlanStep,
} from './types.js';

export interface ApplyDeps {
  /** The API of a cluster named in the plan. */
  api(cluster: string): KubeApi;
  /** The CA files the plan was made from, per cluster (checked against the plan before use). */
  bundle(cluster: string): CacertsBundle;
  now?: () => Date;
  onProgress?: (event: StepProgress) => void;
  /** Defaults: rollout 300 s, root distribution 60 s, polling every 500 ms. */
  timeouts?: { rolloutMs?: number; distributeMs?: number; pollMs?: number };
}

/** The shared progress event (stepId, state, message), with the step itself. */
export interface StepProgress extends SharedStepProgress {
  step: PlanStep;
  message: string;
  /** A later report of a running step (rollout or root distribution still pending). */
  waiting?: boolean;
}

export interface StepResult {
  id: string;
  cluster: string;
  verb: PlanStep['verb'];
  target: string;
  status: 'done' | 'failed' | 'skipped';
  message: string;
  /** For a backup step: the file written. */
  backupFile?: string;
}

export interface ApplyResult {
  ok: boolean;
  steps: StepResult[];
}

/** Thrown for a plan that says it must not be applied. */
export class PlanBlockedError extends Error {}


/**
 * Carries out a plan: per cluster its steps in order (a failed step skips the rest of that
 * cluster's), clusters side by side. Secrets are written only if still at the planned
 * resourceVersion and only with the files the plan describes.
 */
export async function applyInstall(plan: Plan, deps: ApplyDeps): Promise<ApplyResult> {
  if (plan.blocked.length > 0) throw new PlanBlockedError(plan.blocked.map((b) => b.reason).join('; '));
  const clusters = [...new Set(plan.steps.map((s) => s.cluster))];
  const results = await Promise.all(clusters.map((cluster) => applyCluster(plan.steps.filter((s) => s.cluster === cluster), deps)));
  const steps = results.flat();
  return { ok: steps.every((s) => s.status === 'done'), steps };
}

function applyCluster(steps: PlanStep[], deps: ApplyDeps): Promise<StepResult[]> {
  return runStepsInOrder(steps, { describeStart, run: (step, waiting) => runStep(step, deps, waiting), ...(deps.onProgress ? { onProgress: deps.onProgress } : {}) });
}

function describeStart(step: PlanStep): string {
  switch (step.verb) {
    case 'backup':
      return `saving ${step.cluster}'s istio-system/cacerts to ${step.target}`;
    case 'create':
      return `creating ${step.target} in ${step.cluster}`;
    case 'replace':
      return `replacing ${step.target} in ${step.cluster}`;
    case 'restart':
      return `restarting ${step.target} in ${step.cluster}`;
    case 'verify':
      return `checking that ${step.cluster} distributes the new root`;
  }
}

async function runStep(step: PlanStep, deps: ApplyDeps, waiting: (message: string) => void): Promise<{ message: string; backupFile?: string }> {
  const api = deps.api(step.cluster);
  const now = deps.now?.() ?? new Date();
  const poll = deps.timeouts?.pollMs ?? 500;
  switch (step.verb) {
    case 'backup': {
      const secret = await api.requestJson<Record<string, unknown> & { metadata: { resourceVersion?: string } }>(secretPath(CACERTS_SECRET)).catch(changedSincePlan(step));
      if (secret.metadata.resourceVersion !== step.precondition?.resourceVersion) throw new StepFailure(changedMessage(step));
      const file = writeSecretBackup(step.target, secret, step.cluster, now);
      return { message: `saved the old istio-system/cacerts of ${step.cluster} to ${file} (mode 0600)`, backupFile: file };
    }
    case 'create':
    case 'replace': {
      const bundle = deps.bundle(step.cluster);
      const data = bundleData(bundle);
      const wanted = step.after?.secret;
      const actual = summarizeSecretData(data, { managedByMeshdeck: true });
      if (!wanted || JSON.stringify(actual.certificates) !== JSON.stringify(wanted.certificates) || actual.privateKey?.publicKeyFingerprint !== wanted.privateKey?.publicKeyFingerprint) {
        throw new StepFailure(`the CA files for ${step.cluster} are not the ones the plan shows (changed since planning?); plan again`);
      }
      const root = summarizePem(bundle.rootCertPem)[0];
      const body = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: CACERTS_SECRET,
          namespace: ISTIO_NAMESPACE,
          labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
          annotations: { [ROOT_ANNOTATION]: root?.fingerprint ?? '', [INSTALLED_AT_ANNOTATION]: now.toISOString(), [SOURCE_ANNOTATION]: 'meshdeck ca install' },
          ...(step.verb === 'replace' ? { resourceVersion: step.precondition?.resourceVersion } : {}),
        },
        type: 'Opaque',
        data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
      };
      const path = step.verb === 'create' ? `/api/v1/namespaces/${ISTIO_NAMESPACE}/secrets` : secretPath(CACERTS_SECRET);
      await api.request(path, { method: step.verb === 'create' ? 'POST' : 'PUT', body: JSON.stringify(body) }).catch(changedSincePlan(step));
      return { message: `${step.verb === 'create' ? 'created' : 'replaced'} istio-system/cacerts in ${step.cluster} (root ${root ? certLine(root) : '?'})` };
    }
    case 'restart': {
      const name = step.target.split('/').pop()!;
      await restartDeployment(api, name, now);
      try {
        await waitForRollout(api, name, { timeoutMs: deps.timeouts?.rolloutMs ?? 300_000, pollMs: poll, onWaiting: waiting });
      } catch (error) {
        if (!(error instanceof RolloutTimeoutError)) throw error;
        const seconds = Math.round((deps.timeouts?.rolloutMs ?? 300_000) / 1000);
        throw new StepFailure(
          `${name} in ${step.cluster} did not finish restarting within ${seconds} s (${error.progress}); check kubectl --context ${step.cluster} -n istio-system get pods -l app=istiod (a crash loop usually means istiod rejected cacerts: see its log)`,
        );
      }
      return { message: `restarted ${name} in ${step.cluster}; the new pods are ready` };
    }
    case 'verify': {
      const root = step.after?.root;
      if (!root) throw new StepFailure(`the plan's verify step for ${step.cluster} names no root; plan again`);
      const wanted = certLine(root);
      const deadline = Date.now() + (deps.timeouts?.distributeMs ?? 60_000);
      for (;;) {
        const configMap = await api.requestJson<{ data?: Record<string, string> }>(configMapPath(ROOT_CONFIGMAP)).catch(() => undefined);
        const distributed = summarizePem(configMap?.data?.['root-cert.pem'] ?? '');
        if (distributed.some((c) => c.fingerprint === root.fingerprint)) return { message: `${step.cluster} distributes the new root ${wanted} in istio-ca-root-cert` };
        if (Date.now() >= deadline) {
          const now = distributed.map(certLine).join(' + ') || 'nothing';
          throw new StepFailure(`istiod in ${step.cluster} restarted but istio-ca-root-cert still distributes ${now}, not ${wanted}; check istiod's log (kubectl --context ${step.cluster} logs -n istio-system deploy/istiod)`);
        }
        waiting(`istio-ca-root-cert distributes ${distributed.map(certLine).join(' + ') || 'nothing'} so far`);
        await sleep(poll);
      }
    }
  }
}

function changedMessage(step: PlanStep): string {
  return `istio-system/cacerts in ${step.cluster} changed since the plan was made; plan again (meshdeck ca install without --apply) and review it`;
}

function changedSincePlan(step: PlanStep) {
  return (error: unknown): never => {
    if (error instanceof KubeRequestError && (error.status === 409 || (error.status === 404 && step.verb !== 'create'))) throw new StepFailure(changedMessage(step));
    throw error;
  };
}
