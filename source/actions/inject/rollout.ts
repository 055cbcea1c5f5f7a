import { rolloutProgress as deploymentProgress } from '../ca/rollout.js';
import { workloadPath } from './live-state.js';
import { RESTARTED_AT_ANNOTATION, type KubeApi, type RestartableKind } from './types.js';

type Json = Record<string, unknown>;

export interface WorkloadObject {
  metadata: { name: string; generation?: number; resourceVersion?: string };
  spec?: Json & { replicas?: number };
  status?: Json;
}

export { restartStamp } from '../ca/rollout.js';

export function templateRestartedAt(object: WorkloadObject): string | undefined {
  const template = (object.spec?.['template'] as Json | undefined) ?? {};
  return ((template['metadata'] as Json | undefined)?.['annotations'] as Record<string, string> | undefined)?.[RESTARTED_AT_ANNOTATION];
}

/** A merge patch that restarts the workload if it is still at `resourceVersion` (the API answers 409 otherwise). */
export function restartPatch(stamp: string, resourceVersion: string | undefined): string {
  return JSON.stringify({ metadata: resourceVersion ? { resourceVersion } : {}, spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: stamp } } } } });
}

/** Where a rollout stands, as `kubectl rollout status` judges it for the kind: undefined when complete. */
export function rolloutProgress(kind: RestartableKind, object: WorkloadObject): string | undefined {
  if (kind === 'Deployment') return deploymentProgress(object as Parameters<typeof deploymentProgress>[0]);
  const status = (object.status ?? {}) as Record<string, number | string | undefined>;
  if (Number(status['observedGeneration'] ?? 0) < (object.metadata.generation ?? 0)) return `waiting for the ${kind} controller to see the restart`;
  if (kind === 'StatefulSet') {
    const wanted = object.spec?.replicas ?? 1;
    const updated = Number(status['updatedReplicas'] ?? 0);
    if (updated < wanted) return `${updated} of ${wanted} pods updated`;
    const ready = Number(status['readyReplicas'] ?? 0);
    if (ready < wanted) return `${ready} of ${wanted} pods ready`;
    if (status['updateRevision'] !== undefined && status['currentRevision'] !== status['updateRevision']) return 'waiting for the last pods to update';
    return undefined;
  }
  const desired = Number(status['desiredNumberScheduled'] ?? 0);
  const updated = Number(status['updatedNumberScheduled'] ?? 0);
  if (updated < desired) return `${updated} of ${desired} pods updated`;
  const available = Number(status['numberAvailable'] ?? 0);
  if (available < desired) return `${available} of ${desired} updated pods available`;
  return undefined;
}

/** How many pods the workload should have once rolled out. */
export function wantedPods(kind: RestartableKind, object: WorkloadObject): number {
  if (kind === 'DaemonSet') return Number((object.status ?? {})['desiredNumberScheduled'] ?? 0);
  return object.spec?.replicas ?? 1;
}

export interface WaitOptions {
  timeoutMs: number;
  pollMs: number;
  onWaiting?: (progress: string) => void;
}

export class RolloutTimeoutError extends Error {
  constructor(readonly progress: string) {
    super(progress);
  }
}

/** Polls the workload until its rollout is complete; rejects with the last progress after the timeout. */
export async function waitForWorkloadRollout(api: KubeApi, kind: RestartableKind, namespace: string, name: string, options: WaitOptions): Promise<WorkloadObject> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'not read yet';
  for (;;) {
    const object = await api.requestJson<WorkloadObject>(workloadPath(kind, namespace, name), { timeoutMs: 15_000 });
    const progress = rolloutProgress(kind, object);
    if (progress === undefined) return object;
    if (progress !== last) options.onWaiting?.(progress);
    last = progress;
    if (Date.now() >= deadline) throw new RolloutTimeoutError(last);
    await sleep(options.pollMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
