import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTerminal, type TerminalSession } from '../helpers/tmux.js';
import { kubectl } from '../helpers/kubectl.js';
import { waitFor } from '../helpers/sim.js';
import { kubectlWorkloads, screenWorkloads, startSimProcess, type RequestCounts, type SimProcess } from '../helpers/sim-process.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';

const main = meshdeckMain;
const CLUSTERS = ['east', 'west'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Faults injected into a running `meshdeck sim` while the cockpit watches it in a real terminal. After
 * each fault the cockpit's numbers must be kubectl's (no stale, missing or doubled rows), and the
 * simulator's request counts show whether the client backed off.
 */
describe('the cockpit under injected API faults, with kubectl as the referee', () => {
  let sim: SimProcess;
  let term: TerminalSession;

  beforeAll(async () => {
    sim = await startSimProcess(['--clusters', '2', '--pods-per-cluster', '20']);
    term = startTerminal(`node ${main} --kubeconfig ${sim.kubeconfig}`, { columns: 200, rows: 50 });
    await term.waitFor((s) => s.includes('clusters 2/2 up') && screenWorkloads(s, CLUSTERS).rows.size === 10, 'both clusters and their workloads', 30_000);
    // Watches younger than a second that end without an event count as failed; let the first ones age.
    await sleep(1_500);
  });
  afterAll(() => {
    term?.close();
    sim?.stop();
  });
  beforeEach(async () => {
    // A watch that ends within a second of opening without an event counts as failed (client-go does the
    // same); after the previous test's recovery, let the new watches age first.
    await sleep(2_000);
  });
  afterEach(async () => {
    await sim.fault('POST', '/reset');
  });

  const k = async (...args: string[]) => {
    const result = await kubectl(sim.kubeconfig, args, undefined, 60_000);
    expect(result.code, result.stderr).toBe(0);
  };
  /** Waits until every workload row on screen is what kubectl reports, with no row twice. */
  async function agreesWithKubectl(what: string, timeoutMs = 45_000): Promise<void> {
    let last = '';
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const want = await kubectlWorkloads(sim.kubeconfig, CLUSTERS);
      const screen = term.screen().join('\n');
      const have = screenWorkloads(screen, CLUSTERS);
      const same = have.duplicates.length === 0 && want.size === have.rows.size && [...want].every(([key, ready]) => have.rows.get(key) === ready);
      if (same && screen.includes('clusters 2/2 up')) return;
      last = `kubectl: ${JSON.stringify([...want])}\nscreen: ${JSON.stringify([...have.rows])} duplicates ${JSON.stringify(have.duplicates)}\n${screen}`;
      if (Date.now() > deadline) throw new Error(`the cockpit never agreed with kubectl (${what}):\n${last}`);
      await sleep(500);
    }
  }
  /** Samples the east row while `during` runs; returns every state text it showed. */
  async function eastStates<T>(during: () => Promise<T>): Promise<{ result: T; states: Set<string> }> {
    const states = new Set<string>();
    let running = true;
    const sampler = (async () => {
      while (running) {
        const row = term.screen().find((l) => /^east\s/.test(l));
        if (row) states.add(row.replace(/^east\s+/, '').split(/\s{2,}/)[0]!);
        await sleep(150);
      }
    })();
    try {
      return { result: await during(), states };
    } finally {
      running = false;
      await sampler;
    }
  }
  const apiRoutes = (counts: RequestCounts) => Object.entries(counts.byRoute).filter(([route]) => !route.includes('/proxy/'));
  const listRoutes = (counts: RequestCounts) => apiRoutes(counts).filter(([route]) => !route.endsWith('(watch)') && !route.startsWith('GET /version'));

  it('500 on every request for 10 s: east says why, west stays live, retries back off, and the view is right afterwards', async () => {
    await sim.fault('DELETE', '/requests');
    await sim.fault('POST', '/errors?status=500&share=1&cluster=east');
    await sim.fault('POST', '/watches/close?cluster=east');
    const started = Date.now();
    await term.waitFor((s) => /^east\s+▲ stale: HTTP 500 InternalError/m.test(s), 'east stale with the reason');
    await k('--context', 'west', 'scale', 'deploy/cart', '-n', 'payments', '--replicas=2');
    await term.waitFor((s) => screenWorkloads(s, CLUSTERS).rows.get('west/payments/cart') === '2/2', 'west still live');
    await sleep(10_000 - (Date.now() - started));
    const during = await sim.requests('east');
    await sim.fault('DELETE', '/errors');
    // Exponential backoff with jitter from 0.5 s: at most 6 tries per route in 10 s (no backoff: thousands).
    expect(apiRoutes(during).length).toBeGreaterThanOrEqual(8);
    for (const [route, n] of apiRoutes(during)) expect(n, route).toBeLessThanOrEqual(6);
    expect(during.injected).toBe(during.total);
    await k('--context', 'east', 'scale', 'deploy/cart', '-n', 'payments', '--replicas=3');
    await agreesWithKubectl('after the 500s');
  });

  it('429 with Retry-After 4 s: no route is asked again sooner, and the view is right afterwards', async () => {
    await sim.fault('DELETE', '/requests');
    await sim.fault('POST', '/errors?status=429&share=1&retryAfterSeconds=4&cluster=east');
    await sim.fault('POST', '/watches/close?cluster=east');
    const started = Date.now();
    await term.waitFor((s) => /^east\s+▲ stale: HTTP 429 TooManyRequests/m.test(s), 'east stale with the reason');
    await sleep(9_000 - (Date.now() - started));
    const during = await sim.requests('east');
    await sim.fault('DELETE', '/errors');
    // Asked at 0 s, 4 s and 8 s at most.
    expect(apiRoutes(during).length).toBeGreaterThanOrEqual(8);
    for (const [route, n] of apiRoutes(during)) expect(n, route).toBeLessThanOrEqual(3);
    await k('--context', 'east', 'scale', 'deploy/frontend', '-n', 'shop', '--replicas=5');
    await agreesWithKubectl('after the 429s');
  });

  it('1.5 s of latency on every request: changes still arrive, the cluster never shows down or stale', async () => {
    await sim.fault('POST', '/latency?ms=1500&cluster=east');
    const { states } = await eastStates(async () => {
      await sim.fault('POST', '/watches/close?cluster=east');
      await k('--context', 'east', 'scale', 'deploy/checkout', '-n', 'platform', '--replicas=1');
      await term.waitFor((s) => screenWorkloads(s, CLUSTERS).rows.get('east/platform/checkout') === '1/1', 'the change through slow watches', 45_000);
    });
    expect([...states], JSON.stringify([...states])).toEqual(['● up']);
    await sim.fault('POST', '/latency?ms=0');
    await agreesWithKubectl('after the latency spike');
  });

  it('watches ended by the server every 2 s: resumed from their version, never relisted, never shown as an outage', async () => {
    await sim.fault('DELETE', '/requests');
    const { states } = await eastStates(async () => {
      for (let i = 0; i < 6; i++) {
        await k('--context', CLUSTERS[i % 2]!, 'scale', 'deploy/payments', '-n', 'payments', `--replicas=${1 + (i % 3)}`);
        await sim.fault('POST', '/watches/close');
        await sleep(2_000);
      }
    });
    await agreesWithKubectl('after the closed watches');
    expect([...states], JSON.stringify([...states])).toEqual(['● up']);
    for (const cluster of CLUSTERS) {
      const counts = await sim.requests(cluster);
      expect(listRoutes(counts), cluster).toEqual([]);
      expect(Object.entries(counts.byRoute).filter(([route]) => route.endsWith('(watch)')).length).toBeGreaterThanOrEqual(8);
    }
  });

  it('410 Expired on resume (history compacted while watches were held): each kind relists once, deleted objects leave the screen', async () => {
    await sim.fault('POST', '/watches/hang?cluster=east&close=true');
    await k('--context', 'east', 'scale', 'deploy/catalog', '-n', 'shop', '--replicas=4');
    await k('--context', 'east', 'delete', 'deploy/checkout', '-n', 'platform');
    await sim.fault('POST', '/watches/expire?cluster=east');
    await sim.fault('DELETE', '/requests?cluster=east');
    await sim.fault('DELETE', '/watches/hang?cluster=east');
    await agreesWithKubectl('after the 410s');
    expect(screenWorkloads(term.screen().join('\n'), CLUSTERS).rows.has('east/platform/checkout')).toBe(false);
    const counts = await sim.requests('east');
    const lists = listRoutes(counts);
    expect(lists.length).toBeGreaterThanOrEqual(8);
    for (const [route, n] of lists) expect(n, route).toBe(1);
  });

  it('a silent watch (answered never): after the 90 s watchdog east shows stale with the reason, and catches up once answered', async () => {
    await sim.fault('POST', '/watches/hang?cluster=east&close=true');
    await k('--context', 'east', 'scale', 'deploy/frontend', '-n', 'shop', '--replicas=2');
    // Nothing arrives, and for 90 s nothing says so: the watchdog's limit.
    await sleep(5_000);
    expect(screenWorkloads(term.screen().join('\n'), CLUSTERS).rows.get('east/shop/frontend')).not.toBe('2/2');
    await term.waitFor((s) => /^east\s+▲ stale: the API server did not answer a watc/m.test(s), 'the watchdog to call it', 110_000);
    await sim.fault('DELETE', '/watches/hang?cluster=east');
    await agreesWithKubectl('after the silence', 60_000);
  }, 200_000);
});
