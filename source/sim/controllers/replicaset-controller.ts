import type { JsonObject, KubeObject } from '../objects.js';
import type { StoreEvent } from '../store/object-store.js';
import { Controller, namespacedKey, splitKey } from './controller.js';
import { K } from './kinds.js';
import { controllerOf, controllerRef, ownedBy } from './owners.js';
import { isPodReady } from './pod-status.js';

/** ReplicaSets → Pods: creates or deletes pods until the count matches, and reports readiness. */
export class ReplicaSetController extends Controller {
  onEvent(event: StoreEvent): void {
    if (event.def === K.replicaSets) this.queue.add(namespacedKey(event.object.metadata.namespace, event.object.metadata.name));
    else if (event.def === K.pods) {
      const owner = controllerOf(event.object);
      if (owner?.kind === 'ReplicaSet') this.queue.add(namespacedKey(event.object.metadata.namespace, owner.name));
    }
  }

  protected reconcile(key: string): void {
    const [namespace, name] = splitKey(key);
    const rs = this.ctx.store.get(K.replicaSets, namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const spec = rs['spec'] as JsonObject;
    const desired = (spec['replicas'] as number | undefined) ?? 1;
    let pods = ownedBy(this.ctx.store, K.pods, rs.metadata.uid!).filter((pod) => !pod.metadata.deletionTimestamp);
    if (pods.length < desired) {
      const template = spec['template'] as JsonObject;
      const templateMeta = (template['metadata'] as JsonObject | undefined) ?? {};
      for (let i = pods.length; i < desired; i++) {
        const metadata: JsonObject = { ...templateMeta, generateName: `${name}-`, namespace, ownerReferences: [controllerRef(rs)] };
        delete metadata['creationTimestamp'];
        pods.push(this.ctx.api.create(K.pods, namespace, { metadata, spec: template['spec'] } as KubeObject));
      }
    } else if (pods.length > desired) {
      // Not-ready and newest pods go first, as the ReplicaSet controller ranks them.
      const ranked = [...pods].sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b)) || String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
      const doomed = ranked.slice(0, pods.length - desired);
      for (const pod of doomed) this.ctx.api.delete(K.pods, namespace, pod.metadata.name!);
      pods = pods.filter((pod) => !doomed.includes(pod));
    }
    const ready = pods.filter(isPodReady).length;
    const status: JsonObject = { replicas: pods.length, fullyLabeledReplicas: pods.length, readyReplicas: ready, availableReplicas: ready, observedGeneration: rs.metadata.generation ?? 1 };
    for (const field of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) if (status[field] === 0) delete status[field];
    if (JSON.stringify(status) === JSON.stringify(rs['status'])) return;
    this.ctx.api.update(K.replicaSets, namespace, name, { ...rs, status }, { subresource: 'status' });
  }
}
