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

/**
 * A stable short hash in Kubernetes' name-safe alphabet (pod-template-hash). It hashes the value,
 * not its serialization: the same template with its members in another order (as another client
 * encodes it) must keep its hash, or a no-op update would roll the Deployment out.
 */
export function safeHash(value: unknown, length = 10): string {
  const digest = createHash('sha256').update(canonicalJson(value)).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += SAFE[digest[i]! % SAFE.length];
  return out;
}

/** JSON with object members sorted by name; members whose value is undefined are left out, as JSON.stringify does. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
