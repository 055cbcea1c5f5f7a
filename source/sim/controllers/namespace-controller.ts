import type { StoreEvent } from '../store/object-store.js';
import { RESOURCES } from '../resources/registry.js';
import { Controller, type ControllerContext } from './controller.js';
import { K } from './kinds.js';

/**
 * New namespaces get their `default` ServiceAccount and `kube-root-ca.crt` ConfigMap; terminating
 * namespaces are emptied and then removed, as the namespace and root-CA publisher controllers do.
 */
export class NamespaceController extends Controller {
  constructor(ctx: ControllerContext, private readonly rootCaPem: string) {
    super(ctx);
  }

  onEvent(event: StoreEvent): void {
    if (event.def === K.namespaces && event.type !== 'DELETED') this.queue.add(event.object.metadata.name!);
    // Recreate the defaults if someone deletes them, as the real controllers do.
    if (event.type === 'DELETED' && (event.def === K.serviceAccounts || event.def === K.configMaps)) this.queue.add(event.object.metadata.namespace!);
  }

  protected reconcile(name: string): void {
    const namespace = this.ctx.store.get(K.namespaces, undefined, name);
    if (!namespace) return;
    if (namespace.metadata.deletionTimestamp) {
      for (const def of RESOURCES) {
        if (!def.namespaced || def.createOnly) continue;
        for (const object of this.ctx.store.list(def, name)) this.ctx.store.delete(def, name, object.metadata.name!);
      }
      this.ctx.store.delete(K.namespaces, undefined, name);
      return;
    }
    if (!this.ctx.store.get(K.serviceAccounts, name, 'default')) {
      this.ctx.api.create(K.serviceAccounts, name, { metadata: { name: 'default', namespace: name } });
    }
    if (!this.ctx.store.get(K.configMaps, name, 'kube-root-ca.crt')) {
      this.ctx.api.create(K.configMaps, name, {
        metadata: { name: 'kube-root-ca.crt', namespace: name, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
        data: { 'ca.crt': this.rootCaPem },
      });
    }
  }
}
