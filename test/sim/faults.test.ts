import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, waitFor, type TestSim } from '../helpers/sim.js';
import { kubectl, kubectlStream } from '../helpers/kubectl.js';
import { apiRequest, apiStream } from '../helpers/sim-http.js';
import { K } from '../../source/sim/controllers/kinds.js';
import type { JsonObject } from '../../source/sim/objects.js';

interface WatchEvent {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string }; code?: number; reason?: string };
}

const events = (text: string): WatchEvent[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as WatchEvent);

/** Calls the fault-injection endpoint as a user would with curl. */
async function admin(t: TestSim, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${t.sim.adminAddress()}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('fault injection', () => {
  let t: TestSim;
  const k = (...args: string[]) => kubectl(t.kubeconfigPath, args);

  beforeAll(async () => {
    t = await startTestSim({ clusters: 2, podsPerCluster: 6, podStartDelayMs: 0, proxyLogLinesPerSecond: 20, adminPort: 0 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('serves the admin endpoint on loopback, with the state of every cluster', async () => {
    expect(t.sim.adminAddress()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const state = await admin(t, 'GET', '/');
    expect(state.status).toBe(200);
    expect(state.json['clusters']).toEqual([
      { name: 'east', up: true, address: t.sim.cluster('east').address(), latencyMs: 0, pendingLogCuts: 0 },
      { name: 'west', up: true, address: t.sim.cluster('west').address(), latencyMs: 0, pendingLogCuts: 0 },
    ]);
    expect((await admin(t, 'POST', '/clusters/north/down')).status).toBe(404);
    expect((await admin(t, 'POST', '/errors', { status: 418, share: 0.5 })).status).toBe(400);
    expect((await admin(t, 'POST', '/nothing')).status).toBe(404);
  });

  it('takes an API server down (connection refused) and back up on the same port with the same data', async () => {
    expect((await k('--context', 'east', 'create', 'configmap', 'survivor', '-n', 'default', '--from-literal=key=value')).code).toBe(0);
    const address = t.sim.cluster('east').address();
    const down = await admin(t, 'POST', '/clusters/east/down');
    expect(down).toEqual({ status: 200, json: { cluster: 'east', up: false } });

    await expect(apiRequest(t.sim, 'east', '/version')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const refused = await k('--context', 'east', 'get', 'configmap', 'survivor', '-n', 'default', '--request-timeout=5s');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('connection refused');
    // The other cluster does not notice.
    expect((await k('--context', 'west', 'get', 'ns', 'default')).code).toBe(0);

    const up = await admin(t, 'POST', '/clusters/east/up');
    expect(up.json).toEqual({ cluster: 'east', up: true, address });
    const back = await k('--context', 'east', 'get', 'configmap', 'survivor', '-n', 'default', '-o', 'jsonpath={.data.key}');
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toBe('value');
  });

  it('adds latency to one cluster or to all', async () => {
    const baseline = await apiRequest(t.sim, 'east', '/version');
    expect(baseline.elapsedMs).toBeLessThan(250);
    t.sim.faults.setLatency(300, 'east');
    try {
      const slow = await apiRequest(t.sim, 'east', '/api/v1/namespaces');
      expect(slow.status).toBe(200);
      expect(slow.elapsedMs).toBeGreaterThanOrEqual(300);
      expect((await apiRequest(t.sim, 'west', '/version')).elapsedMs).toBeLessThan(250);
      expect((await admin(t, 'POST', '/latency?ms=200')).json).toEqual({ latencyMs: 200, cluster: 'all' });
      expect((await apiRequest(t.sim, 'west', '/version')).elapsedMs).toBeGreaterThanOrEqual(200);
    } finally {
      t.sim.faults.setLatency(0);
    }
    expect((await apiRequest(t.sim, 'west', '/version')).elapsedMs).toBeLessThan(250);
  });

  it('answers a counted share of requests with 500', async () => {
    t.sim.faults.setErrors({ status: 500, share: 0.5 }, 'east');
    try {
      const results = [];
      for (let i = 0; i < 10; i++) results.push(await apiRequest(t.sim, 'east', '/api/v1/namespaces/default'));
      expect(results.map((r) => r.status)).toEqual([200, 500, 200, 500, 200, 500, 200, 500, 200, 500]);
      expect(JSON.parse(results[1]!.body)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'InternalError', code: 500 });
      expect((await apiRequest(t.sim, 'west', '/api/v1/namespaces/default')).status).toBe(200);
      const state = await admin(t, 'GET', '/');
      expect((state.json['clusters'] as JsonObject[])[0]!['errors']).toMatchObject({ status: 500, share: 0.5, matched: 10, failed: 5 });
    } finally {
      t.sim.faults.clearErrors();
    }
  });

  it('makes kubectl fail on 500s', async () => {
    t.sim.faults.setErrors({ status: 500, share: 1, pathPrefix: '/api/v1/namespaces/default/configmaps' }, 'east');
    try {
      const failed = await k('--context', 'east', 'get', 'configmaps', '-n', 'default');
      expect(failed.code).not.toBe(0);
      expect(failed.stderr).toContain('Internal error occurred: injected fault (meshdeck sim)');
      // Requests outside the prefix still work.
      expect((await k('--context', 'east', 'get', 'ns', 'default')).code).toBe(0);
    } finally {
      t.sim.faults.clearErrors('east');
    }
    expect((await k('--context', 'east', 'get', 'configmaps', '-n', 'default')).code).toBe(0);
  });

  it('answers a seeded share with 429 and Retry-After, the same way for the same seed', async () => {
    const run = async () => {
      t.sim.faults.setErrors({ status: 429, share: 0.3, seed: 42, retryAfterSeconds: 2 }, 'west');
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const result = await apiRequest(t.sim, 'west', '/version');
        statuses.push(result.status);
        if (result.status === 429) {
          expect(result.headers['retry-after']).toBe('2');
          expect(JSON.parse(result.body)).toMatchObject({ reason: 'TooManyRequests', code: 429, details: { retryAfterSeconds: 2 } });
        }
      }
      return statuses;
    };
    try {
      const first = await run();
      const second = await run();
      expect(second).toEqual(first);
      const throttled = first.filter((s) => s === 429).length;
      expect(throttled).toBeGreaterThanOrEqual(5);
      expect(throttled).toBeLessThanOrEqual(20);
      expect(first.filter((s) => s !== 429).every((s) => s === 200)).toBe(true);
    } finally {
      t.sim.faults.clearErrors();
    }
  });

  it('closes every open watch stream', async () => {
    const watch = apiStream(t.sim, 'east', '/api/v1/namespaces?watch=true');
    await watch.response;
    await waitFor(() => events(watch.text()).length > 0, 'initial ADDED events');
    const kubectlWatch = kubectlStream(t.kubeconfigPath, ['--context', 'east', 'get', 'configmaps', '-n', 'default', '-w']);
    try {
      await waitFor(() => kubectlWatch.output().includes('survivor'), 'kubectl watching');
      const closed = await admin(t, 'POST', '/watches/close', { cluster: 'east' });
      expect(closed.json['closed']).toBeGreaterThanOrEqual(2);
      expect(await watch.ended).toEqual({});
      const exit = await new Promise<number | null>((resolve) => kubectlWatch.child.on('exit', (code) => resolve(code)));
      expect(exit).toBe(0);
    } finally {
      kubectlWatch.stop();
    }
  });

  it('expires watch versions: resuming gets 410, a fresh list can be watched again', async () => {
    const list = JSON.parse((await apiRequest(t.sim, 'east', '/api/v1/namespaces/default/configmaps')).body) as { metadata: { resourceVersion: string } };
    const before = list.metadata.resourceVersion;
    // Without a fault, resuming works.
    const resumed = apiStream(t.sim, 'east', `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${before}`);
    await resumed.response;
    resumed.close();

    const live = apiStream(t.sim, 'east', `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${before}`);
    await live.response;
    const expired = await admin(t, 'POST', '/watches/expire', { cluster: 'east', close: true });
    expect(expired.json).toEqual({ expired: 'east', closed: 1 });
    await live.ended;

    const resume = apiStream(t.sim, 'east', `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${before}`);
    await resume.ended;
    const [gone] = events(resume.text());
    expect(gone).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });

    const relisted = JSON.parse((await apiRequest(t.sim, 'east', '/api/v1/namespaces/default/configmaps')).body) as { metadata: { resourceVersion: string } };
    expect(Number(relisted.metadata.resourceVersion)).toBeGreaterThan(Number(before));
    const watch = apiStream(t.sim, 'east', `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${relisted.metadata.resourceVersion}`);
    await watch.response;
    try {
      expect((await k('--context', 'east', 'create', 'configmap', 'after-expiry', '-n', 'default')).code).toBe(0);
      const added = await waitFor(() => events(watch.text()).find((e) => e.type === 'ADDED'), 'the ADDED event');
      expect(added.object.metadata?.name).toBe('after-expiry');
    } finally {
      watch.close();
    }
  });

  describe('cutting a followed log mid-line', () => {
    const logPath = '/api/v1/namespaces/shop/pods/POD/log?container=istio-proxy&timestamps=true';
    let pod = '';

    beforeAll(async () => {
      const east = t.sim.cluster('east');
      east.api.create(K.pods, 'shop', {
        metadata: { name: 'frontend-meshed', namespace: 'shop', labels: { app: 'frontend' } },
        spec: { containers: [{ name: 'frontend', image: 'registry.example.com/frontend:1.4.2' }, { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.2' }] },
      });
      pod = 'frontend-meshed';
      await waitFor(() => (east.store.get(K.pods, 'shop', pod)?.['status'] as JsonObject | undefined)?.['phase'] === 'Running', 'the meshed pod running');
      await new Promise((resolve) => setTimeout(resolve, 400));
    });

    it('writes half a line and ends; resuming with sinceTime gets that line whole, once', async () => {
      t.sim.faults.cutNextLog({ namespace: 'shop', pod, container: 'istio-proxy' }, 'east');
      const cut = apiStream(t.sim, 'east', `${logPath.replace('POD', pod)}&follow=true&tailLines=3`);
      expect(await cut.ended).toEqual({});
      const text = cut.text();
      expect(text.endsWith('\n')).toBe(false);
      const lines = text.split('\n');
      const partial = lines.pop()!;
      expect(lines).toHaveLength(3);
      const cutTime = partial.split(' ')[0]!;
      expect(cutTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);

      const resumed = await apiRequest(t.sim, 'east', `${logPath.replace('POD', pod)}&sinceTime=${encodeURIComponent(cutTime)}`);
      const after = resumed.body.trimEnd().split('\n');
      expect(after[0]!.startsWith(partial)).toBe(true);
      expect(after[0]!.length).toBeGreaterThan(partial.length);
      expect(after.filter((line) => line === after[0])).toHaveLength(1);
      // Nothing before the cut comes again.
      for (const line of lines) expect(after).not.toContain(line);

      // The cut was for one stream only: the next follow keeps going.
      const next = apiStream(t.sim, 'east', `${logPath.replace('POD', pod)}&follow=true&tailLines=0`);
      try {
        await waitFor(() => next.text().split('\n').length > 3, 'lines after the cut');
      } finally {
        next.close();
      }
      expect((await admin(t, 'GET', '/')).json['clusters']).toContainEqual(expect.objectContaining({ name: 'east', pendingLogCuts: 0 }));
    });

    it('cuts kubectl logs -f, and can reset the connection instead', async () => {
      expect((await admin(t, 'POST', '/logs/cut', { cluster: 'east', pod })).status).toBe(200);
      const follow = kubectlStream(t.kubeconfigPath, ['--context', 'east', 'logs', '-f', '-n', 'shop', pod, '-c', 'istio-proxy', '--tail=1']);
      const code = await new Promise<number | null>((resolve) => follow.child.on('exit', (c) => resolve(c)));
      expect(code).toBe(0);
      expect(follow.output().split('\n')).toHaveLength(2);
      expect(follow.output().endsWith('\n')).toBe(false);

      t.sim.faults.cutNextLog({ pod, abort: true }, 'east');
      const aborted = apiStream(t.sim, 'east', `${logPath.replace('POD', pod)}&follow=true&tailLines=1`);
      const ended = await aborted.ended;
      expect(ended.error).toBeDefined();
      expect(aborted.text().endsWith('\n')).toBe(false);
    });
  });

  it('resets every fault and brings every cluster back', async () => {
    await t.sim.faults.takeDown('west');
    t.sim.faults.setLatency(100);
    t.sim.faults.setErrors({ status: 503, share: 1 });
    const reset = await admin(t, 'POST', '/reset');
    expect(reset.status).toBe(200);
    expect((reset.json['clusters'] as JsonObject[]).every((c) => c['up'] === true && c['latencyMs'] === 0 && c['errors'] === undefined)).toBe(true);
    const result = await apiRequest(t.sim, 'west', '/version');
    expect(result.status).toBe(200);
    expect(result.elapsedMs).toBeLessThan(100);
  });
});
