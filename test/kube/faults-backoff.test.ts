import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MeshSession } from '../../source/kube/mesh-session.js';
import { loadKubeconfig } from '../../source/kube/kubeconfig.js';
import { statusError, retryAfterMs } from '../../source/kube/errors.js';
import type { ClusterSnapshot } from '../../source/kube/cluster-session.js';
import { deriveClusterRow } from '../../source/mesh/clusters.js';
import type { SimCluster } from '../../source/sim/cluster/sim-cluster.js';
import { K } from '../../source/sim/controllers/kinds.js';
import { startTestSim, waitFor, type TestSim } from '../helpers/sim.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('statusError: what the API server said, in one line, with when to come back', () => {
  it.each([
    ['Retry-After in seconds', 429, '{"kind":"Status","reason":"TooManyRequests","message":"Too many requests","details":{"retryAfterSeconds":1}}', '7', 7_000],
    ['retryAfterSeconds in the Status when there is no header', 429, '{"kind":"Status","reason":"TooManyRequests","message":"Too many requests","details":{"retryAfterSeconds":3}}', undefined, 3_000],
    ['an HTTP date', 503, '{}', new Date(Date.now() + 10_000).toUTCString(), 10_000],
    ['nothing', 500, '{"message":"boom"}', undefined, 0],
    ['a silly header', 503, 'not json', 'soon', 0],
    ['a huge value is capped at two minutes', 429, '{}', '86400', 120_000],
  ])('%s', (_name, status, body, header, wantMs) => {
    const waited = retryAfterMs(statusError(status, body, header));
    expect(Math.abs(waited - wantMs)).toBeLessThanOrEqual(1_000);
  });

  it('a body of several lines (an HTML error page from a proxy, a long Status) becomes one line', () => {
    const html = statusError(502, '<html>\r\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>');
    expect(html.message).toBe('HTTP 502: <html>\r');
    expect(statusError(502, '<html>\n<head>').message).toBe('HTTP 502: <html>');
    const status = statusError(500, JSON.stringify({ reason: 'InternalError', message: 'first line\nsecond line\nthird' }));
    expect(status.message).toBe('HTTP 500 InternalError: first line');
    expect(statusError(500, 'null').message).toBe('HTTP 500: null');
  });
});

/**
 * The client side of the simulator's faults, in process (the cockpit's view of the same faults, with
 * kubectl as the referee, is test/e2e/faults.test.ts): requests counted by the simulator per route.
 */
