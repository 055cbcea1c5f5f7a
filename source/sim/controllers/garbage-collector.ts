import type { StoreEvent } from '../store/object-store.js';
import { RESOURCES } from '../resources/registry.js';
import type { ResourceDef } from '../resources/types.js';
import { Controller } from './controller.js';

const DEPENDENT_KINDS: ResourceDef[] = RESOURCES.filter((def) => !def.createOnly);

/** Deletes objects whose owners are all gone (background cascading deletion). */
export class GarbageCollector extends Controller {
  onEvent(event: StoreEvent): void {
    if (event.type === 'DELETED') this.queue.add(`${event.object.metadata.namespace ?? ''}|${event.object.metadata.uid}`);
  }

  protected reconcile(key: string): void {
    const uid = key.slice(key.indexOf('|') + 1);
    for (const def of DEPENDENT_KINDS) {
      for (const object of this.ctx.store.ownedBy(def, uid)) {
        const refs = object.metadata.ownerReferences ?? [];
        const remaining = refs.filter((ref) => ref.uid !== uid && this.ownerExists(ref.uid, object.metadata.namespace));
        if (remaining.length === 0) this.ctx.api.delete(def, object.metadata.namespace, object.metadata.name!);
      }
    }
  }

  private ownerExists(uid: string, namespace: string | undefined): boolean {
    return DEPENDENT_KINDS.some((def) => this.ctx.store.list(def, def.namespaced ? namespace : undefined).some((o) => o.metadata.uid === uid));
  }
}
