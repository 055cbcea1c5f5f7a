import type { JsonObject } from '../objects.js';
import type { StoreEvent } from '../store/object-store.js';
import { Controller, namespacedKey, splitKey } from './controller.js';
import { K } from './kinds.js';

/** The cloud provider's part: LoadBalancer Services get an external IP. */
export class LoadBalancerController extends Controller {
  private next = 1;

  onEvent(event: StoreEvent): void {
    if (event.def === K.services && event.type !== 'DELETED') this.queue.add(namespacedKey(event.object.metadata.namespace, event.object.metadata.name));
  }

  protected reconcile(key: string): void {
    const [namespace, name] = splitKey(key);
    const service = this.ctx.store.get(K.services, namespace, name);
    if (!service || (service['spec'] as JsonObject)['type'] !== 'LoadBalancer') return;
    const ingress = (((service['status'] as JsonObject | undefined)?.['loadBalancer'] as JsonObject | undefined)?.['ingress'] as JsonObject[] | undefined) ?? [];
    if (ingress.length > 0) return;
    const ip = `172.${18 + (this.ctx.clusterIndex >> 8)}.${this.ctx.clusterIndex & 255}.${100 + (this.next++ % 150)}`;
    this.ctx.api.update(K.services, namespace, name, { ...service, status: { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } } }, { subresource: 'status' });
  }
}
