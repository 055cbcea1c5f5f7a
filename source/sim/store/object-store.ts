import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../objects.js';
import type { ResourceDef } from '../resources/types.js';
import { apiVersionOf } from '../resources/types.js';
import { EventHistory, type StoreEvent } from './event-history.js';
import { jsonEqual } from '../patch/json-equal.js';

export type { StoreEvent } from './event-history.js';

export class StoreConflict extends Error {
  constructor(readonly reason: 'AlreadyExists' | 'Conflict' | 'NotFound') {
    super(reason);
  }
}

type Listener = (event: StoreEvent) => void;

export interface StoreOptions {
  /** How many events are kept for watches that resume from an older resourceVersion. */
  historySize?: number;
  now?: () => Date;
}

/**
 * One cluster's etcd: objects by kind and key, one resourceVersion counter for the whole cluster,
 * and a bounded event history so watches can resume (and get 410 when they fall behind).
 * Stored objects are never mutated in place; every write stores a new object.
 */
export class ObjectStore {
  private revision = 0;
  private readonly collections = new Map<ResourceDef, Map<string, KubeObject>>();
  private readonly sortedKeys = new Map<ResourceDef, string[]>();
  private readonly owners = new Map<ResourceDef, Map<string, Set<string>>>();
  private readonly history: EventHistory;
  private readonly listeners = new Set<Listener>();
  private readonly now: () => Date;

  constructor(options: StoreOptions = {}) {
    this.history = new EventHistory(options.historySize ?? 100_000);
    this.now = options.now ?? (() => new Date());
  }

  get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch may still resume from. */
  get oldestResumableVersion(): number {
    return this.history.compactedRevision;
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.collection(def).get(keyOf(def, namespace, name));
  }

  /** Objects in key order (namespace/name), as etcd lists them. */
  list(def: ResourceDef, namespace?: string): KubeObject[] {
    const collection = this.collection(def);
    const keys = this.keysInOrder(def);
    const out: KubeObject[] = [];
    if (namespace && def.namespaced) {
      const prefix = `${namespace}/`;
      let index = lowerBound(keys, prefix);
      for (; index < keys.length && keys[index]!.startsWith(prefix); index++) out.push(collection.get(keys[index]!)!);
      return out;
    }
    for (const key of keys) out.push(collection.get(key)!);
    return out;
  }

  /** Objects of a kind that name `ownerUid` among their ownerReferences (an index, not a scan). */
  ownedBy(def: ResourceDef, ownerUid: string): KubeObject[] {
    const keys = this.owners.get(def)?.get(ownerUid);
    if (!keys) return [];
    const collection = this.collection(def);
    return [...keys].map((key) => collection.get(key)!);
  }

  count(def: ResourceDef): number {
    return this.collection(def).size;
  }

  create(def: ResourceDef, object: KubeObject): KubeObject {
    const namespace = def.namespaced ? object.metadata.namespace : undefined;
    const name = object.metadata.name;
    if (!name) throw new Error('create without a name');
    const key = keyOf(def, namespace, name);
    const collection = this.collection(def);
    if (collection.has(key)) throw new StoreConflict('AlreadyExists');
    const revision = ++this.revision;
    const stored: KubeObject = {
      ...object,
      apiVersion: apiVersionOf(def),
      kind: def.kind,
      metadata: {
        ...object.metadata,
        ...(namespace ? { namespace } : {}),
        uid: randomUUID(),
        resourceVersion: String(revision),
        creationTimestamp: this.timestamp(),
        ...(def.hasSpec ? { generation: 1 } : {}),
      },
    };
    if (!namespace) delete stored.metadata.namespace;
    collection.set(key, stored);
    const keys = this.sortedKeys.get(def);
    if (keys) keys.splice(lowerBound(keys, key), 0, key);
    this.index(def, key, undefined, stored);
    this.emit({ type: 'ADDED', def, object: stored, revision });
    return stored;
  }

  /**
   * Replaces an object. `expectedVersion` (when given) must match the stored resourceVersion,
   * as optimistic concurrency requires. Identity fields cannot change.
   */
  update(def: ResourceDef, object: KubeObject, expectedVersion?: string): KubeObject {
    const namespace = def.namespaced ? object.metadata.namespace : undefined;
    const key = keyOf(def, namespace, object.metadata.name ?? '');
    const collection = this.collection(def);
    const current = collection.get(key);
    if (!current) throw new StoreConflict('NotFound');
    if (expectedVersion && expectedVersion !== current.metadata.resourceVersion) throw new StoreConflict('Conflict');
    // Compared as JSON values: member order is how a client happened to serialize, not a change.
    const specChanged = def.hasSpec && !jsonEqual(object['spec'], current['spec']);
    const metadata = {
      ...object.metadata,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      resourceVersion: current.metadata.resourceVersion,
      ...(def.hasSpec ? { generation: (current.metadata.generation ?? 1) + (specChanged ? 1 : 0) } : {}),
    };
    if (!namespace) delete metadata.namespace;
    const candidate: KubeObject = { ...object, apiVersion: apiVersionOf(def), kind: def.kind, metadata };
    // A write that changes nothing keeps its resourceVersion and emits no event, as the real API server does.
    if (jsonEqual(candidate, current)) return current;
    const revision = ++this.revision;
    const stored: KubeObject = { ...candidate, metadata: { ...metadata, resourceVersion: String(revision) } };
    collection.set(key, stored);
    this.index(def, key, current, stored);
    this.emit({ type: 'MODIFIED', def, object: stored, previous: current, revision });
    return stored;
  }

