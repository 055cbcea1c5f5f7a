import { beforeEach, describe, expect, it } from 'vitest';
import { ObjectStore, StoreConflict, type StoreEvent } from '../../source/sim/store/object-store.js';
import { K } from '../../source/sim/controllers/kinds.js';
import type { KubeObject, OwnerReference } from '../../source/sim/objects.js';

const cm = (namespace: string, name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KubeObject => ({
  metadata: { name, namespace, ...(labels ? { labels } : {}) },
  data,
});

const owner = (uid: string, name = uid): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid, controller: true });

const pod = (namespace: string, name: string, owners: OwnerReference[] = []): KubeObject => ({
  metadata: { name, namespace, ...(owners.length ? { ownerReferences: owners } : {}) },
  spec: { containers: [{ name: 'app', image: 'app:1' }] },
});

const deployment = (name: string, image: string): KubeObject => ({
  metadata: { name, namespace: 'default' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image, ports: [{ containerPort: 80, protocol: 'TCP' }] }] } },
  },
});

/** The same JSON with every object's members in reverse order, as another client would serialize it. */
function reordered<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reordered) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)])) as T;
  return value;
}

const names = (objects: KubeObject[]) => objects.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);

describe('ObjectStore', () => {
  let store: ObjectStore;
  let events: StoreEvent[];

  beforeEach(() => {
    store = new ObjectStore({ now: () => new Date('2025-03-01T10:20:30.456Z') });
    events = [];
    store.subscribe((e) => events.push(e));
  });

  describe('resourceVersion', () => {
    it('gives every write the next cluster-wide version, across kinds', () => {
      expect(store.resourceVersion).toBe(0);
      const a = store.create(K.configMaps, cm('default', 'a'));
      const p = store.create(K.pods, pod('default', 'p'));
      const a2 = store.update(K.configMaps, { ...a, data: { k: 'v' } });
      const gone = store.delete(K.pods, 'default', 'p');
      expect([a, p, a2, gone].map((o) => o.metadata.resourceVersion)).toEqual(['1', '2', '3', '4']);
      expect(store.resourceVersion).toBe(4);
      expect(events.map((e) => [e.type, e.revision, e.object.metadata.resourceVersion])).toEqual([
        ['ADDED', 1, '1'],
        ['ADDED', 2, '2'],
        ['MODIFIED', 3, '3'],
        ['DELETED', 4, '4'],
      ]);
      // The delete event carries the object as it was, at the version of its deletion.
      expect(p.metadata.uid).toBe(gone.metadata.uid);
      expect(events[2]!.previous).toBe(a);
    });

    it('fills the server-owned metadata on create and keeps it on update', () => {
      const created = store.create(K.configMaps, { ...cm('default', 'a'), metadata: { name: 'a', namespace: 'default', uid: 'forged', resourceVersion: '999' } });
      expect(created.apiVersion).toBe('v1');
      expect(created.kind).toBe('ConfigMap');
      expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.metadata.uid).not.toBe('forged');
      expect(created.metadata.resourceVersion).toBe('1');
      expect(created.metadata.creationTimestamp).toBe('2025-03-01T10:20:30Z');
      expect(created.metadata.generation).toBeUndefined();
      const updated = store.update(K.configMaps, { ...created, metadata: { ...created.metadata, uid: 'other', creationTimestamp: '2000-01-01T00:00:00Z' }, data: { x: 'y' } });
      expect(updated.metadata.uid).toBe(created.metadata.uid);
      expect(updated.metadata.creationTimestamp).toBe('2025-03-01T10:20:30Z');
    });

    it('refuses a create of an existing name, an update at a stale version, and writes to missing objects', () => {
      const a = store.create(K.configMaps, cm('default', 'a'));
      expect(() => store.create(K.configMaps, cm('default', 'a'))).toThrow(new StoreConflict('AlreadyExists'));
      // The same name in another namespace is another object.
      store.create(K.configMaps, cm('other', 'a'));
      store.update(K.configMaps, { ...a, data: { v: '2' } }, a.metadata.resourceVersion);
      expect(() => store.update(K.configMaps, { ...a, data: { v: '3' } }, a.metadata.resourceVersion)).toThrow(new StoreConflict('Conflict'));
      expect(() => store.update(K.configMaps, cm('default', 'missing'))).toThrow(new StoreConflict('NotFound'));
      expect(() => store.delete(K.configMaps, 'default', 'missing')).toThrow(new StoreConflict('NotFound'));
      expect(() => store.delete(K.configMaps, 'default', 'a', 'wrong-uid')).toThrow(new StoreConflict('Conflict'));
      expect(store.get(K.configMaps, 'default', 'a')!.data).toEqual({ v: '2' });
      expect(store.resourceVersion).toBe(3);
    });

    it('never changes an object it handed out', () => {
      const a = store.create(K.configMaps, cm('default', 'a', { k: 'v1' }));
      const snapshot = structuredClone(a);
      store.update(K.configMaps, { ...a, data: { k: 'v2' } });
      store.delete(K.configMaps, 'default', 'a');
      expect(a).toEqual(snapshot);
    });
  });

  describe('no-op writes', () => {
    it('an update that changes nothing keeps the version and emits nothing', () => {
      const a = store.create(K.configMaps, cm('default', 'a', { k: 'v' }, { app: 'x' }));
      events.length = 0;
      const same = store.update(K.configMaps, structuredClone(a));
      expect(same.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
      expect(store.resourceVersion).toBe(1);
      expect(events).toEqual([]);
      expect(store.eventsSince(1)).toEqual([]);
    });

    it('an update without the server-owned fields, or with them stale, is still a no-op', () => {
      const a = store.create(K.configMaps, cm('default', 'a', { k: 'v' }));
      events.length = 0;
      const { uid: _uid, creationTimestamp: _created, resourceVersion: _rv, ...bare } = a.metadata;
      store.update(K.configMaps, { data: { k: 'v' }, metadata: bare });
      expect(store.resourceVersion).toBe(1);
      expect(events).toEqual([]);
    });

    it('member order is not a change: another client serializing the same object is a no-op', () => {
      const d = store.create(K.deployments, deployment('web', 'web:1'));
      events.length = 0;
      const same = store.update(K.deployments, reordered(structuredClone(d)));
      expect(same.metadata.resourceVersion).toBe(d.metadata.resourceVersion);
      expect(same.metadata.generation).toBe(1);
      expect(events).toEqual([]);
    });

    it('generation counts spec changes only, regardless of member order', () => {
      const d = store.create(K.deployments, deployment('web', 'web:1'));
      expect(d.metadata.generation).toBe(1);
      const labelled = store.update(K.deployments, { ...d, metadata: { ...d.metadata, labels: { team: 'a' } } });
      expect(labelled.metadata.generation).toBe(1);
      expect(labelled.metadata.resourceVersion).toBe('2');
      const withStatus = store.update(K.deployments, { ...reordered(structuredClone(labelled)), status: { replicas: 2 } });
      expect(withStatus.metadata.generation).toBe(1);
      const changed = store.update(K.deployments, deployment('web', 'web:2'));
      expect(changed.metadata.generation).toBe(2);
      // Kinds without a spec have no generation at all.
      const a = store.create(K.configMaps, cm('default', 'a'));
      expect(store.update(K.configMaps, { ...a, data: { k: 'v' } }).metadata.generation).toBeUndefined();
    });
  });

  describe('listing', () => {
    it('lists in key order: by namespace, then name, whatever the creation order', () => {
      const order = [['web', 'b'], ['api', 'z'], ['web', 'a'], ['api', 'a'], ['api-gw', 'm'], ['a', 'q']] as const;
      for (const [ns, name] of order) store.create(K.configMaps, cm(ns, name));
      // etcd's byte order: "api-gw/" sorts before "api/" because '-' < '/'.
      expect(names(store.list(K.configMaps))).toEqual(['a/q', 'api-gw/m', 'api/a', 'api/z', 'web/a', 'web/b']);
      // Later writes land in place, and deletes leave no hole.
      store.create(K.configMaps, cm('api', 'k'));
      store.create(K.configMaps, cm('b', 'only'));
      store.delete(K.configMaps, 'web', 'a');
      expect(names(store.list(K.configMaps))).toEqual(['a/q', 'api-gw/m', 'api/a', 'api/k', 'api/z', 'b/only', 'web/b']);
      expect(store.count(K.configMaps)).toBe(7);
    });

    it('lists one namespace exactly, not namespaces that share its prefix', () => {
      for (const ns of ['api', 'api-gw', 'apis', 'ap']) {
        store.create(K.configMaps, cm(ns, 'one'));
        store.create(K.configMaps, cm(ns, 'two'));
      }
      expect(names(store.list(K.configMaps, 'api'))).toEqual(['api/one', 'api/two']);
      expect(names(store.list(K.configMaps, 'ap'))).toEqual(['ap/one', 'ap/two']);
      expect(store.list(K.configMaps, 'nope')).toEqual([]);
      // Kinds are separate collections.
      expect(store.list(K.pods, 'api')).toEqual([]);
    });

    it('lists cluster-scoped kinds by name and ignores a namespace for them', () => {
      for (const name of ['zeta', 'alpha', 'mid']) store.create(K.namespaces, { metadata: { name } });
      expect(store.list(K.namespaces).map((o) => o.metadata.name)).toEqual(['alpha', 'mid', 'zeta']);
      expect(store.list(K.namespaces, 'alpha').map((o) => o.metadata.name)).toEqual(['alpha', 'mid', 'zeta']);
      expect(store.get(K.namespaces, 'ignored', 'mid')!.metadata.namespace).toBeUndefined();
    });

    it('lists the current object after updates', () => {
      const a = store.create(K.configMaps, cm('default', 'a'));
      store.list(K.configMaps);
      store.update(K.configMaps, { ...a, data: { k: 'new' } });
      expect(store.list(K.configMaps, 'default')[0]!.data).toEqual({ k: 'new' });
    });
  });

  describe('owner index', () => {
    it('finds dependents by owner uid, per kind', () => {
      store.create(K.pods, pod('default', 'a', [owner('rs-1')]));
      store.create(K.pods, pod('default', 'b', [owner('rs-1')]));
      store.create(K.pods, pod('default', 'c', [owner('rs-2')]));
      store.create(K.pods, pod('default', 'd'));
      expect(store.ownedBy(K.pods, 'rs-1').map((o) => o.metadata.name).sort()).toEqual(['a', 'b']);
      expect(store.ownedBy(K.pods, 'rs-2').map((o) => o.metadata.name)).toEqual(['c']);
      expect(store.ownedBy(K.replicaSets, 'rs-1')).toEqual([]);
      expect(store.ownedBy(K.pods, 'nobody')).toEqual([]);
    });

    it('follows ownerReference changes: adopted, orphaned, re-owned, multiply owned, deleted', () => {
      const a = store.create(K.pods, pod('default', 'a'));
      const adopted = store.update(K.pods, { ...a, metadata: { ...a.metadata, ownerReferences: [owner('rs-1')] } });
      expect(store.ownedBy(K.pods, 'rs-1').map((o) => o.metadata.name)).toEqual(['a']);
      // The index hands out the current object, not the one that was indexed first.
      expect(store.ownedBy(K.pods, 'rs-1')[0]!.metadata.resourceVersion).toBe(adopted.metadata.resourceVersion);
      const moved = store.update(K.pods, { ...adopted, metadata: { ...adopted.metadata, ownerReferences: [owner('rs-2')] } });
      expect(store.ownedBy(K.pods, 'rs-1')).toEqual([]);
      expect(store.ownedBy(K.pods, 'rs-2').map((o) => o.metadata.name)).toEqual(['a']);
      const both = store.update(K.pods, { ...moved, metadata: { ...moved.metadata, ownerReferences: [owner('rs-2'), { ...owner('rs-3'), controller: false }] } });
      expect(store.ownedBy(K.pods, 'rs-2').map((o) => o.metadata.name)).toEqual(['a']);
      expect(store.ownedBy(K.pods, 'rs-3').map((o) => o.metadata.name)).toEqual(['a']);
      const orphan = store.update(K.pods, { ...both, metadata: { ...both.metadata, ownerReferences: [] } });
      expect(store.ownedBy(K.pods, 'rs-2')).toEqual([]);
      expect(store.ownedBy(K.pods, 'rs-3')).toEqual([]);
      store.update(K.pods, { ...orphan, metadata: { ...orphan.metadata, ownerReferences: [owner('rs-1')] } });
      store.create(K.pods, pod('default', 'b', [owner('rs-1')]));
      store.delete(K.pods, 'default', 'a');
      expect(store.ownedBy(K.pods, 'rs-1').map((o) => o.metadata.name)).toEqual(['b']);
      store.delete(K.pods, 'default', 'b');
      expect(store.ownedBy(K.pods, 'rs-1')).toEqual([]);
    });

    it('keeps same-named dependents in different namespaces apart', () => {
      store.create(K.pods, pod('one', 'p', [owner('shared')]));
      store.create(K.pods, pod('two', 'p', [owner('shared')]));
      store.delete(K.pods, 'one', 'p');
      expect(names(store.ownedBy(K.pods, 'shared'))).toEqual(['two/p']);
    });
  });

  describe('history', () => {
    it('replays the events after a version, including deletes, across kinds', () => {
      const a = store.create(K.configMaps, cm('default', 'a'));
      store.create(K.pods, pod('default', 'p'));
      store.update(K.configMaps, { ...a, data: { k: 'v' } });
      store.delete(K.configMaps, 'default', 'a');
      expect(store.eventsSince(1)!.map((e) => [e.type, e.def.kind, e.revision])).toEqual([
        ['ADDED', 'Pod', 2],
        ['MODIFIED', 'ConfigMap', 3],
        ['DELETED', 'ConfigMap', 4],
      ]);
      expect(store.eventsSince(4)).toEqual([]);
    });

    it('answers undefined (410) once a bounded history has dropped what a resume needs', () => {
      const small = new ObjectStore({ historySize: 3 });
      for (let i = 1; i <= 5; i++) small.create(K.configMaps, cm('default', `c${i}`));
      expect(small.oldestResumableVersion).toBe(2);
      expect(small.eventsSince(2)!.map((e) => e.revision)).toEqual([3, 4, 5]);
      expect(small.eventsSince(1)).toBeUndefined();
    });

    it('compact() expires older versions; the current one resumes and sees later writes', () => {
      const a = store.create(K.configMaps, cm('default', 'a'));
      const b = store.create(K.configMaps, cm('default', 'b'));
      store.compact();
      expect(store.eventsSince(Number(a.metadata.resourceVersion))).toBeUndefined();
      expect(store.oldestResumableVersion).toBeGreaterThanOrEqual(Number(b.metadata.resourceVersion));
      const now = store.resourceVersion;
      expect(store.eventsSince(now)).toEqual([]);
      const c = store.create(K.configMaps, cm('default', 'c'));
      expect(Number(c.metadata.resourceVersion)).toBeGreaterThan(now);
      expect(store.eventsSince(now)!.map((e) => e.object.metadata.name)).toEqual(['c']);
      // Compaction loses history, never objects.
      expect(names(store.list(K.configMaps))).toEqual(['default/a', 'default/b', 'default/c']);
    });

    it('stops notifying a listener once it unsubscribes', () => {
      const seen: string[] = [];
      const unsubscribe = store.subscribe((e) => seen.push(e.object.metadata.name!));
      store.create(K.configMaps, cm('default', 'one'));
      unsubscribe();
      store.create(K.configMaps, cm('default', 'two'));
      expect(seen).toEqual(['one']);
    });
  });

  describe('listAt', () => {
    it('shows a kind as it was at an earlier revision (what later pages of a list are served from)', () => {
      store.create(K.configMaps, cm('a', 'one', { v: '1' }));
      const two = store.create(K.configMaps, cm('a', 'two'));
      store.create(K.configMaps, cm('b', 'other'));
      const at = store.resourceVersion;
      store.update(K.configMaps, { ...two, data: { v: 'changed' } });
      store.delete(K.configMaps, 'a', 'one');
      store.create(K.configMaps, cm('a', 'three'));
      store.create(K.pods, pod('a', 'unrelated'));
      const then = store.listAt(K.configMaps, 'a', at)!;
      expect(names(then)).toEqual(['a/one', 'a/two']);
      expect(then.map((o) => o.data)).toEqual([{ v: '1' }, {}]);
      expect(names(store.listAt(K.configMaps, undefined, at)!)).toEqual(['a/one', 'a/two', 'b/other']);
      expect(names(store.listAt(K.configMaps, 'a', store.resourceVersion)!)).toEqual(['a/three', 'a/two']);
    });

    it('is undefined once history no longer reaches back that far', () => {
      store.create(K.configMaps, cm('a', 'one'));
      store.compact();
      expect(store.listAt(K.configMaps, 'a', 1)).toBeUndefined();
    });
  });
});