describe('MeshSession under injected faults: backs off, keeps its view correct', () => {
  let t: TestSim;
  let east: SimCluster;
  let session: MeshSession | undefined;

  beforeAll(async () => {
    t = await startTestSim({ clusters: 1, podsPerCluster: 12, podStartDelayMs: 0 });
    east = t.sim.cluster('east');
  });
  afterAll(async () => {
    await t?.stop();
  });
  afterEach(async () => {
    session?.stop();
    session = undefined;
    await t.sim.faults.reset();
  });

  async function open(silenceMs = 60_000): Promise<MeshSession> {
    session = new MeshSession(loadKubeconfig([t.kubeconfigPath]).contexts, { frameMs: 20, silenceMs });
    session.start();
    await waitFor(() => session!.snapshot()[0]!.state === 'synced', 'east synced');
    expect(await session.waitUntilSettled(10_000)).toBe(true);
    // Watches younger than a second that end without an event count as failed ("ended at once"); let them age.
    await sleep(1_200);
    return session;
  }
  const snap = (): ClusterSnapshot => session!.snapshot()[0]!;
  /** The cache holds exactly the simulator's pods and deployments (with their replicas). */
  const inStep = () => {
    const s = snap();
    const pods = east.store.list(K.pods).map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();
    const deployments = east.store.list(K.deployments).map((d) => `${d.metadata.namespace}/${d.metadata.name}=${(d['spec'] as { replicas?: number }).replicas}`).sort();
    const cachedDeployments = [...s.kinds.deployments.items.values()].map((d) => `${d.metadata.namespace}/${d.metadata.name}=${(d['spec'] as { replicas?: number } | undefined)?.replicas}`).sort();
    return JSON.stringify([...s.kinds.pods.items.keys()].sort()) === JSON.stringify(pods) && JSON.stringify(cachedDeployments) === JSON.stringify(deployments);
  };
  const scale = (name: string, namespace: string, replicas: number) => east.api.patch(K.deployments, namespace, name, 'application/merge-patch+json', JSON.stringify({ spec: { replicas } }));
  const counts = () => t.sim.faults.requestCounts('east')[0]!;
  const watchRoutes = (byRoute: Record<string, number>) => Object.entries(byRoute).filter(([route]) => route.endsWith('(watch)'));
  const listRoutes = (byRoute: Record<string, number>) => Object.entries(byRoute).filter(([route]) => !route.endsWith('(watch)') && !route.startsWith('GET /version') && !route.includes('/proxy/'));

  it('429 with Retry-After: no route is asked again before the server said, and it recovers once the server answers', async () => {
    await open();
    t.sim.faults.resetRequestCounts();
    t.sim.faults.setErrors({ status: 429, share: 1, retryAfterSeconds: 3 }, 'east');
    t.sim.faults.closeWatches('east');
    const throttled = await waitFor(() => snap().state === 'stale' && snap(), 'east stale');
    expect(throttled.error).toMatch(/^HTTP 429 TooManyRequests: /);
    expect(deriveClusterRow(throttled, Date.now()).problem).toMatch(/^HTTP 429 TooManyRequests: .*, retry in [23]s, data \d+s old$/);
    await sleep(7_000);
    const during = counts();
    t.sim.faults.clearErrors();
    // Asked at about 0 s, 3 s and 6 s: three times per route at most (without Retry-After, backoff alone made 5).
    for (const [route, n] of Object.entries(during.byRoute)) expect(n, route).toBeLessThanOrEqual(3);
    expect(watchRoutes(during.byRoute).length).toBeGreaterThanOrEqual(8);
    scale('cart', 'payments', 5);
    await waitFor(() => snap().state === 'synced' && inStep(), 'east synced and in step again', 10_000);
  });

  it('500 without Retry-After: retries back off exponentially instead of hammering', async () => {
    await open();
    t.sim.faults.resetRequestCounts();
    t.sim.faults.setErrors({ status: 500, share: 1 }, 'east');
    t.sim.faults.closeWatches('east');
    await sleep(8_000);
    const during = counts();
    t.sim.faults.clearErrors();
    const routes = Object.keys(during.byRoute).length;
    // Jittered exponential backoff from 0.5 s: at most 6 tries per route in 8 s (a client without one makes thousands).
    for (const [route, n] of Object.entries(during.byRoute)) expect(n, route).toBeLessThanOrEqual(6);
    expect(during.total).toBeLessThanOrEqual(routes * 6);
    expect(during.injected).toBe(during.total);
    scale('cart', 'payments', 2);
    // Once one request gets through, the others stop waiting out their backoff.
    const started = Date.now();
    await waitFor(() => snap().state === 'synced' && inStep(), 'east synced and in step again', 20_000);
    expect(Date.now() - started).toBeLessThan(16_000);
  });

  it('a watch the server never answers (black-holed): the cluster shows stale with the reason, and catches up once watches are answered', async () => {
    await open(1_500);
    t.sim.faults.hangWatches('east', { closeStreams: true });
    scale('catalog', 'shop', 4);
    east.api.create(K.namespaces, undefined, { metadata: { name: 'made-while-silent' } });
    const silent = await waitFor(() => snap().state === 'stale' && snap(), 'east stale', 10_000);
    expect(silent.error).toBe('the API server did not answer a watch within 2 s');
    expect(deriveClusterRow(silent, Date.now()).problem).toMatch(/^the API server did not answer a watch within 2 s, retry in \ds, data \d+s old$/);
    expect(silent.kinds.namespaces.items.has('made-while-silent')).toBe(false);
    t.sim.faults.releaseWatches('east');
    await waitFor(() => snap().state === 'synced' && inStep() && snap().kinds.namespaces.items.has('made-while-silent'), 'east in step again', 20_000);
    east.api.delete(K.namespaces, undefined, 'made-while-silent');
  });

  it('watches the server ends again and again are resumed from their version, never relisted', async () => {
    await open();
    t.sim.faults.resetRequestCounts();
    for (let i = 0; i < 5; i++) {
      scale('frontend', 'shop', 1 + (i % 3));
      await sleep(1_200);
      t.sim.faults.closeWatches('east');
    }
    await waitFor(() => snap().state === 'synced' && inStep(), 'east in step', 10_000);
    const after = counts();
    expect(listRoutes(after.byRoute)).toEqual([]);
    for (const [route, n] of watchRoutes(after.byRoute)) expect(n, route).toBeGreaterThanOrEqual(3);
  });

  it('410 Expired on resume: each kind relists once, and the view is exactly the cluster again', async () => {
    await open();
    t.sim.faults.hangWatches('east', { closeStreams: true });
    scale('payments', 'payments', 3);
    const doomed = east.store.list(K.deployments, 'platform')[0]!.metadata.name!;
    east.api.delete(K.deployments, 'platform', doomed, { propagationPolicy: 'Background' });
    t.sim.faults.resetRequestCounts();
    t.sim.faults.expireWatches('east');
    // The held watches are answered now, from versions that were compacted away.
    t.sim.faults.releaseWatches('east');
    await waitFor(() => snap().state === 'synced' && inStep(), 'east in step after relisting', 15_000);
    await sleep(1_000);
    const after = counts();
    const lists = listRoutes(after.byRoute);
    expect(lists.length).toBeGreaterThanOrEqual(8);
    for (const [route, n] of lists) expect(n, route).toBe(1);
    expect(snap().kinds.deployments.items.has(`platform/${doomed}`)).toBe(false);
  });
});
