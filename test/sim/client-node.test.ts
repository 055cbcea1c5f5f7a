import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { startTestSim, waitFor, type TestSim } from '../helpers/sim.js';
import { K } from '../../source/sim/controllers/kinds.js';

// The simulator as the other client everybody uses sees it: @kubernetes/client-node 1.x, with its own
// serializer, its own Watch and its own informer. Nothing here goes through meshdeck's own client.

interface Status {
  kind: string;
  code: number;
  reason: string;
  message: string;
  details?: { causes?: { field: string; message: string }[] };
}

interface Seen {
  type: string;
  name: string;
  rv: string;
  object: k8s.KubernetesObject & Record<string, unknown>;
}

/** What a failed client-node call threw: an ApiException with the code, and the Status the server sent. */
async function failure(call: Promise<unknown>): Promise<{ code: number; status: Status | undefined }> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(k8s.ApiException);
    const { code, body } = error as k8s.ApiException<unknown>;
    return { code, status: typeof body === 'string' && body !== '' ? (JSON.parse(body) as Status) : undefined };
  }
  throw new Error('the call succeeded but should have failed');
}

/** A client-node Watch that records every event, and how it ended. */
class Recorder {
  readonly events: Seen[] = [];
  ended: { error: unknown } | undefined;
  private controller: AbortController | undefined;

  static async start(kc: k8s.KubeConfig, path: string, query: Record<string, string | boolean | undefined>): Promise<Recorder> {
    const recorder = new Recorder();
    recorder.controller = await new k8s.Watch(kc).watch(
      path,
      query,
      (type: string, object: Seen['object']) => {
        recorder.events.push({ type, name: object.metadata?.name ?? '', rv: object.metadata?.resourceVersion ?? '', object });
      },
      (error: unknown) => {
        recorder.ended = { error };
      },
    );
    return recorder;
  }

