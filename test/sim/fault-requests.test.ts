import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, waitFor, type TestSim } from '../helpers/sim.js';
import { apiRequest, apiStream } from '../helpers/sim-http.js';
import { kubectl } from '../helpers/kubectl.js';
import { K } from '../../source/sim/controllers/kinds.js';

/** The fault endpoint, as a test or a user with curl calls it. */
async function admin(t: TestSim, method: string, path: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${t.sim.adminAddress()}${path}`, { method });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

interface Counts {
  name: string;
  total: number;
  injected: number;
  held: number;
  byRoute: Record<string, number>;
}
const countsOf = async (t: TestSim, cluster: string): Promise<Counts> => ((await admin(t, 'GET', `/requests?cluster=${cluster}`)).json['clusters'] as Counts[])[0]!;

describe('fault injection: request counts and silent watches', () => {
  let t: TestSim;

  beforeAll(async () => {
    t = await startTestSim({ clusters: 2, podsPerCluster: 4, podStartDelayMs: 0, adminPort: 0 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('counts every request a cluster was asked, by route, with the ones answered by an injected error', async () => {
    await admin(t, 'DELETE', '/requests');
    expect(await countsOf(t, 'east')).toEqual({ name: 'east', total: 0, injected: 0, held: 0, byRoute: {} });
    t.sim.faults.setErrors({ status: 500, share: 0.5 }, 'east');
    try {
      for (let i = 0; i < 4; i++) await apiRequest(t.sim, 'east', '/api/v1/namespaces');
      await apiRequest(t.sim, 'east', '/version');
    } finally {
      t.sim.faults.clearErrors();
    }
    const watch = apiStream(t.sim, 'east', '/api/v1/namespaces?watch=true');
    await watch.response;
    watch.close();
    expect(await countsOf(t, 'east')).toEqual({
      name: 'east',
      total: 6,
      injected: 2,
      held: 0,
      byRoute: { 'GET /api/v1/namespaces': 4, 'GET /api/v1/namespaces (watch)': 1, 'GET /version': 1 },
    });
    // Per cluster: west was not asked anything.
    expect((await countsOf(t, 'west')).total).toBe(0);
    const reset = await admin(t, 'DELETE', '/requests?cluster=east');
    expect((reset.json['clusters'] as Counts[])[0]!.total).toBe(0);
    expect((await admin(t, 'GET', '/requests?cluster=north')).status).toBe(404);
  });

  it('counts per client program when asked (the User-Agent product), so kubectl checking a cluster does not blur a test', async () => {
    await admin(t, 'DELETE', '/requests?cluster=west');
    expect((await kubectl(t.kubeconfigPath, ['--context', 'west', 'get', 'ns', 'default'])).code).toBe(0);
    await apiRequest(t.sim, 'west', '/version');
    const kubectlOnly = (await admin(t, 'GET', '/requests?cluster=west&agent=kubectl')).json['clusters'] as Counts[];
    expect(kubectlOnly[0]!.byRoute['GET /api/v1/namespaces/default']).toBe(1);
    expect(kubectlOnly[0]!.byRoute['GET /version']).toBeUndefined();
    // A request without a User-Agent counts as "unknown"; without `agent`, every client counts.
    expect(((await admin(t, 'GET', '/requests?cluster=west&agent=unknown')).json['clusters'] as Counts[])[0]!.byRoute).toEqual({ 'GET /version': 1 });
    expect((await countsOf(t, 'west')).total).toBeGreaterThan(kubectlOnly[0]!.total);
    expect(((await admin(t, 'GET', '/requests?cluster=west&agent=meshdeck')).json['clusters'] as Counts[])[0]!.total).toBe(0);
  });

  it('holds new watch requests without any answer while watches hang, and serves them once released', async () => {
    const before = apiStream(t.sim, 'east', '/api/v1/namespaces?watch=true&allowWatchBookmarks=true');
    await before.response;
    const hang = await admin(t, 'POST', '/watches/hang?cluster=east&close=true');
    expect(hang.json).toEqual({ hanging: 'east', closed: 1 });
    expect(await before.ended).toEqual({});

    const rv = JSON.parse((await apiRequest(t.sim, 'east', '/api/v1/namespaces')).body).metadata.resourceVersion as string;
    const silent = apiStream(t.sim, 'east', `/api/v1/namespaces?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`);
    let answered = false;
    silent.response.then(() => (answered = true), () => {});
    // Lists and the other cluster still work; the watch gets nothing, not even its response headers.
    t.sim.cluster('east').api.create(K.namespaces, undefined, { metadata: { name: 'made-while-silent' } });
    expect((await apiRequest(t.sim, 'east', '/api/v1/namespaces/made-while-silent')).status).toBe(200);
    const westWatch = apiStream(t.sim, 'west', '/api/v1/namespaces?watch=true');
    await westWatch.response;
    westWatch.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    expect(silent.text()).toBe('');
    expect((await countsOf(t, 'east')).held).toBe(1);

    // A client that gives up is no longer held.
    const abandoned = apiStream(t.sim, 'east', `/api/v1/namespaces?watch=true&resourceVersion=${rv}`);
    await waitFor(async () => (await countsOf(t, 'east')).held === 2, 'two held watches');
    abandoned.close();
    await waitFor(async () => (await countsOf(t, 'east')).held === 1, 'the abandoned watch let go');

    const released = await admin(t, 'DELETE', '/watches/hang?cluster=east');
    expect(released.json).toEqual({ hanging: null, cluster: 'east', released: 1 });
    await silent.response;
    const added = await waitFor(() => silent.text().includes('made-while-silent') && silent.text(), 'the held watch served from its version');
    expect(added).toContain('"type":"ADDED"');
    silent.close();
    // Watches are answered at once again.
    const after = apiStream(t.sim, 'east', '/api/v1/namespaces?watch=true');
    await after.response;
    after.close();
  });

  it('reset releases held watches', async () => {
    t.sim.faults.hangWatches('west');
    const held = apiStream(t.sim, 'west', '/api/v1/namespaces?watch=true');
    await waitFor(async () => (await countsOf(t, 'west')).held === 1, 'a held watch');
    expect((await admin(t, 'POST', '/reset')).status).toBe(200);
    await held.response;
    held.close();
    expect((await countsOf(t, 'west')).held).toBe(0);
  });
});
