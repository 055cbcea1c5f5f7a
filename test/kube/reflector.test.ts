import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterTransport } from '../../source/kube/transport.js';
import { Reflector } from '../../source/kube/reflector.js';
import { projectFor } from '../../source/kube/project.js';
import { WATCHED_KINDS } from '../../source/kube/watched-kinds.js';
import type { SimCluster } from '../../source/sim/cluster/sim-cluster.js';
import { K } from '../../source/sim/controllers/kinds.js';
import { startTestSim, waitFor, type TestSim } from '../helpers/sim.js';

const kind = (id: string) => WATCHED_KINDS.find((k) => k.id === id)!;

describe('Reflector against the simulator over HTTPS', () => {
  let t: TestSim;
  let east: SimCluster;
  const running: Reflector[] = [];

  beforeAll(async () => {
    t = await startTestSim({ clusters: 1, podsPerCluster: 40 });
    east = t.sim.cluster('east');
  });
  afterAll(async () => {
    await t?.stop();
  });
  afterEach(async () => {
    for (const reflector of running.splice(0)) reflector.stop();
    if (!east.isUp) await east.listen();
  });

  function start(id: string, options: { silenceMs?: number; pageSize?: number } = {}) {
    const config = new KubeConfig();
    config.loadFromString(t.sim.kubeconfig());
    config.setCurrentContext('east');
    const transport = new ClusterTransport(config);
    const lists = vi.spyOn(transport, 'requestList');
    const watches = vi.spyOn(transport, 'stream');
    const changes = { count: 0 };
    const reflector = new Reflector(transport, kind(id), {
      silenceMs: options.silenceMs ?? 60_000,
      pageSize: options.pageSize ?? 500,
      watchTimeoutSeconds: 300,
      now: Date.now,
      onChange: () => changes.count++,
      project: projectFor(id),
    });
    running.push(reflector);
    reflector.start();
    return { reflector, lists, watches, changes };
  }

  /**
   * What the simulator holds, as the cache keys it: namespace/name → labels (projections may drop the
   * resourceVersion, never the labels the mesh model reads).
   */
  const held = (def: (typeof K)[keyof typeof K]) => new Map(east.store.list(def).map((o) => [o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!, JSON.stringify(o.metadata.labels ?? {})]));
  const cached = (reflector: Reflector) => new Map([...reflector.cache.items].map(([key, o]) => [key, JSON.stringify(o.metadata.labels ?? {})]));
  const inStep = (reflector: Reflector, def: (typeof K)[keyof typeof K]) => () => {
    const want = held(def);
    const have = cached(reflector);
    return want.size === have.size && [...want].every(([key, labels]) => have.get(key) === labels);
  };

  it('lists in pages and ends up holding exactly what the simulator holds', async () => {
    const { reflector, lists } = start('pods', { pageSize: 7 });
    await waitFor(() => reflector.status.state === 'synced', 'the first sync');
    expect(reflector.cache.items.size).toBe(40);
    await waitFor(inStep(reflector, K.pods), 'the cache to equal the simulator');
    // 40 pods in pages of 7: six requests, each naming the page size.
    expect(lists).toHaveBeenCalledTimes(6);
    expect(String(lists.mock.calls[0]![0])).toContain('limit=7');
    expect(String(lists.mock.calls[1]![0])).toContain('continue=');
    expect(reflector.status.lastEventAt).toBeGreaterThan(0);
  });

  it('follows creates, updates and deletes made through the simulator’s API', async () => {
    const { reflector } = start('pods');
    await waitFor(() => reflector.status.state === 'synced', 'the first sync');
    const [first, second] = east.store.list(K.pods, 'shop');
    east.api.create(K.pods, 'shop', { metadata: { name: 'debug-shell', labels: { run: 'debug' } }, spec: { containers: [{ name: 'shell', image: 'busybox:1.36' }] } });
    east.api.patch(K.pods, 'shop', first!.metadata.name!, 'application/merge-patch+json', JSON.stringify({ metadata: { labels: { checked: 'yes' } } }));
    east.api.delete(K.pods, 'shop', second!.metadata.name!);
    await waitFor(inStep(reflector, K.pods), 'the cache to follow the simulator');
    expect(reflector.cache.items.get('shop/debug-shell')?.metadata.labels).toEqual({ run: 'debug' });
    expect(reflector.cache.items.get(`shop/${first!.metadata.name}`)?.metadata.labels?.['checked']).toBe('yes');
    expect(reflector.cache.items.has(`shop/${second!.metadata.name}`)).toBe(false);
    east.api.delete(K.pods, 'shop', 'debug-shell');
  });

  it('relists after 410 Gone: changes made while its watch was closed and the history compacted leave no stale or duplicate rows', async () => {
    const { reflector, lists } = start('deployments');
    await waitFor(() => reflector.status.state === 'synced', 'the first sync');
    const listsBefore = lists.mock.calls.length;
    const versionBefore = reflector.cache.version;

    await east.stopServing();
    const victims = east.store.list(K.deployments, 'payments').slice(0, 2).map((d) => d.metadata.name!);
    for (const name of victims) east.api.delete(K.deployments, 'payments', name, { propagationPolicy: 'Orphan' });
    for (const name of ['late-1', 'late-2', 'late-3']) {
      east.api.create(K.deployments, 'platform', {
        metadata: { name, labels: { app: name } },
        spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'nginx:1.27' }] } } },
      });
    }
    east.store.compact();
    await east.listen();

    await waitFor(inStep(reflector, K.deployments), 'the cache to equal the simulator again', 15_000);
    expect(lists.mock.calls.length).toBeGreaterThan(listsBefore);
    expect(reflector.cache.version).toBeGreaterThan(versionBefore);
    for (const name of victims) expect(reflector.cache.items.has(`payments/${name}`)).toBe(false);
    for (const name of ['late-1', 'late-2', 'late-3']) expect(reflector.cache.items.has(`platform/${name}`)).toBe(true);
    expect(reflector.status.state).toBe('synced');
  });

  it('a server that goes away makes it fail with a reason and a retry time; it recovers by itself when the server is back', async () => {
    const { reflector } = start('namespaces');
    await waitFor(() => reflector.status.state === 'synced', 'the first sync');
    await east.stopServing();
    // (A watch the server closes at once first counts as a short watch; then connecting fails.)
    const failing = await waitFor(() => reflector.status.state === 'failing' && /^connection (refused|reset)$/.test(reflector.status.error ?? '') && reflector.status, 'the failure to show');
    expect(failing.retryAt).toBeGreaterThan(Date.now() - 1_000);
    expect(failing.lastEventAt).toBeGreaterThan(0);
    expect(reflector.cache.items.size).toBeGreaterThan(0);

    await east.listen();
    // Nothing changes in the cluster: the reflector must see for itself that its watch works again.
    await waitFor(() => reflector.status.state === 'synced', 'recovery without any new event', 5_000);
    expect(reflector.status.error).toBeUndefined();
    east.api.create(K.namespaces, undefined, { metadata: { name: 'after-the-outage' } });
    await waitFor(() => reflector.cache.items.has('after-the-outage'), 'a change after recovery');
  });

  it('restarts a watch that went silent, and keeps following changes', async () => {
    const { reflector, watches } = start('namespaces', { silenceMs: 250 });
    await waitFor(() => reflector.status.state === 'synced', 'the first sync');
    const first = watches.mock.calls.length;
    await waitFor(() => watches.mock.calls.length >= first + 3, 'the watchdog to restart the silent watch', 5_000);
    expect(reflector.status.state).toBe('synced');
    // Each restart resumes from the last version: no relist.
    expect(watches.mock.calls.every(([path]) => /resourceVersion=\d+/.test(String(path)))).toBe(true);
    east.api.create(K.namespaces, undefined, { metadata: { name: 'after-silence' } });
    await waitFor(() => reflector.cache.items.has('after-silence'), 'the change through a restarted watch');
  });

  it('stop() during the first list starts no watch afterwards', async () => {
    const { reflector, lists, watches } = start('pods');
    reflector.stop();
    await waitFor(() => lists.mock.results.length > 0 && lists.mock.settledResults.every((r) => r.type !== 'incomplete'), 'the list to finish');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(watches).not.toHaveBeenCalled();
  });

  it('backs off when the server ends every watch at once, instead of reconnecting in a tight loop', async () => {
    // /version answers a "list" and a "watch" alike with one JSON document and ends: a stand-in for a proxy
    // or an aggregated API that closes watch streams immediately.
    const config = new KubeConfig();
    config.loadFromString(t.sim.kubeconfig());
    config.setCurrentContext('east');
    const transport = new ClusterTransport(config);
    const lists = vi.spyOn(transport, 'requestList');
    const watches = vi.spyOn(transport, 'stream');
    const reflector = new Reflector(transport, { id: 'odd', path: '/version' }, { silenceMs: 60_000, pageSize: 500, watchTimeoutSeconds: 300, now: Date.now, onChange: () => {}, project: (o) => o });
    running.push(reflector);
    reflector.start();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    reflector.stop();
    expect(watches.mock.calls.length).toBeGreaterThan(0);
    expect(lists.mock.calls.length + watches.mock.calls.length).toBeLessThan(16);
    expect(reflector.status).toMatchObject({ state: 'failing', error: 'the API server ended the watch at once without sending anything' });
  });

  it('a kind the credentials may not read is forbidden, not failing, and holds nothing', async () => {
    // Kubernetes' own `view` role does not include secrets.
    east.addUser('viewer-token', { username: 'viewer', groups: ['system:authenticated'] });
    if (!east.store.get(K.clusterRoleBindings, undefined, 'viewer')) {
      east.api.create(K.clusterRoleBindings, undefined, { metadata: { name: 'viewer' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }] });
    }
    const config = new KubeConfig();
    config.loadFromString(t.sim.kubeconfig().replace(east.adminToken, 'viewer-token'));
    config.setCurrentContext('east');
    const transport = new ClusterTransport(config);
    const requests = vi.spyOn(transport, 'requestList');
    const secrets = new Reflector(transport, kind('remoteSecrets'), { silenceMs: 60_000, pageSize: 500, watchTimeoutSeconds: 300, now: Date.now, onChange: () => {}, project: projectFor('remoteSecrets') });
    const pods = new Reflector(transport, kind('pods'), { silenceMs: 60_000, pageSize: 500, watchTimeoutSeconds: 300, now: Date.now, onChange: () => {}, project: projectFor('pods') });
    running.push(secrets, pods);
    secrets.start();
    pods.start();
    await waitFor(() => secrets.status.state === 'forbidden' && pods.status.state === 'synced', 'secrets forbidden, pods synced');
    expect(secrets.status.error).toMatch(/^forbidden: secrets is forbidden: User "viewer" cannot list resource "secrets"/);
    expect(secrets.cache.items.size).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Not retried in a backoff loop: once, then again only after a long pause.
    expect(requests.mock.calls.filter(([path]) => String(path).includes('/secrets')).length).toBe(1);
  });

  it('an optional kind that the server does not serve is absent, not failing', async () => {
    const config = new KubeConfig();
    config.loadFromString(t.sim.kubeconfig());
    config.setCurrentContext('east');
    const reflector = new Reflector(new ClusterTransport(config), { id: 'wasm', path: '/apis/extensions.istio.io/v1alpha1/wasmplugins', optional: true }, { silenceMs: 60_000, pageSize: 500, watchTimeoutSeconds: 300, now: Date.now, onChange: () => {}, project: (o) => o });
    running.push(reflector);
    reflector.start();
    await waitFor(() => reflector.status.state === 'absent', 'absent');
    expect(reflector.cache.items.size).toBe(0);
  });

  it('stop() ends its watch', async () => {
    const { reflector, watches } = start('namespaces');
    await waitFor(() => reflector.status.state === 'synced' && watches.mock.calls.length > 0, 'a running watch');
    reflector.stop();
    const calls = watches.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(watches.mock.calls.length).toBe(calls);
    east.api.create(K.namespaces, undefined, { metadata: { name: 'after-stop' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reflector.cache.items.has('after-stop')).toBe(false);
  });
});
