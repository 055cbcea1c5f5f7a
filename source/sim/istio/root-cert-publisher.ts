import type { JsonObject } from '../objects.js';
import type { StoreEvent } from '../store/object-store.js';
import { Controller, type ControllerContext } from '../controllers/controller.js';
import { K } from '../controllers/kinds.js';
import { IGNORED_NAMESPACES, ROOT_CERT_CONFIGMAP } from './constants.js';

/**
 * istiod's namespace controller: every namespace (new ones too) gets the `istio-ca-root-cert`
 * ConfigMap with the cluster's current root bundle, and edits or deletions are put right.
 */
export class RootCertPublisher extends Controller {
  constructor(
    ctx: ControllerContext,
    private readonly bundle: () => string | undefined,
  ) {
    super(ctx);
    this.requeueAll();
  }

  requeueAll(): void {
    for (const namespace of this.ctx.store.list(K.namespaces)) this.queue.add(namespace.metadata.name!);
  }

  onEvent(event: StoreEvent): void {
    if (event.def === K.namespaces && event.type !== 'DELETED') this.queue.add(event.object.metadata.name!);
    else if (event.def === K.configMaps && event.object.metadata.name === ROOT_CERT_CONFIGMAP && event.type !== 'ADDED') this.queue.add(event.object.metadata.namespace!);
  }

  protected reconcile(name: string): void {
    if (IGNORED_NAMESPACES.has(name)) return;
    const namespace = this.ctx.store.get(K.namespaces, undefined, name);
    const bundle = this.bundle();
    if (!namespace || namespace.metadata.deletionTimestamp || !bundle) return;
    const current = this.ctx.store.get(K.configMaps, name, ROOT_CERT_CONFIGMAP);
    if (!current) {
      this.ctx.api.create(K.configMaps, name, { metadata: { name: ROOT_CERT_CONFIGMAP, namespace: name, labels: { 'istio.io/config': 'true' } }, data: { 'root-cert.pem': bundle } });
    } else if ((current['data'] as JsonObject | undefined)?.['root-cert.pem'] !== bundle) {
      this.ctx.api.update(K.configMaps, name, ROOT_CERT_CONFIGMAP, { ...current, data: { ...(current['data'] as JsonObject | undefined), 'root-cert.pem': bundle } });
    }
  }
}