  delete(def: ResourceDef, namespace: string | undefined, name: string, expectedUid?: string): KubeObject {
    const key = keyOf(def, def.namespaced ? namespace : undefined, name);
    const collection = this.collection(def);
    const current = collection.get(key);
    if (!current) throw new StoreConflict('NotFound');
    if (expectedUid && expectedUid !== current.metadata.uid) throw new StoreConflict('Conflict');
    collection.delete(key);
    const keys = this.sortedKeys.get(def);
    if (keys) keys.splice(lowerBound(keys, key), 1);
    this.index(def, key, current, undefined);
    const revision = ++this.revision;
    const removed: KubeObject = { ...current, metadata: { ...current.metadata, resourceVersion: String(revision) } };
    this.emit({ type: 'DELETED', def, object: removed, previous: current, revision });
    return removed;
  }

  /**
   * Objects as they were at `revision`, in key order: what etcd serves a paged list's later pages from,
   * so they show the same snapshot as the first. Undefined when history no longer reaches that far back
   * (the caller answers 410).
   */
  listAt(def: ResourceDef, namespace: string | undefined, revision: number): KubeObject[] | undefined {
    const later = this.history.since(revision);
    if (!later) return undefined;
    const current = this.list(def, namespace);
    const relevant = later.filter((event) => event.def === def && (!namespace || !def.namespaced || event.object.metadata.namespace === namespace));
    if (relevant.length === 0) return current;
    const byKey = new Map(current.map((object) => [keyOf(def, object.metadata.namespace, object.metadata.name!), object]));
    // Undo the later events, newest first.
    for (let i = relevant.length - 1; i >= 0; i--) {
      const event = relevant[i]!;
      const key = keyOf(def, event.object.metadata.namespace, event.object.metadata.name!);
      if (event.type === 'ADDED') byKey.delete(key);
      else if (event.previous) byKey.set(key, event.previous);
    }
    return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, object]) => object);
  }

  /** Events after `revision`, or undefined when they have been compacted away (the caller answers 410). */
  eventsSince(revision: number): StoreEvent[] | undefined {
    return this.history.since(revision);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Drops history so that a watch resuming from any version handed out so far gets 410 Gone (a fault the
   * simulator injects). The compaction takes a revision of its own, so lists made afterwards return a
   * version that can be watched from.
   */
  compact(): void {
    this.revision++;
    this.history.compactAll(this.revision);
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    for (const listener of this.listeners) listener(event);
  }

  private index(def: ResourceDef, key: string, before: KubeObject | undefined, after: KubeObject | undefined): void {
    const beforeUids = before?.metadata.ownerReferences?.map((ref) => ref.uid) ?? [];
    const afterUids = after?.metadata.ownerReferences?.map((ref) => ref.uid) ?? [];
    if (beforeUids.length === 0 && afterUids.length === 0) return;
    let byOwner = this.owners.get(def);
    if (!byOwner) {
      byOwner = new Map();
      this.owners.set(def, byOwner);
    }
    for (const uid of beforeUids) {
      if (afterUids.includes(uid)) continue;
      const keys = byOwner.get(uid);
      keys?.delete(key);
      if (keys?.size === 0) byOwner.delete(uid);
    }
    for (const uid of afterUids) {
      let keys = byOwner.get(uid);
      if (!keys) {
        keys = new Set();
        byOwner.set(uid, keys);
      }
      keys.add(key);
    }
  }

  private collection(def: ResourceDef): Map<string, KubeObject> {
    let collection = this.collections.get(def);
    if (!collection) {
      collection = new Map();
      this.collections.set(def, collection);
    }
    return collection;
  }

  private keysInOrder(def: ResourceDef): string[] {
    let keys = this.sortedKeys.get(def);
    if (!keys) {
      keys = [...this.collection(def).keys()].sort();
      this.sortedKeys.set(def, keys);
    }
    return keys;
  }

  private timestamp(): string {
    return this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}

export function keyOf(def: ResourceDef, namespace: string | undefined, name: string): string {
  return def.namespaced ? `${namespace ?? ''}/${name}` : name;
}

function lowerBound(keys: string[], target: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid]! < target) low = mid + 1;
    else high = mid;
  }
  return low;
}
