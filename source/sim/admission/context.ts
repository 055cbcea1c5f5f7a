import type { KubeObject } from '../objects.js';
import type { ObjectStore } from '../store/object-store.js';
import type { ResourceDef } from '../resources/types.js';

export type Operation = 'CREATE' | 'UPDATE';

/** What admission steps may read: the cluster's store and its address allocators. */
export interface AdmissionContext {
  store: ObjectStore;
  clusterName: string;
  allocateClusterIP(): string;
  now(): Date;
}

/** A mutating admission step (defaulting, sidecar injection, ...). Returns the object to store. */
export type Mutator = (op: Operation, def: ResourceDef, object: KubeObject, old: KubeObject | undefined, ctx: AdmissionContext) => KubeObject;
