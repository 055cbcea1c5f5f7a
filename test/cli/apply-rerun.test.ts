import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meshdeck, type Run } from '../helpers/run-cli.js';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { kubectl } from '../helpers/kubectl.js';

/** The block an unfinished apply ends with, from its first line to the advice to run again. */
function unfinished(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => /^(left half done|nothing was applied)/.test(l));
  const end = lines.findIndex((l) => l.startsWith('run the same command again'));
  return start < 0 || end < 0 ? [] : lines.slice(start, end + 1);
}

describe('an apply interrupted half way (the API server failing between two objects), then run again', () => {
  let t: TestSim;
  let env: NodeJS.ProcessEnv;
  const certs = mkdtempSync(join(tmpdir(), 'meshdeck-rerun-certs-'));
  const kc = () => ['--kubeconfig', t.kubeconfigPath];
  const k = (...args: string[]) => kubectl(t.kubeconfigPath, args);
  /** name=resourceVersion of the objects, so a re-run that writes anything shows. */
  const versions = async (context: string, kinds: string) => (await k('--context', context, 'get', kinds, '-n', 'istio-system', '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion} {end}')).stdout;

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'fresh', clusters: 2, podsPerCluster: 0 });
    env = { XDG_STATE_HOME: join(t.dir, 'state'), XDG_CACHE_HOME: join(t.dir, 'cache') };
    expect((await meshdeck(['ca', 'root', '--out', certs, '--key-type', 'ecdsa'], env)).code).toBe(0);
    expect((await meshdeck(['ca', 'intermediate', '--root', certs, '--cluster', 'east,west', '--out', certs, '--key-type', 'ecdsa'], env)).code).toBe(0);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("ca install: east's API server goes down once cacerts is stored, before istiod's restart; the run says what is half done, the re-run finishes it", async () => {
    // The moment east has stored cacerts, its API server goes away (open connections dropped, new ones refused).
    let down: Promise<void> | undefined;
    const unsubscribe = t.sim.cluster('east').store.subscribe((event) => {
      // On the next turn of the event loop: the answer to the create is on its way by then.
      if (event.type === 'ADDED' && event.object.kind === 'Secret' && event.object.metadata.name === 'cacerts') down ??= new Promise((resolve) => setTimeout(resolve, 0)).then(() => t.sim.faults.takeDown('east'));
    });
    const args = ['ca', 'install', ...kc(), '--context', 'east,west', '--from', certs, '--apply', '--restart'];
    const first = await meshdeck(args, env);
    expect(first.code).toBe(1);
    const block = unfinished(first.stdout);
    // Whether the restart met a refused connection or one reset under it decides how sure meshdeck can be that it was not made.
    const restart = block[7] ?? '';
    const unanswered = restart.startsWith('    ? ');
    expect(restart).toMatch(unanswered ? /^ {4}\? restart deployment istio-system\/istiod \(east\) \(no answer: it may have been made\)$/ : /^ {4}✗ restart deployment istio-system\/istiod \(east\) \(failed\)$/);
    expect(block).toEqual([
      `left half done: 4 of 6 steps carried out${unanswered ? ', 1 without an answer' : ''}`,
      '  applied:',
      '    ✓ create secret istio-system/cacerts (east)',
      '    ✓ create secret istio-system/cacerts (west)',
      '    ✓ restart deployment istio-system/istiod (west)',
      '    ✓ verify configmap istio-system/istio-ca-root-cert (west)',
      '  not applied:',
      restart,
      '    - verify configmap istio-system/istio-ca-root-cert (east)',
      'run the same command again once the cause is fixed: it reads the clusters again and plans only what is missing',
    ]);
    expect(first.stdout).toMatch(/✗ failed: .*istiod.* in east.*connection (refused|reset)/);
    unsubscribe();
    await down;
    await t.sim.faults.bringUp('east');
    expect((await k('--context', 'east', 'get', 'secret', 'cacerts', '-n', 'istio-system', '-o', 'name')).stdout).toBe('secret/cacerts\n');

    const again = await meshdeck(args, env);
    expect(again.code, again.stdout).toBe(0);
    // Only what was left: east's restart and check; west and east's secret are not touched again.
    expect(again.stdout).toContain('west: nothing to change');
    expect(again.stdout.split('\n').filter((l) => /^ {2}\d\. /.test(l))).toEqual(['  1. restart  deployment istio-system/istiod  (cannot be undone)', '  2. verify   configmap istio-system/istio-ca-root-cert']);
    expect(again.stdout).toMatch(/\napplied: 2 steps done\n$/);
    const verify = await meshdeck(['ca', 'verify', ...kc(), '--context', 'east,west', '--output', 'json'], env);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, shared: true });

    const before = (await versions('east', 'secrets,deployments')) + (await versions('west', 'secrets,deployments'));
    const third = await meshdeck(args, env);
    expect(third.stdout).toMatch(/\nnothing to do: every cluster already has this CA\n$/);
    expect((await versions('east', 'secrets,deployments')) + (await versions('west', 'secrets,deployments'))).toBe(before);
  });

  it('join: the primary answers 503 to every write after the remote got its objects; the re-run creates only what is missing', async () => {
    t.sim.faults.setErrors({ status: 503, share: 1, method: 'POST' }, 'east');
    const args = ['join', ...kc(), '--primary', 'east', '--remote', 'west', '--out', join(t.dir, 'join'), '--timeout', '20', '--apply'];
    const first = await meshdeck(args, env);
    expect(first.code).toBe(1);
    const block = unfinished(first.stdout);
    expect(block[0]).toBe('left half done: 3 of 12 steps carried out');
    expect(block.slice(1, 5)).toEqual([
      '  applied:',
      '    ✓ patch namespace istio-system (west)',
      '    ✓ create secret istio-system/istio-reader-service-account-istio-remote-secret-token (west)',
      '    ✓ create gateway istio-system/cross-network-gateway (west)',
    ]);
    expect(block.slice(5, 8)).toEqual(['  not applied:', '    ✗ create gateway istio-system/istiod-gateway (east) (failed)', '    - create virtualservice istio-system/istiod-vs (east)']);
    expect(block).toContain('    - create secret istio-system/istio-remote-secret-west (east)');
    expect(block.at(-1)).toMatch(/^run the same command again/);
    expect((await k('--context', 'east', 'get', 'secret', 'istio-remote-secret-west', '-n', 'istio-system')).stderr).toContain('NotFound');
    const remoteBefore = await versions('west', 'secrets,gateways.networking.istio.io');

    t.sim.faults.clearErrors();
    const again = await meshdeck(args, env);
    expect(again.code, again.stdout).toBe(0);
    const changes = again.stdout.split('\n').filter((l) => /^ {2}✓ (created|updated|replaced|deleted) /.test(l));
    expect(changes).toEqual([
      '  ✓ created gateway istio-system/istiod-gateway in east',
      '  ✓ created virtualservice istio-system/istiod-vs in east',
      '  ✓ created gateway istio-system/cross-network-gateway in east',
      '  ✓ created secret istio-system/istio-remote-secret-west in east',
    ]);
    expect(again.stdout).toMatch(/istiod on east reports west synced/);
    expect(await versions('west', 'secrets,gateways.networking.istio.io')).toBe(remoteBefore);
    const objects = ['gateways.networking.istio.io/istiod-gateway', 'virtualservices.networking.istio.io/istiod-vs', 'gateways.networking.istio.io/cross-network-gateway', 'secret/istio-remote-secret-west'];
    for (const object of objects) expect((await k('--context', 'east', 'get', object, '-n', 'istio-system', '-o', 'name')).code, object).toBe(0);

    const before = (await versions('east', 'secrets,gateways.networking.istio.io,virtualservices.networking.istio.io')) + (await versions('west', 'namespaces,secrets,gateways.networking.istio.io'));
    const third = await meshdeck(args, env);
    expect(third.code).toBe(0);
    expect(third.stdout).toContain('already joined: west is a remote of east as west; nothing in the clusters changes');
    expect((await versions('east', 'secrets,gateways.networking.istio.io,virtualservices.networking.istio.io')) + (await versions('west', 'namespaces,secrets,gateways.networking.istio.io'))).toBe(before);
  });

  it("ca install: the answer to the create is lost (east goes down right after storing cacerts); the run says it may have been made, the re-run finds it and goes on", async () => {
    const one = await startTestSim({ scenario: 'fresh', clusters: 1, podsPerCluster: 0 });
    try {
      let down: Promise<void> | undefined;
      // Synchronously, while the create is being answered: the reply never reaches meshdeck.
      const unsubscribe = one.sim.cluster('east').store.subscribe((event) => {
        if (event.type === 'ADDED' && event.object.kind === 'Secret' && event.object.metadata.name === 'cacerts') down ??= one.sim.faults.takeDown('east');
      });
      const args = ['ca', 'install', '--kubeconfig', one.kubeconfigPath, '--context', 'east', '--from', certs, '--apply', '--restart'];
      const first = await meshdeck(args, env);
      unsubscribe();
      expect(first.code).toBe(1);
      expect(unfinished(first.stdout)).toEqual([
        'left half done: 0 of 3 steps carried out, 1 without an answer',
        '  not applied:',
        '    ? create secret istio-system/cacerts (east) (no answer: it may have been made)',
        '    - restart deployment istio-system/istiod (east)',
        '    - verify configmap istio-system/istio-ca-root-cert (east)',
        'run the same command again once the cause is fixed: it reads the clusters again and plans only what is missing',
      ]);
      await down;
      await one.sim.faults.bringUp('east');
      // It was stored all the same.
      expect((await kubectl(one.kubeconfigPath, ['--context', 'east', 'get', 'secret', 'cacerts', '-n', 'istio-system', '-o', 'name'])).stdout).toBe('secret/cacerts\n');
      const again = await meshdeck(args, env);
      expect(again.code, again.stdout).toBe(0);
      expect(again.stdout.split('\n').filter((l) => /^ {2}\d\. /.test(l))).toEqual(['  1. restart  deployment istio-system/istiod  (cannot be undone)', '  2. verify   configmap istio-system/istio-ca-root-cert']);
      const verify = await meshdeck(['ca', 'verify', '--kubeconfig', one.kubeconfigPath, '--context', 'east', '--output', 'json'], env);
      expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
    } finally {
      await one.stop();
    }
  });
});
