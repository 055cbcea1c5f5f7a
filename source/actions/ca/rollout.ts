import { deploymentPath } from './live-state.js';
import { RESTARTED_AT_ANNOTATION, type KubeApi } from './types.js';

interface DeploymentStatus {
  metadata: { generation?: number };
  spec?: { replicas?: number };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number; conditions?: { type: string; reason?: string }[] };
}

/**
 * The restartedAt value `kubectl rollout restart` writes (RFC 3339, whole seconds); with milliseconds
 * when the template already carries that second's value, which would otherwise change nothing.
 */
export function restartStamp(at: Date, current: string | undefined): string {
  const seconds = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return seconds === current ? at.toISOString() : seconds;
}

/**
 * What `kubectl rollout restart` does: a new pod-template annotation, so every pod is replaced. Two
 * restarts within one second (an install run twice by a script) must still both restart istiod.
 */
export async function restartDeployment(api: KubeApi, name: string, at: Date): Promise<void> {
  const current = await api.requestJson<{ spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } }>(deploymentPath(name));
  const stamp = restartStamp(at, current.spec?.template?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION]);
  const patch = { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: stamp } } } } };
  await api.request(deploymentPath(name), { method: 'PATCH', body: JSON.stringify(patch), contentType: 'application/strategic-merge-patch+json' });
}

/** Where a rollout stands, as `kubectl rollout status` judges it: undefined when complete. */
export function rolloutProgress(deployment: DeploymentStatus): string | undefined {
  const status = deployment.status ?? {};
  const wanted = deployment.spec?.replicas ?? 1;
  if ((status.observedGeneration ?? 0) < (deployment.metadata.generation ?? 0)) return 'waiting for the deployment controller to see the restart';
  if (status.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')) return 'the rollout exceeded its progress deadline';
  const updated = status.updatedReplicas ?? 0;
  if (updated < wanted) return `${updated} of ${wanted} new pods created`;
  if ((status.replicas ?? 0) > updated) return `${(status.replicas ?? 0) - updated} old pod(s) still terminating`;
  if ((status.availableReplicas ?? 0) < updated) return `${status.availableReplicas ?? 0} of ${updated} new pods ready`;
  return undefined;
}

export interface WaitOptions {
  timeoutMs: number;
  pollMs: number;
  onWaiting?: (progress: string) => void;
}

/** Waits until the Deployment's rollout is complete; rejects with the last progress after the timeout. */
export async function waitForRollout(api: KubeApi, name: string, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'not read yet';
  for (;;) {
    const deployment = await api.requestJson<DeploymentStatus>(deploymentPath(name));
    const progress = rolloutProgress(deployment);
    if (progress === undefined) return;
    if (progress !== last) options.onWaiting?.(progress);
    last = progress;
    if (Date.now() >= deadline) throw new RolloutTimeoutError(last);
    await sleep(options.pollMs);
  }
}

export class RolloutTimeoutError extends Error {
  constructor(readonly progress: string) {
    super(progress);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
