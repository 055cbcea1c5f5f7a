import type { StoreEvent } from '../store/object-store.js';
import type { ResourceApi } from '../api/resource-api.js';
import type { ObjectStore } from '../store/object-store.js';
import { WorkQueue } from './work-queue.js';

export interface ControllerContext {
  api: ResourceApi;
  store: ObjectStore;
  clusterName: string;
  /** The cluster's index among the simulated clusters; keeps address ranges apart. */
  clusterIndex: number;
  now(): Date;
  /** Runs `fn` after `ms` (0 = as soon as the current batch is done); timers stop with the cluster. */
  later(ms: number, fn: () => void): void;
  warn(message: string): void;
}

/** A reconcile loop: store events map to keys, keys are reconciled in batches. */
export abstract class Controller {
  readonly queue: WorkQueue;

  constructor(protected readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(
      (key) => this.reconcile(key),
      (key, error) => {
        // Conflicts are expected when two loops touch one object; the next event retries.
        if ((error as { code?: number }).code !== 409) ctx.warn(`${this.constructor.name} ${key}: ${(error as Error).message}`);
        ctx.later(50, () => this.queue.add(key));
      },
    );
  }

  abstract onEvent(event: StoreEvent): void;
  protected abstract reconcile(key: string): void;
}

export function namespacedKey(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

export function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}
