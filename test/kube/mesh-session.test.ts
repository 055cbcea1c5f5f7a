import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MeshSession } from '../../source/kube/mesh-session.js';
import { loadKubeconfig } from '../../source/kube/kubeconfig.js';
import type { ClusterSnapshot } from '../../source/kube/cluster-session.js';
import { deriveClusterRow } from '../../source/mesh/clusters.js';
import { DerivationCache, deriveMeshModel } from '../../source/mesh/model.js';
import type { SimCluster } from '../../source/sim/cluster/sim-cluster.js';
import { K } from '../../source/sim/controllers/kinds.js';
import { startTestSim, waitFor, type TestSim } from '../helpers/sim.js';

const byName = (snapshots: ClusterSnapshot[], name: string) => snapshots.find((s) => s.name === name)!;

describe('MeshSession against two simulated clusters', () => {
  let t: TestSim;
  let east: SimCluster;
  let west: SimCluster;
  let session: MeshSession | undefined;

  beforeAll(async () => {
    t = await startTestSim({ clusters: 2, podsPerCluster: 30 });
    east = t.sim.cluster('east');
    west = t.sim.cluster('west');
  });
  afterAll(async () => {
    await t?.stop();
  });
  afterEach(async () => {
    session?.stop();
    session = undefined;
    for (const cluster of [east, west]) if (!cluster.isUp) await cluster.listen();
  });

  function open(options: { frameMs?: number } = {}) {
    session = new MeshSession(loadKubeconfig([t.kubeconfigPath]).contexts, { frameMs: options.frameMs ?? 20 });
    const notifications = { count: 0 };
    session.subscribe(() => notifications.count++);
    session.start();
    return { session, notifications };
  }
  const podKeys = (cluster: SimCluster) => east.store.list(K.pods) && new Set(cluster.store.list(K.pods).map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
  const sameKeys = (a: Set<string>, b: Iterable<string>) => {
    const other = new Set(b);
    return a.size === other.size && [...a].every((key) => other.has(key));
  };

  it('syncs every cluster to what the simulator holds, each on its own connection', async () => {
    const { session } = open();
    await waitFor(() => session.snapshot().every((s) => s.state === 'synced' && s.kubernetesVersion), 'both clusters synced');
    await waitFor(() => sameKeys(podKeys(east), byName(session.snapshot(), 'east').kinds.pods.items.keys()) && sameKeys(podKeys(west), byName(session.snapshot(), 'west').kinds.pods.items.keys()), 'the pods of both clusters');
    const [e, w] = [byName(session.snapshot(), 'east'), byName(session.snapshot(), 'west')];
    expect(e.server).toBe(east.address());
    expect(w.server).toBe(west.address());
    expect(e.kubernetesVersion).toBe('v1.32.4');
    expect(e.kinds.namespaces.items.has('shop')).toBe(true);
    // The same workloads run in both clusters and sit side by side in the model.
    const model = deriveMeshModel(session.snapshot(), Date.now(), new DerivationCache());
    const cart = model.workloads.findIndex((row) => row.namespace === 'payments' && row.name === 'cart');
    expect(model.workloads.slice(cart, cart + 2).map((row) => row.cluster)).toEqual(['east', 'west']);
    expect(model.summary).toMatchObject({ clustersUp: 2, clustersTotal: 2 });
  });

  it('a cluster that goes down shows stale with a reason and the next retry, the other keeps updating, and it recovers by itself', async () => {
    const { session } = open();
    await waitFor(() => session.snapshot().every((s) => s.state === 'synced'), 'both clusters synced');

    await west.stopServing();
    // (Its open watches, ended by the server, first count as short watches; then connecting fails.)
    const down = await waitFor(() => {
      const s = byName(session.snapshot(), 'west');
      return s.state === 'stale' && /^connection (refused|reset)$/.test(s.error ?? '') && s.retryAt && s;
    }, 'west to show as stale, unreachable');
    expect(down.lastEventAt).toBeGreaterThan(0);
    expect(down.kinds.pods.items.size).toBeGreaterThan(0);
    const row = deriveClusterRow(down, Date.now());
    expect(row.problem).toMatch(/^connection (refused|reset), retry in \d+s, data \d+s old$/);

    // east keeps following changes while west is away.
    east.api.patch(K.deployments, 'payments', 'cart', 'application/merge-patch+json', JSON.stringify({ spec: { replicas: 6 } }));
    await waitFor(() => [...byName(session.snapshot(), 'east').kinds.pods.items.keys()].filter((key) => key.startsWith('payments/cart-')).length === 6, 'east to show the scaled deployment');
    expect(byName(session.snapshot(), 'east').state).toBe('synced');

    await west.listen();
    await waitFor(() => byName(session.snapshot(), 'west').state === 'synced', 'west to recover without any change', 8_000);
    expect(byName(session.snapshot(), 'west').error).toBeUndefined();
    east.api.patch(K.deployments, 'payments', 'cart', 'application/merge-patch+json', JSON.stringify({ spec: { replicas: 4 } }));
  });

  it('a cluster that is down from the start shows down with a reason, and is synced as soon as it answers again', async () => {
    await west.stopServing();
    const { session } = open();
    await waitFor(() => byName(session.snapshot(), 'east').state === 'synced', 'east synced');
    const down = await waitFor(() => {
      const s = byName(session.snapshot(), 'west');
      return s.state === 'down' && s.error && s;
    }, 'west down');
    expect(down.error).toBe('connection refused');
    expect(deriveClusterRow(down, Date.now()).role).toBe('unknown');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await west.listen();
    // Once the pods are listed again the API is evidently answering: the cluster is up, whatever the
    // version request's own retry schedule says.
    await waitFor(() => byName(session.snapshot(), 'west').kinds.pods.items.size > 0, 'west’s pods listed', 10_000);
    // Every kind relists on its own retry; on a loaded machine the last one can trail the pods by a moment.
    await waitFor(() => byName(session.snapshot(), 'west').state === 'synced', 'west synced', 10_000);
  });

  it('turns 10,000 changes into a bounded number of notifications (one per frame at most)', async () => {
    const frameMs = 100;
    const { session, notifications } = open({ frameMs });
    await waitFor(() => session.snapshot().every((s) => s.state === 'synced'), 'both clusters synced');
    if (!east.store.get(K.namespaces, undefined, 'istio-system')) east.api.create(K.namespaces, undefined, { metadata: { name: 'istio-system' } });
    await new Promise((resolve) => setTimeout(resolve, 2 * frameMs));
    const before = notifications.count;
    const started = Date.now();
    for (let i = 0; i < 10_000; i++) east.api.create(K.configMaps, 'istio-system', { metadata: { name: `burst-${i}` }, data: { i: String(i) } });
    await waitFor(() => [...byName(session.snapshot(), 'east').kinds.istioConfigMaps.items.keys()].filter((key) => key.startsWith('istio-system/burst-')).length === 10_000, 'all 10,000 ConfigMaps in the cache', 20_000);
    await new Promise((resolve) => setTimeout(resolve, 2 * frameMs));
    const elapsed = Date.now() - started;
    const heard = notifications.count - before;
    expect(heard).toBeGreaterThan(0);
    expect(heard).toBeLessThanOrEqual(Math.ceil(elapsed / frameMs) + 1);
    expect(heard).toBeLessThan(100);
    expect(session.getRevision()).toBeGreaterThanOrEqual(heard);
    for (let i = 0; i < 10_000; i++) east.api.delete(K.configMaps, 'istio-system', `burst-${i}`);
  });

  it('a user who may not read secrets (the view role) sees the cluster up, with a note of what is hidden', async () => {
    east.addUser('viewer-token', { username: 'viewer', groups: ['system:authenticated'] });
    east.api.create(K.clusterRoleBindings, undefined, { metadata: { name: 'viewer-session' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }] });
    const path = join(t.dir, 'viewer-kubeconfig.yaml');
    writeFileSync(path, t.sim.kubeconfig().replace(east.adminToken, 'viewer-token'), { mode: 0o600 });
    session = new MeshSession(loadKubeconfig([path]).contexts.filter((c) => c.name === 'east'), { frameMs: 20 });
    session.start();
    const snapshot = await waitFor(() => {
      const s = byName(session!.snapshot(), 'east');
      return s.state === 'synced' && s.forbidden && s;
    }, 'east synced with its forbidden kinds');
    expect(snapshot.forbidden).toContain('secrets in istio-system');
    expect(snapshot.error).toBeUndefined();
    expect(snapshot.kinds.pods.items.size).toBeGreaterThan(0);
    const row = deriveClusterRow(snapshot, Date.now());
    expect(row.state).toBe('synced');
    expect(row.problem).toMatch(/^may not read (.*, )?secrets in istio-system/);
  });

  it('never keeps a secret’s values: remote secrets are cached as the names of their keys', async () => {
    if (!west.store.get(K.namespaces, undefined, 'istio-system')) west.api.create(K.namespaces, undefined, { metadata: { name: 'istio-system' } });
    const kubeconfig = `apiVersion: v1\nkind: Config\nclusters:\n- name: east\n  cluster:\n    server: ${east.address()}\n    certificate-authority-data: ${Buffer.from('not-really-a-ca').toString('base64')}\ncontexts:\n- name: east\n  context: {cluster: east, user: east}\ncurrent-context: east\nusers:\n- name: east\n  user:\n    token: TOP-SECRET-BEARER-TOKEN\n`;
    west.api.create(K.secrets, 'istio-system', {
      metadata: { name: 'istio-remote-secret-east', labels: { 'istio/multiCluster': 'true' }, annotations: { 'networking.istio.io/cluster': 'east' } },
      type: 'Opaque',
      data: { east: Buffer.from(kubeconfig).toString('base64') },
    });
    const { session } = open();
    const secret = await waitFor(() => byName(session.snapshot(), 'west').kinds.remoteSecrets.items.get('istio-system/istio-remote-secret-east'), 'the remote secret in the cache');
    expect(secret['data']).toBeUndefined();
    expect(secret['stringData']).toBeUndefined();
    expect(secret['dataKeys']).toEqual(['east']);
    const everything = JSON.stringify(session.snapshot().map((s) => Object.fromEntries(Object.entries(s.kinds).map(([kind, cache]) => [kind, [...cache!.items.values()]]))));
    expect(everything).toContain('istio-remote-secret-east');
    expect(everything).not.toContain('TOP-SECRET-BEARER-TOKEN');
    expect(everything).not.toContain(Buffer.from(kubeconfig).toString('base64').slice(0, 40));
    expect(deriveClusterRow(byName(session.snapshot(), 'west'), Date.now()).remoteSecrets).toEqual([{ clusterId: 'east', secret: 'istio-remote-secret-east', status: 'no istiod' }]);
  });
});

