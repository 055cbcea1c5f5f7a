import type { JsonObject, KubeObject } from '../objects.js';
import type { StoreEvent } from '../store/object-store.js';
import { Controller, namespacedKey, splitKey } from './controller.js';
import { K } from './kinds.js';
import { controllerOf, controllerRef, ownedBy, safeHash } from './owners.js';

const REVISION = 'deployment.kubernetes.io/revision';

/**
 * Deployments → ReplicaSets, as a rolling update: the ReplicaSet for the current template gets the
 * desired replicas, and older ones are scaled down once the new one is fully ready.
 */
export class DeploymentController extends Controller {
  onEvent(event: StoreEvent): void {
    if (event.def === K.deployments) this.queue.add(namespacedKey(event.object.metadata.namespace, event.object.metadata.name));
    else if (event.def === K.replicaSets) {
      const owner = controllerOf(event.object);
      if (owner?.kind === 'Deployment') this.queue.add(namespacedKey(event.object.metadata.namespace, owner.name));
    }
  }

  protected reconcile(key: string): void {
    const [namespace, name] = splitKey(key);
    const deployment = this.ctx.store.get(K.deployments, namespace, name);
    if (!deployment || deployment.metadata.deletionTimestamp) return;
    const spec = deployment['spec'] as JsonObject;
    const desired = (spec['replicas'] as number | undefined) ?? 1;
    const template = spec['template'] as JsonObject;
    const hash = safeHash(template);
    const owned = ownedBy(this.ctx.store, K.replicaSets, deployment.metadata.uid!);
    let current = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    const revisions = owned.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0));
    if (!current) {
      current = this.ctx.api.create(K.replicaSets, namespace, this.newReplicaSet(deployment, template, hash, desired, Math.max(0, ...revisions) + 1));
    } else if (replicasOf(current) !== desired) {
      current = this.ctx.api.update(K.replicaSets, namespace, current.metadata.name!, withReplicas(current, desired));
    }
    const newStatus = (current['status'] as JsonObject | undefined) ?? {};
    const newReady = (newStatus['readyReplicas'] as number | undefined) ?? 0;
    const old = owned.filter((rs) => rs !== current && rs.metadata.uid !== current!.metadata.uid);
    if (newReady >= desired) {
      for (const rs of old) if (replicasOf(rs) !== 0) this.ctx.api.update(K.replicaSets, namespace, rs.metadata.name!, withReplicas(rs, 0));
    }
    this.writeStatus(deployment, current, [current, ...old]);
  }

  private newReplicaSet(deployment: KubeObject, template: JsonObject, hash: string, replicas: number, revision: number): KubeObject {
    const templateMeta = (template['metadata'] as JsonObject | undefined) ?? {};
    const labels = { ...((templateMeta['labels'] as Record<string, string> | undefined) ?? {}), 'pod-template-hash': hash };
    const selector = (deployment['spec'] as JsonObject)['selector'] as JsonObject;
    return {
      metadata: {
        name: `${deployment.metadata.name}-${hash}`,
        namespace: deployment.metadata.namespace!,
        labels,
        annotations: { [REVISION]: String(revision), 'deployment.kubernetes.io/desired-replicas': String(replicas) },
        ownerReferences: [controllerRef(deployment)],
      },
      spec: {
        replicas,
        selector: { ...selector, matchLabels: { ...((selector['matchLabels'] as Record<string, string> | undefined) ?? {}), 'pod-template-hash': hash } },
        template: { ...template, metadata: { ...templateMeta, labels } },
      },
    };
  }

  private writeStatus(deployment: KubeObject, current: KubeObject, all: KubeObject[]): void {
    const sum = (field: string) => all.reduce((total, rs) => total + (((rs['status'] as JsonObject | undefined)?.[field] as number | undefined) ?? 0), 0);
    const desired = ((deployment['spec'] as JsonObject)['replicas'] as number | undefined) ?? 1;
    const replicas = sum('replicas');
    const available = sum('availableReplicas');
    const updated = ((current['status'] as JsonObject | undefined)?.['replicas'] as number | undefined) ?? 0;
    const now = this.ctx.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const previous = (deployment['status'] as JsonObject | undefined) ?? {};
    const previousConditions = (previous['conditions'] as JsonObject[] | undefined) ?? [];
    const condition = (type: string, ok: boolean, reason: string, message: string): JsonObject => {
      const before = previousConditions.find((c) => c['type'] === type);
      const status = ok ? 'True' : 'False';
      const since = before && before['status'] === status ? before['lastTransitionTime'] : now;
      return { type, status, lastUpdateTime: before && before['status'] === status && before['reason'] === reason ? before['lastUpdateTime'] ?? now : now, lastTransitionTime: since ?? now, reason, message };
    };
    const complete = updated === desired && replicas === desired && available >= desired;
    const status: JsonObject = {
      observedGeneration: deployment.metadata.generation ?? 1,
      replicas,
      updatedReplicas: updated,
      readyReplicas: sum('readyReplicas'),
      availableReplicas: available,
      conditions: [
        condition('Available', available >= desired, available >= desired ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', available >= desired ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.'),
        condition('Progressing', true, complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated', `ReplicaSet "${current.metadata.name}" ${complete ? 'has successfully progressed.' : 'is progressing.'}`),
      ],
    };
    if (replicas - available > 0) status['unavailableReplicas'] = replicas - available;
    for (const key of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas']) if (status[key] === 0) delete status[key];
    if (JSON.stringify(status) === JSON.stringify(previous)) return;
    this.ctx.api.update(K.deployments, deployment.metadata.namespace, deployment.metadata.name!, { ...deployment, status }, { subresource: 'status' });
  }
}

export function replicasOf(workload: KubeObject): number {
  return ((workload['spec'] as JsonObject | undefined)?.['replicas'] as number | undefined) ?? 1;
}

function withReplicas(rs: KubeObject, replicas: number): KubeObject {
  return { ...rs, spec: { ...(rs['spec'] as JsonObject), replicas } };
}
