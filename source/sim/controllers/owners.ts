import { createHash } from 'node:crypto';
import type { KubeObject, OwnerReference } from '../objects.js';
import type { ObjectStore } from '../store/object-store.js';
import type { ResourceDef } from '../resources/types.js';

export function controllerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export function controllerOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((ref) => ref.controller);
}

export function ownedBy(store: ObjectStore, def: ResourceDef, uid: string): KubeObject[] {
  return store.ownedBy(def, uid);
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** A stable short hash in Kubernetes' name-safe alphabet (pod-template-hash). */
export function safeHash(value: unknown, length = 10): string {
  const digest = createHash('sha256').update(JSON.stringify(value)).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += SAFE[digest[i]! % SAFE.length];
  return out;
}
