import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { loadKubeconfig, singleContextYaml } from '../../source/kube/kubeconfig.js';
import { ClusterTransport } from '../../source/kube/transport.js';
import { execTimeoutMs, runningPlugins } from '../../source/kube/exec-credential.js';
import { alive, hangingPlugin } from '../helpers/processes.js';


describe('exec credential plugins that hang', () => {
  let t: TestSim;
  let config: () => KubeConfig;
  let plugin: ReturnType<typeof hangingPlugin>;

  beforeAll(async () => {
    t = await startTestSim({ clusters: 1, podsPerCluster: 0 });
    plugin = hangingPlugin(t.dir);
    const doc = parse(t.sim.kubeconfig()) as { clusters: { name: string }[]; users: object[]; contexts: object[] };
    doc.users.push({ name: 'hangs', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin.path, interactiveMode: 'Never' } } });
    doc.contexts.push({ name: 'hangs', context: { cluster: doc.clusters[0]!.name, user: 'hangs' } });
    const file = join(t.dir, 'hangs.yaml');
    writeFileSync(file, stringify(doc));
    const entry = loadKubeconfig([file]).contexts.find((c) => c.name === 'hangs')!;
    config = () => {
      const c = new KubeConfig();
      c.loadFromString(singleContextYaml(entry));
      return c;
    };
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('are killed with their children after the timeout; one runs at a time per context, however many requests and transports ask', async () => {
    // Two transports of one context, as the cockpit's session and an action have.
    const a = new ClusterTransport(config(), { execTimeoutMs: 1_500 });
    const b = new ClusterTransport(config(), { execTimeoutMs: 1_500 });
    const failures = [a, b, a].map((x) => x.request('/version').then(() => undefined, (error: unknown) => (error as Error).message));
    await new Promise((resolve) => setTimeout(resolve, 700));
    // A retry while the plugin still runs waits for it.
    failures.push(b.request('/api').then(() => undefined, (error: unknown) => (error as Error).message));
    expect(plugin.runs()).toHaveLength(1);
    const [first] = plugin.runs();
    expect(first!.every(alive)).toBe(true);
    expect(runningPlugins()).toBe(1);
    const messages = await Promise.all(failures);
    expect(new Set(messages)).toEqual(new Set([`the credential plugin "${plugin.path}" did not answer within 1.5 s`]));
    // The plugin and the child it started are gone.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(first!.map(alive)).toEqual([false, false]);
    expect(runningPlugins()).toBe(0);

    // The next request tries again, with one new plugin.
    await expect(a.request('/version')).rejects.toThrow('did not answer within 1.5 s');
    expect(plugin.runs()).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(plugin.runs().flat().some(alive)).toBe(false);
  });

  it('MESHDECK_EXEC_TIMEOUT sets the timeout in seconds; anything else leaves 30 s', () => {
    expect(execTimeoutMs({ MESHDECK_EXEC_TIMEOUT: '2' })).toBe(2_000);
    expect(execTimeoutMs({ MESHDECK_EXEC_TIMEOUT: '0.5' })).toBe(500);
    expect(execTimeoutMs({ MESHDECK_EXEC_TIMEOUT: 'soon' })).toBe(30_000);
    expect(execTimeoutMs({ MESHDECK_EXEC_TIMEOUT: '-1' })).toBe(30_000);
    expect(execTimeoutMs({})).toBe(30_000);
  });
});