describe('MeshSession on the healthy Istio scenario', () => {
  let t: TestSim;
  let session: MeshSession | undefined;
  beforeAll(async () => {
    t = await startTestSim({ scenario: 'healthy', podsPerCluster: 10 });
  });
  afterAll(async () => {
    session?.stop();
    await t?.stop();
  });

  it('derives roles, identity, a shared root and istiod’s remote-secret sync status from what the clusters hold', async () => {
    session = new MeshSession(loadKubeconfig([t.kubeconfigPath]).contexts, { frameMs: 20 });
    session.start();
    const rows = await waitFor(() => {
      const snapshots = session!.snapshot();
      if (!snapshots.every((s) => s.state === 'synced' && s.rootCertificate)) return undefined;
      const east = byName(snapshots, 'east');
      if (!east.istiodClusters) return undefined;
      return snapshots.map((s) => deriveClusterRow(s, Date.now()));
    }, 'both clusters synced and istiod asked', 15_000);
    const [east, west] = rows;
    expect(east).toMatchObject({ role: 'primary', network: 'network1' });
    expect(west).toMatchObject({ role: 'remote', network: 'network2', controlPlanes: ['east'] });
    expect(east!.remoteSecrets).toEqual([expect.objectContaining({ clusterId: 'west', status: 'synced' })]);
    expect(east!.rootFingerprint).toBeDefined();
    expect(west!.rootFingerprint).toBe(east!.rootFingerprint);
  });
});