  /** The events as TYPE/name, optionally without bookmarks. */
  summary(withBookmarks = false): string[] {
    return this.events.filter((e) => withBookmarks || e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.name}`);
  }

  /** Waits until an event for `name` arrives; everything written before it has then arrived too. */
  async until(name: string, type?: string): Promise<void> {
    await waitFor(() => this.events.some((e) => e.name === name && (type === undefined || e.type === type)), `${type ?? 'an event'} for ${name}`);
  }

  stop(): void {
    this.controller?.abort();
  }
}

describe('meshdeck sim, driven by @kubernetes/client-node', () => {
  let t: TestSim;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;
  const recorders: Recorder[] = [];
  const watch = async (path: string, query: Record<string, string | boolean | undefined>) => {
    const recorder = await Recorder.start(kc, path, query);
    recorders.push(recorder);
    return recorder;
  };
  const cluster = () => t.sim.cluster('east');
  const configMap = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): k8s.V1ConfigMap => ({
    metadata: { name, ...(labels ? { labels } : {}) },
    data,
  });
  /** Creates a namespace and returns the list version after its default objects exist. */
  const freshNamespace = async (name: string): Promise<string> => {
    await core.createNamespace({ body: { metadata: { name } } });
    await waitFor(async () => (await core.listNamespacedConfigMap({ namespace: name })).items.length === 1, `kube-root-ca.crt in ${name}`);
    return (await core.listNamespacedConfigMap({ namespace: name })).metadata!.resourceVersion!;
  };

  beforeAll(async () => {
    t = await startTestSim({ clusters: 1, podsPerCluster: 30, bookmarkIntervalMs: 100 });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(t.kubeconfigPath);
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
  });
  afterAll(async () => {
    for (const recorder of recorders) recorder.stop();
    await t?.stop();
  });

  describe('list', () => {
    it('filters by label selector: equality, set-based, existence and negation', async () => {
      const all = (await core.listPodForAllNamespaces()).items;
      expect(all).toHaveLength(30);
      const names = (pods: k8s.V1Pod[]) => pods.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`);
      const expectSelector = async (labelSelector: string, keep: (labels: Record<string, string>) => boolean, count: number) => {
        const selected = (await core.listPodForAllNamespaces({ labelSelector })).items;
        expect(names(selected), labelSelector).toEqual(names(all.filter((p) => keep(p.metadata!.labels ?? {}))));
        expect(selected, labelSelector).toHaveLength(count);
      };
      await expectSelector('app=frontend', (l) => l['app'] === 'frontend', 4);
      await expectSelector('app in (frontend,cart,search),version=v1', (l) => ['frontend', 'cart', 'search'].includes(l['app']!), 10);
      await expectSelector('app notin (frontend,cart)', (l) => !['frontend', 'cart'].includes(l['app']!), 22);
      await expectSelector('app!=frontend,pod-template-hash', (l) => l['app'] !== 'frontend' && 'pod-template-hash' in l, 26);
      await expectSelector('!version', () => false, 0);
      // Namespaced lists filter within their namespace only.
      const shop = (await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'version=v1' })).items;
      expect(names(shop)).toEqual(names(all.filter((p) => p.metadata!.namespace === 'shop')));
    });

    it('filters by field selector, alone and together with a label selector', async () => {
      const all = (await core.listPodForAllNamespaces()).items;
      const first = all[7]!;
      const byName = await core.listPodForAllNamespaces({ fieldSelector: `metadata.name=${first.metadata!.name}` });
      expect(byName.items.map((p) => p.metadata!.name)).toEqual([first.metadata!.name]);
      const inShop = await core.listPodForAllNamespaces({ fieldSelector: 'metadata.namespace=shop' });
      expect(inShop.items.map((p) => p.metadata!.name)).toEqual((await core.listNamespacedPod({ namespace: 'shop' })).items.map((p) => p.metadata!.name));
      expect((await core.listPodForAllNamespaces({ fieldSelector: 'status.phase=Running' })).items).toHaveLength(30);
      expect((await core.listPodForAllNamespaces({ fieldSelector: 'status.phase!=Running' })).items).toHaveLength(0);
      const node = first.spec!.nodeName!;
      const onNode = (await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` })).items;
      expect(onNode.length).toBeGreaterThan(0);
      expect(onNode.length).toBeLessThan(30);
      expect(onNode.map((p) => p.metadata!.name)).toEqual(all.filter((p) => p.spec!.nodeName === node).map((p) => p.metadata!.name));
      const both = (await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node},metadata.namespace!=shop`, labelSelector: 'app notin (cart)' })).items;
      expect(both.map((p) => p.metadata!.name)).toEqual(
        all.filter((p) => p.spec!.nodeName === node && p.metadata!.namespace !== 'shop' && p.metadata!.labels!['app'] !== 'cart').map((p) => p.metadata!.name),
      );
    });

    it('answers a malformed selector with 400 BadRequest', async () => {
      const bad = await failure(core.listPodForAllNamespaces({ labelSelector: 'app in (frontend' }));
      expect(bad.code).toBe(400);
      expect(bad.status).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest' });
    });

    it('pages with limit/continue: every item exactly once, in order, with remainingItemCount', async () => {
      const whole = (await core.listPodForAllNamespaces()).items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`);
      const seen: string[] = [];
      const remaining: (number | undefined)[] = [];
      const versions = new Set<string>();
      let token: string | undefined;
      do {
        const page = await core.listPodForAllNamespaces({ limit: 7, ...(token ? { _continue: token } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(7);
        seen.push(...page.items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`));
        remaining.push(page.metadata!.remainingItemCount);
        versions.add(page.metadata!.resourceVersion!);
        token = page.metadata!._continue || undefined;
      } while (token);
      expect(seen).toEqual(whole);
      expect(new Set(seen).size).toBe(30);
      expect(remaining).toEqual([23, 16, 9, 2, undefined]);
      // Every page is served at the version of the first.
      expect(versions.size).toBe(1);
    });

    it('pages a selected list and a cluster-scoped kind', async () => {
      const selector = 'app in (frontend,cart,checkout)';
      const pages: number[] = [];
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await core.listPodForAllNamespaces({ labelSelector: selector, limit: 5, ...(token ? { _continue: token } : {}) });
        pages.push(page.items.length);
        seen.push(...page.items.map((p) => p.metadata!.name!));
        token = page.metadata!._continue || undefined;
      } while (token);
      expect(pages).toEqual([5, 5, 2]);
      expect(seen).toEqual((await core.listPodForAllNamespaces({ labelSelector: selector })).items.map((p) => p.metadata!.name));
      const first = await core.listNamespace({ limit: 2 });
      const rest = await core.listNamespace({ _continue: first.metadata!._continue! });
      expect([...first.items, ...rest.items].map((n) => n.metadata!.name)).toEqual((await core.listNamespace()).items.map((n) => n.metadata!.name));
      expect(rest.metadata!._continue ?? '').toBe('');
    });

    it('expires a continue token once the store is compacted (410), and a fresh list works', async () => {
      const first = await core.listPodForAllNamespaces({ limit: 5 });
      expect(first.metadata!._continue).toBeTruthy();
      cluster().store.compact();
      const expired = await failure(core.listPodForAllNamespaces({ limit: 5, _continue: first.metadata!._continue! }));
      expect(expired.code).toBe(410);
      expect(expired.status).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
      const again = await core.listPodForAllNamespaces({ limit: 5 });
      expect(again.items.map((p) => p.metadata!.name)).toEqual(first.items.map((p) => p.metadata!.name));
      const next = await core.listPodForAllNamespaces({ limit: 5, _continue: again.metadata!._continue! });
      expect(next.items).toHaveLength(5);
      const garbage = await failure(core.listPodForAllNamespaces({ limit: 5, _continue: 'not-a-token' }));
      expect(garbage.code).toBe(400);
    });
  });

  describe('watch', () => {
    it('streams ADDED, MODIFIED and DELETED in order, at the versions the writes returned', async () => {
      const since = await freshNamespace('w-order');
      const w = await watch('/api/v1/namespaces/w-order/configmaps', { resourceVersion: since });
      const created = await core.createNamespacedConfigMap({ namespace: 'w-order', body: configMap('c', { v: '1' }) });
      const replaced = await core.replaceNamespacedConfigMap({ namespace: 'w-order', name: 'c', body: { ...created, data: { v: '2' } } });
      const patched = await core.patchNamespacedConfigMap(
        { namespace: 'w-order', name: 'c', body: { data: { v: '3' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedConfigMap({ namespace: 'w-order', name: 'c' });
      await core.createNamespacedConfigMap({ namespace: 'w-order', body: configMap('sentinel') });
      await w.until('sentinel');
      expect(w.summary()).toEqual(['ADDED c', 'MODIFIED c', 'MODIFIED c', 'DELETED c', 'ADDED sentinel']);
      const [added, modified, modifiedAgain, deleted] = w.events;
      expect([added!.rv, modified!.rv, modifiedAgain!.rv]).toEqual([created.metadata!.resourceVersion, replaced.metadata!.resourceVersion, patched.metadata!.resourceVersion]);
      expect(modifiedAgain!.object['data']).toEqual({ v: '3' });
      expect(Number(deleted!.rv)).toBeGreaterThan(Number(patched.metadata!.resourceVersion));
      expect(deleted!.object['data']).toEqual({ v: '3' });
      const rvs = w.events.map((e) => Number(e.rv));
      expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
      expect(w.ended).toBeUndefined();
    });

    it('starts with the current objects as ADDED when no resourceVersion is given', async () => {
      await freshNamespace('w-initial');
      await core.createNamespacedConfigMap({ namespace: 'w-initial', body: configMap('a') });
      await core.createNamespacedConfigMap({ namespace: 'w-initial', body: configMap('b') });
      const w = await watch('/api/v1/namespaces/w-initial/configmaps', {});
      await w.until('b');
      await core.createNamespacedConfigMap({ namespace: 'w-initial', body: configMap('c') });
      await w.until('c');
      expect(w.summary()).toEqual(['ADDED a', 'ADDED b', 'ADDED kube-root-ca.crt', 'ADDED c']);
    });

    it('resumes from a resourceVersion with exactly the events it missed', async () => {
      const since = await freshNamespace('w-resume');
      const first = await watch('/api/v1/namespaces/w-resume/configmaps', { resourceVersion: since });
      await core.createNamespacedConfigMap({ namespace: 'w-resume', body: configMap('x', { n: '1' }) });
      await first.until('x');
      // The server ends the stream (an API server restart, a timeout); the client saw up to here.
      expect(t.sim.faults.closeWatches('east')).toBeGreaterThanOrEqual(1);
      await waitFor(() => first.ended, 'the watch to end');
      expect(first.ended!.error).toBeNull();
      const lastSeen = first.events.at(-1)!.rv;
      // Missed while nobody watched:
      await core.patchNamespacedConfigMap({ namespace: 'w-resume', name: 'x', body: { data: { n: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      await core.createNamespacedConfigMap({ namespace: 'w-resume', body: configMap('y') });
      await core.deleteNamespacedConfigMap({ namespace: 'w-resume', name: 'x' });
      await core.createNamespacedConfigMap({ namespace: 'other-ns-does-not-exist', body: configMap('z') }).catch(() => undefined);
      const resumed = await watch('/api/v1/namespaces/w-resume/configmaps', { resourceVersion: lastSeen });
      await resumed.until('x', 'DELETED');
      // Then it carries on live.
      await core.createNamespacedConfigMap({ namespace: 'w-resume', body: configMap('live') });
      await resumed.until('live');
      expect(resumed.summary()).toEqual(['MODIFIED x', 'ADDED y', 'DELETED x', 'ADDED live']);
      expect(resumed.events[0]!.object['data']).toEqual({ n: '2' });
      expect(resumed.events.every((e) => Number(e.rv) > Number(lastSeen))).toBe(true);
    });

    it('answers a watch from a compacted version with an ERROR 410 event and ends the stream', async () => {
      const since = await freshNamespace('w-gone');
      await core.createNamespacedConfigMap({ namespace: 'w-gone', body: configMap('a') });
      cluster().store.compact();
      const w = await watch('/api/v1/namespaces/w-gone/configmaps', { resourceVersion: since });
      await waitFor(() => w.ended, 'the expired watch to end');
      expect(w.events.map((e) => e.type)).toEqual(['ERROR']);
      expect(w.events[0]!.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
      expect(String(w.events[0]!.object['message'])).toMatch(/^too old resource version: \d+ \(\d+\)$/);
      // The client's way out: list again and watch from the list's version.
      const list = await core.listNamespacedConfigMap({ namespace: 'w-gone' });
      const again = await watch('/api/v1/namespaces/w-gone/configmaps', { resourceVersion: list.metadata!.resourceVersion! });
      await core.createNamespacedConfigMap({ namespace: 'w-gone', body: configMap('b') });
      await again.until('b');
      expect(again.summary()).toEqual(['ADDED b']);
    });

    it('sends bookmarks only when asked, at versions that resume without repeating anything', async () => {
      const since = await freshNamespace('w-bookmark');
      const plain = await watch('/api/v1/namespaces/w-bookmark/configmaps', { resourceVersion: since });
      const w = await watch('/api/v1/namespaces/w-bookmark/configmaps', { resourceVersion: since, allowWatchBookmarks: true });
      await waitFor(() => w.events.some((e) => e.type === 'BOOKMARK'), 'a bookmark');
      const bookmark = w.events.find((e) => e.type === 'BOOKMARK')!;
      expect(bookmark.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
      expect(Number(bookmark.rv)).toBeGreaterThanOrEqual(Number(since));
      const created = await core.createNamespacedConfigMap({ namespace: 'w-bookmark', body: configMap('after') });
      await w.until('after');
      const index = w.events.findIndex((e) => e.name === 'after');
      await waitFor(() => w.events.slice(index + 1).some((e) => e.type === 'BOOKMARK'), 'a bookmark after the write');
      const later = w.events.slice(index + 1).find((e) => e.type === 'BOOKMARK')!;
      expect(Number(later.rv)).toBeGreaterThanOrEqual(Number(created.metadata!.resourceVersion));
      // Resuming from the bookmark does not replay the write it covered.
      const resumed = await watch('/api/v1/namespaces/w-bookmark/configmaps', { resourceVersion: later.rv });
      await core.createNamespacedConfigMap({ namespace: 'w-bookmark', body: configMap('next') });
      await resumed.until('next');
      expect(resumed.summary()).toEqual(['ADDED next']);
      // Several bookmark intervals later, the watch that did not ask has none.
      await plain.until('next');
      expect(plain.events.filter((e) => e.type === 'BOOKMARK')).toEqual([]);
      expect(w.events.filter((e) => e.type === 'BOOKMARK').length).toBeGreaterThanOrEqual(2);
    });

    it('with a label selector, sees objects as ADDED and DELETED as their labels move in and out', async () => {
      const since = await freshNamespace('w-labels');
      const w = await watch('/api/v1/namespaces/w-labels/configmaps', { resourceVersion: since, labelSelector: 'tier=hot' });
      const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
      const label = (name: string, value: string | null) => core.patchNamespacedConfigMap({ namespace: 'w-labels', name, body: { metadata: { labels: { tier: value } } } }, merge);
      await core.createNamespacedConfigMap({ namespace: 'w-labels', body: configMap('m') });
      await core.createNamespacedConfigMap({ namespace: 'w-labels', body: configMap('born-hot', {}, { tier: 'hot' }) });
      await label('m', 'hot'); // in: ADDED
      await core.patchNamespacedConfigMap({ namespace: 'w-labels', name: 'm', body: { data: { k: 'v' } } }, merge); // still in: MODIFIED
      const movedOut = await label('m', 'cold'); // out: DELETED
      await core.patchNamespacedConfigMap({ namespace: 'w-labels', name: 'm', body: { data: { k: 'w' } } }, merge); // outside: nothing
      await label('m', 'hot'); // in again: ADDED
      await label('m', null); // label removed: DELETED
      await core.deleteNamespacedConfigMap({ namespace: 'w-labels', name: 'm' }); // outside: nothing
      await core.deleteNamespacedConfigMap({ namespace: 'w-labels', name: 'born-hot' });
      await w.until('born-hot', 'DELETED');
      expect(w.summary()).toEqual(['ADDED born-hot', 'ADDED m', 'MODIFIED m', 'DELETED m', 'ADDED m', 'DELETED m', 'DELETED born-hot']);
      // An object that left is sent as it was while it matched (as the watch cache does), at the version of the change.
      const left = w.events[3]!;
      expect(left.object.metadata!.labels).toEqual({ tier: 'hot' });
      expect(left.object['data']).toEqual({ k: 'v' });
      expect(left.rv).toBe(movedOut.metadata!.resourceVersion);
      expect(w.events[5]!.object.metadata!.labels).toEqual({ tier: 'hot' });
    });

    it('watches one object by field selector', async () => {
      const since = await freshNamespace('w-field');
      const w = await watch('/api/v1/namespaces/w-field/configmaps', { resourceVersion: since, fieldSelector: 'metadata.name=target' });
      await core.createNamespacedConfigMap({ namespace: 'w-field', body: configMap('bystander') });
      await core.createNamespacedConfigMap({ namespace: 'w-field', body: configMap('target') });
      await core.deleteNamespacedConfigMap({ namespace: 'w-field', name: 'target' });
      await w.until('target', 'DELETED');
      expect(w.summary()).toEqual(['ADDED target', 'DELETED target']);
    });
  });

  describe('informer', () => {
    const namespace = 'informed';
    const inSync = async (informer: k8s.Informer<k8s.V1ConfigMap> & k8s.ObjectCache<k8s.V1ConfigMap>) => {
      const server = (await core.listNamespacedConfigMap({ namespace })).items.map((c) => `${c.metadata!.name}@${c.metadata!.resourceVersion}`).sort();
      const cached = informer.list(namespace).map((c) => `${c.metadata!.name}@${c.metadata!.resourceVersion}`).sort();
      return JSON.stringify(server) === JSON.stringify(cached) && server;
    };

    it('stays in sync while objects change, after the server closes its watch, and after the history is compacted', async () => {
      await freshNamespace(namespace);
      let lists = 0;
      const errors: unknown[] = [];
      const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${namespace}/configmaps`, () => {
        lists++;
        return core.listNamespacedConfigMap({ namespace });
      });
      const added: string[] = [];
      const deleted: string[] = [];
      informer.on('add', (o) => added.push(o.metadata!.name!));
      informer.on('delete', (o) => deleted.push(o.metadata!.name!));
      // What applications do: restart the informer a moment after an error.
      informer.on('error', (error) => {
        errors.push(error);
        setTimeout(() => void informer.start(), 100);
      });
      await informer.start();
      try {
        for (let i = 0; i < 6; i++) await core.createNamespacedConfigMap({ namespace, body: configMap(`c${i}`, { i: String(i) }) });
        await core.patchNamespacedConfigMap({ namespace, name: 'c1', body: { data: { i: 'one' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
        await core.deleteNamespacedConfigMap({ namespace, name: 'c2' });
        const synced = await waitFor(() => inSync(informer), 'the informer to catch up');
        expect(synced).toHaveLength(6); // kube-root-ca.crt, c0, c1, c3, c4, c5
        expect(informer.get('c1', namespace)!.data).toEqual({ i: 'one' });
        expect(deleted).toEqual(['c2']);

        // The server ends the watch; the informer re-watches from its version and misses nothing.
        expect(t.sim.faults.closeWatches('east')).toBeGreaterThanOrEqual(1);
        await core.deleteNamespacedConfigMap({ namespace, name: 'c3' });
        await core.createNamespacedConfigMap({ namespace, body: configMap('after-close') });
        await core.replaceNamespacedConfigMap({ namespace, name: 'c4', body: { ...(await core.readNamespacedConfigMap({ namespace, name: 'c4' })), data: { i: 'four' } } });
        await waitFor(() => inSync(informer), 'the informer to catch up after its watch was closed');
        expect(informer.get('c4', namespace)!.data).toEqual({ i: 'four' });
        expect(deleted).toEqual(['c2', 'c3']);
        // It resumed rather than listing again: resuming from its version worked.
        expect(lists).toBe(1);

        // The API server goes away; what changes meanwhile is compacted out of its history.
        await t.sim.faults.takeDown('east');
        await waitFor(() => errors.length > 0, 'the informer to report the lost server');
        // (Written in-process: nothing can reach the server over HTTP now.)
        cluster().api.delete(K.configMaps, namespace, 'c5');
        cluster().api.create(K.configMaps, namespace, { metadata: { name: 'while-down' }, data: {} });
        cluster().store.compact();
        await t.sim.faults.bringUp('east');
        // The restarted informer's resume gets 410, so it lists again, dropping what was deleted.
        await waitFor(() => inSync(informer), 'the informer to re-list after the compaction');
        expect(lists).toBeGreaterThanOrEqual(2);
        expect(informer.get('c5', namespace)).toBeUndefined();
        expect(deleted).toEqual(['c2', 'c3', 'c5']);
        expect(informer.get('while-down', namespace)).toBeDefined();
        expect(added.filter((name) => name === 'c0')).toHaveLength(1);
      } finally {
        await informer.stop();
      }
    });
  });

  describe('writes', () => {
    const deployment = (name: string, image = 'registry.example.com/web:1'): k8s.V1Deployment => ({
      metadata: { name, labels: { app: name } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [
              { name: 'app', image, ports: [{ name: 'http', containerPort: 8080 }], env: [{ name: 'MODE', value: 'a' }] },
              { name: 'helper', image: 'registry.example.com/helper:1' },
            ],
          },
        },
      },
    });
    const replicaSets = async (namespace: string, app: string) => (await apps.listNamespacedReplicaSet({ namespace, labelSelector: `app=${app}` })).items.map((r) => `${r.metadata!.name}:${r.spec!.replicas}`).sort();

    beforeAll(async () => {
      await freshNamespace('writes');
    });

    it('answers a create of an existing name with 409 AlreadyExists', async () => {
      await core.createNamespacedConfigMap({ namespace: 'writes', body: configMap('dup') });
      const again = await failure(core.createNamespacedConfigMap({ namespace: 'writes', body: configMap('dup') }));
      expect(again.code).toBe(409);
      expect(again.status).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'configmaps "dup" already exists' });
      await apps.createNamespacedDeployment({ namespace: 'writes', body: deployment('dup') });
      const deploy = await failure(apps.createNamespacedDeployment({ namespace: 'writes', body: deployment('dup') }));
      expect(deploy.status).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'deployments.apps "dup" already exists' });
    });

    it('answers a replace at a stale resourceVersion with 409 Conflict and keeps the newer write', async () => {
      const stale = await core.readNamespacedConfigMap({ namespace: 'writes', name: 'dup' });
      await core.replaceNamespacedConfigMap({ namespace: 'writes', name: 'dup', body: { ...stale, data: { winner: 'first' } } });
      const lost = await failure(core.replaceNamespacedConfigMap({ namespace: 'writes', name: 'dup', body: { ...stale, data: { winner: 'second' } } }));
      expect(lost.code).toBe(409);
      expect(lost.status).toMatchObject({ reason: 'Conflict', message: 'Operation cannot be fulfilled on configmaps "dup": the object has been modified; please apply your changes to the latest version and try again' });
      expect((await core.readNamespacedConfigMap({ namespace: 'writes', name: 'dup' })).data).toEqual({ winner: 'first' });

      const read = await apps.readNamespacedDeployment({ namespace: 'writes', name: 'dup' });
      await apps.patchNamespacedDeployment({ namespace: 'writes', name: 'dup', body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] });
      const staleDeploy = await failure(apps.replaceNamespacedDeployment({ namespace: 'writes', name: 'dup', body: { ...read, spec: { ...read.spec!, replicas: 1 } } }));
      expect(staleDeploy.status).toMatchObject({ code: 409, reason: 'Conflict' });
      expect((await apps.readNamespacedDeployment({ namespace: 'writes', name: 'dup' })).spec!.replicas).toBe(3);
    });

    it('treats replacing an object with what was read as a no-op: same version, no generation bump, no rollout', async () => {
      const name = 'steady';
      await apps.createNamespacedDeployment({ namespace: 'writes', body: deployment(name) });
      cluster().settle();
      // Pods start after a short delay and then update the Deployment's status; read it once that is done,
      // or the replace below races a status write (a real 409, but not what this test is about).
      await waitFor(async () => (await apps.readNamespacedDeployment({ namespace: 'writes', name })).status?.availableReplicas === 2, 'the deployment to settle');
      cluster().settle();
      const before = await apps.readNamespacedDeployment({ namespace: 'writes', name });
      const sets = await replicaSets('writes', name);
      const pods = (await core.listNamespacedPod({ namespace: 'writes', labelSelector: `app=${name}` })).items.map((p) => p.metadata!.name).sort();
      expect(pods).toHaveLength(2);

      const same = await apps.replaceNamespacedDeployment({ namespace: 'writes', name, body: before });
      expect(same.metadata!.resourceVersion).toBe(before.metadata!.resourceVersion);
      expect(same.metadata!.generation).toBe(before.metadata!.generation);

      // A metadata-only change is a write, but the template did not change: no new ReplicaSet.
      const relabelled = await apps.replaceNamespacedDeployment({ namespace: 'writes', name, body: { ...before, metadata: { ...before.metadata, labels: { app: name, team: 'x' } } } });
      expect(Number(relabelled.metadata!.resourceVersion)).toBeGreaterThan(Number(before.metadata!.resourceVersion));
      expect(relabelled.metadata!.generation).toBe(before.metadata!.generation);
      cluster().settle();
      expect(await replicaSets('writes', name)).toEqual(sets);
      expect((await core.listNamespacedPod({ namespace: 'writes', labelSelector: `app=${name}` })).items.map((p) => p.metadata!.name).sort()).toEqual(pods);

      const cm = await core.readNamespacedConfigMap({ namespace: 'writes', name: 'kube-root-ca.crt' });
      const sameCm = await core.replaceNamespacedConfigMap({ namespace: 'writes', name: 'kube-root-ca.crt', body: cm });
      expect(sameCm.metadata!.resourceVersion).toBe(cm.metadata!.resourceVersion);
    });

    it('strategic merge patch merges containers by name; merge patch replaces the list', async () => {
      const name = 'patched';
      await apps.createNamespacedDeployment({ namespace: 'writes', body: deployment(name) });
      const strategic = await apps.patchNamespacedDeployment(
        { namespace: 'writes', name, body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.example.com/web:2', env: [{ name: 'EXTRA', value: 'b' }] }] } } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
      );
      const [app, helper] = strategic.spec!.template.spec!.containers;
      expect(strategic.spec!.template.spec!.containers.map((c) => c.name)).toEqual(['app', 'helper']);
      expect(app!.image).toBe('registry.example.com/web:2');
      expect(app!.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
      // env is keyed by name too: the new variable joins the old one. (Where it lands is left open: a real
      // server puts a patch's new items first, the simulator appends them; see strategic-merge-patch.ts.)
      expect([...app!.env!].sort((a, b) => a.name.localeCompare(b.name))).toEqual([{ name: 'EXTRA', value: 'b' }, { name: 'MODE', value: 'a' }]);
      expect(helper!.image).toBe('registry.example.com/helper:1');
      expect(strategic.metadata!.generation).toBe(2);

      const removed = await apps.patchNamespacedDeployment(
        { namespace: 'writes', name, body: { spec: { template: { spec: { containers: [{ name: 'helper', $patch: 'delete' }] } } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
      );
      expect(removed.spec!.template.spec!.containers.map((c) => c.name)).toEqual(['app']);

      const merged = await apps.patchNamespacedDeployment(
        { namespace: 'writes', name, body: { metadata: { labels: { app: null, tier: 'web' } }, spec: { template: { spec: { containers: [{ name: 'only', image: 'registry.example.com/only:1' }] } } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      expect(merged.metadata!.labels).toEqual({ tier: 'web' });
      const containers = merged.spec!.template.spec!.containers;
      expect(containers.map((c) => c.name)).toEqual(['only']);
      expect(containers[0]!.ports).toBeUndefined();
      expect(containers[0]!.env).toBeUndefined();
      expect(merged.metadata!.generation).toBe(4);
      // The rollout follows the patched template.
      await waitFor(async () => {
        const pods = (await core.listNamespacedPod({ namespace: 'writes', labelSelector: `app=${name}` })).items;
        return pods.length === 2 && pods.every((p) => p.spec!.containers.map((c) => c.image).join() === 'registry.example.com/only:1' && p.status?.phase === 'Running');
      }, 'pods of the merged template');
    });

    it('refuses patch types a kind does not take, and malformed patches', async () => {
      const co = kc.makeApiClient(k8s.CustomObjectsApi);
      await co.createNamespacedCustomObject({
        group: 'networking.istio.io',
        version: 'v1',
        namespace: 'writes',
        plural: 'virtualservices',
        body: { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'vs' }, spec: { hosts: ['a'], http: [{ route: [{ destination: { host: 'a' } }] }] } },
      });
      // Custom resources have no strategic merge patch, as on a real server.
      const strategic = await failure(
        co.patchNamespacedCustomObject(
          { group: 'networking.istio.io', version: 'v1', namespace: 'writes', plural: 'virtualservices', name: 'vs', body: { spec: { hosts: ['b'] } } },
          k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
        ),
      );
      expect(strategic.code).toBe(415);
      const merged = (await co.patchNamespacedCustomObject(
        { group: 'networking.istio.io', version: 'v1', namespace: 'writes', plural: 'virtualservices', name: 'vs', body: { spec: { hosts: ['b'] } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      )) as { spec: { hosts: string[]; http: unknown[] } };
      expect(merged.spec.hosts).toEqual(['b']);
      expect(merged.spec.http).toHaveLength(1);
      const test = await failure(apps.patchNamespacedDeployment({ namespace: 'writes', name: 'patched', body: [{ op: 'test', path: '/spec/replicas', value: 99 }] }));
      expect(test.code).toBe(422);
    });

    it('answers an invalid object with 422 Invalid and its causes, and a missing one with 404', async () => {
      const invalid = deployment('invalid');
      invalid.spec!.template.metadata!.labels = { app: 'something-else' };
      const refused = await failure(apps.createNamespacedDeployment({ namespace: 'writes', body: invalid }));
      expect(refused.code).toBe(422);
      expect(refused.status!.reason).toBe('Invalid');
      expect(refused.status!.details!.causes!.map((c) => c.field)).toContain('spec.template.metadata.labels');
      const missing = await failure(core.readNamespacedConfigMap({ namespace: 'writes', name: 'nope' }));
      expect(missing.code).toBe(404);
      expect(missing.status).toMatchObject({ reason: 'NotFound', message: 'configmaps "nope" not found' });
    });

    it('keeps a service\'s Endpoints and EndpointSlice in step with its pods, and removes both with the service', async () => {
      const discovery = kc.makeApiClient(k8s.DiscoveryV1Api);
      await apps.createNamespacedDeployment({ namespace: 'writes', body: deployment('served') });
      await core.createNamespacedService({ namespace: 'writes', body: { metadata: { name: 'served' }, spec: { selector: { app: 'served' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } } });
      // Running pods and endpoint addresses, each as name@ip.
      const pods = async () =>
        (await core.listNamespacedPod({ namespace: 'writes', labelSelector: 'app=served' })).items
          .filter((p) => p.status?.phase === 'Running')
          .map((p) => `${p.metadata!.name}@${p.status!.podIP}`)
          .sort();
      const addresses = async () => {
        const endpoints = await core.readNamespacedEndpoints({ namespace: 'writes', name: 'served' });
        return (endpoints.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => `${a.targetRef?.name}@${a.ip}`)).sort();
      };
      const matching = async (count: number) => {
        const running = await pods();
        return running.length === count && JSON.stringify(await addresses()) === JSON.stringify(running) && running;
      };
      await waitFor(() => matching(2), 'the endpoints of served');
      // A pod that goes is taken out; its replacement is put in.
      const victim = (await core.listNamespacedPod({ namespace: 'writes', labelSelector: 'app=served' })).items[0]!;
      await core.deleteNamespacedPod({ namespace: 'writes', name: victim.metadata!.name! });
      const after = await waitFor(async () => {
        const now = await matching(2);
        return now && !now.some((entry) => entry.startsWith(`${victim.metadata!.name}@`)) && now;
      }, 'the endpoints to follow the replacement pod');
      expect(after).toHaveLength(2);
      const endpoints = await core.readNamespacedEndpoints({ namespace: 'writes', name: 'served' });
      // The named target port resolves to the container port of that name.
      expect(endpoints.subsets![0]!.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
      const slices = () => discovery.listNamespacedEndpointSlice({ namespace: 'writes', labelSelector: 'kubernetes.io/service-name=served' });
      expect((await slices()).items).toHaveLength(1);

      await core.deleteNamespacedService({ namespace: 'writes', name: 'served' });
      await waitFor(async () => (await slices()).items.length === 0, 'the EndpointSlice to go with its service');
      await waitFor(async () => (await failure(core.readNamespacedEndpoints({ namespace: 'writes', name: 'served' }))).code === 404, 'the Endpoints to go with their service');
    });

    it('runs server-side dry runs through admission without storing or announcing anything', async () => {
      const since = (await core.listNamespacedConfigMap({ namespace: 'writes' })).metadata!.resourceVersion!;
      const w = await watch('/api/v1/namespaces/writes/configmaps', { resourceVersion: since });
      const revision = cluster().store.resourceVersion;

      const created = await core.createNamespacedConfigMap({ namespace: 'writes', body: configMap('dry', { a: 'b' }), dryRun: 'All' });
      expect(created.metadata!.name).toBe('dry');
      expect(created.data).toEqual({ a: 'b' });
      expect((await failure(core.readNamespacedConfigMap({ namespace: 'writes', name: 'dry' }))).code).toBe(404);
      // Admission still runs: an invalid dry run fails like a real one.
      const invalid = deployment('dry-invalid');
      invalid.spec!.template.spec!.containers[0]!.image = '';
      expect((await failure(apps.createNamespacedDeployment({ namespace: 'writes', body: invalid, dryRun: 'All' }))).code).toBe(422);

      const live = await apps.readNamespacedDeployment({ namespace: 'writes', name: 'steady' });
      const sets = await replicaSets('writes', 'steady');
      const replaced = await apps.replaceNamespacedDeployment({
        namespace: 'writes',
        name: 'steady',
        dryRun: 'All',
        body: { ...live, spec: { ...live.spec!, template: { ...live.spec!.template, spec: { containers: [{ name: 'app', image: 'registry.example.com/web:dry' }] } } } },
      });
      expect(replaced.spec!.template.spec!.containers[0]!.image).toBe('registry.example.com/web:dry');
      const patched = await apps.patchNamespacedDeployment({ namespace: 'writes', name: 'steady', dryRun: 'All', body: { spec: { replicas: 7 } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      expect(patched.spec!.replicas).toBe(7);
      await core.deleteNamespacedConfigMap({ namespace: 'writes', name: 'dup', dryRun: 'All' });

      expect(cluster().store.resourceVersion).toBe(revision);
      const after = await apps.readNamespacedDeployment({ namespace: 'writes', name: 'steady' });
      expect(after.metadata!.resourceVersion).toBe(live.metadata!.resourceVersion);
      expect(after.spec!.replicas).toBe(live.spec!.replicas);
      expect((await core.readNamespacedConfigMap({ namespace: 'writes', name: 'dup' })).metadata!.name).toBe('dup');
      cluster().settle();
      expect(await replicaSets('writes', 'steady')).toEqual(sets);
      // The first event the watch sees is the first real write.
      await core.createNamespacedConfigMap({ namespace: 'writes', body: configMap('real') });
      await w.until('real');
      expect(w.summary()).toEqual(['ADDED real']);
    });
  });

  describe('authentication and authorization', () => {
    const withToken = (token: string | undefined): k8s.KubeConfig => {
      const config = new k8s.KubeConfig();
      const current = kc.getCurrentCluster()!;
      config.loadFromOptions({
        clusters: [{ name: 'east', server: current.server, caData: current.caData }],
        users: [{ name: 'someone', ...(token === undefined ? {} : { token }) }],
        contexts: [{ name: 'east', cluster: 'east', user: 'someone' }],
        currentContext: 'east',
      });
      return config;
    };

    it('answers a wrong or missing token with 401 for calls and for watches', async () => {
      const wrong = await failure(withToken('not-the-token').makeApiClient(k8s.CoreV1Api).listNamespace());
      expect(wrong.code).toBe(401);
      const missing = await failure(withToken(undefined).makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: 'shop' }));
      expect(missing.code).toBe(401);
      let ended: unknown;
      const events: string[] = [];
      await new k8s.Watch(withToken('not-the-token')).watch('/api/v1/pods', {}, (type: string) => events.push(type), (error: unknown) => (ended = error));
      await waitFor(() => ended, 'the refused watch to end');
      expect((ended as { statusCode?: number }).statusCode).toBe(401);
      expect(events).toEqual([]);
    });

    it('answers a service-account token without RBAC with 403, and honours a binding', async () => {
      await core.createNamespacedServiceAccount({ namespace: 'writes', body: { metadata: { name: 'nobody' } } });
      const request = await core.createNamespacedServiceAccountToken({ namespace: 'writes', name: 'nobody', body: { spec: { audiences: [], expirationSeconds: 600 } } });
      const token = request.status!.token;
      expect(token.split('.')).toHaveLength(3);
      const asNobody = withToken(token).makeApiClient(k8s.CoreV1Api);
      const denied = await failure(asNobody.listNamespacedPod({ namespace: 'writes' }));
      expect(denied.code).toBe(403);
      expect(denied.status).toMatchObject({
        reason: 'Forbidden',
        message: 'pods is forbidden: User "system:serviceaccount:writes:nobody" cannot list resource "pods" in API group "" in the namespace "writes"',
      });
      const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
      await rbac.createNamespacedRoleBinding({
        namespace: 'writes',
        body: { metadata: { name: 'nobody-view' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'nobody', namespace: 'writes' }] },
      });
      expect((await asNobody.listNamespacedPod({ namespace: 'writes' })).items.length).toBeGreaterThan(0);
      // Read-only: writes and other namespaces stay forbidden.
      expect((await failure(asNobody.createNamespacedConfigMap({ namespace: 'writes', body: configMap('nope') }))).code).toBe(403);
      expect((await failure(asNobody.listNamespacedPod({ namespace: 'shop' }))).code).toBe(403);
      // Deleting the service account revokes its tokens.
      await core.deleteNamespacedServiceAccount({ namespace: 'writes', name: 'nobody' });
      expect((await failure(asNobody.listNamespacedPod({ namespace: 'writes' }))).code).toBe(401);
    });
  });
});
