import type { KubeObject } from './types.js';

export function objectKey(object: KubeObject): string {
  return object.metadata.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : object.metadata.name;
}

/**
 * The latest known state of one kind in one cluster, keyed by namespace/name. `version` goes up on
 * every change, so readers can skip recomputing when nothing moved.
 */
export class ResourceCache {
  readonly items = new Map<string, KubeObject>();
  version = 0;

  replace(objects: KubeObject[]): void {
    this.items.clear();
    for (const object of objects) this.items.set(objectKey(object), object);
    this.version++;
  }

  apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): void {
    if (type === 'DELETED') this.items.delete(objectKey(object));
    else this.items.set(objectKey(object), object);
    this.version++;
  }

  clear(): void {
    if (this.items.size === 0) return;
    this.items.clear();
    this.version++;
  }

  values(): IterableIterator<KubeObject> {
    return this.items.values();
  }
}
