import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, waitFor, type TestSim } from '../../helpers/sim.js';
import { kubectl } from '../../helpers/kubectl.js';

interface Pod {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; creationTimestamp: string };
  spec: { containers: { name: string; image: string; args?: string[]; ports?: { name?: string; containerPort: number }[]; env?: { name: string; value?: string }[] }[]; initContainers?: { name: string }[] };
  status: { phase: string; containerStatuses?: { name: string; ready: boolean }[] };
}

const containerNames = (pod: Pod) => pod.spec.containers.map((c) => c.name);
const proxyEnv = (pod: Pod) => Object.fromEntries((pod.spec.containers.find((c) => c.name === 'istio-proxy')?.env ?? []).map((e) => [e.name, e.value]));

describe('sidecar injection, driven by the real kubectl', () => {
  let t: TestSim;
  const k = (...args: string[]) => kubectl(t.kubeconfigPath, args);
  const pods = async (context: string, namespace: string, selector?: string): Promise<Pod[]> => {
    const result = await k('--context', context, 'get', 'pods', '-n', namespace, ...(selector ? ['-l', selector] : []), '-o', 'json');
    expect(result.code, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as { items: Pod[] }).items;
  };
  const pod = async (context: string, namespace: string, name: string): Promise<Pod> => {
    const result = await k('--context', context, 'get', 'pod', name, '-n', namespace, '-o', 'json');
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as Pod;
  };

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'healthy', podsPerCluster: 0 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('injects istio-init and istio-proxy into a pod created in a namespace labelled istio-injection=enabled', async () => {
    expect((await k('create', 'namespace', 'inj')).code).toBe(0);
    expect((await k('label', 'namespace', 'inj', 'istio-injection=enabled')).code).toBe(0);
    const run = await k('run', 'web', '-n', 'inj', '--image=nginx:1.27', '--labels=app=web,version=v3', '--port=8080');
    expect(run.code, run.stderr).toBe(0);
    const web = await pod('east', 'inj', 'web');
    expect(containerNames(web)).toEqual(['web', 'istio-proxy']);
    expect(web.spec.initContainers?.map((c) => c.name)).toEqual(['istio-init']);
    const proxy = web.spec.containers[1]!;
    expect(proxy.image).toMatch(/^docker\.io\/istio\/proxyv2:1\.\d+\.\d+$/);
    expect(proxy.args?.slice(0, 2)).toEqual(['proxy', 'sidecar']);
    expect(proxy.ports).toContainEqual(expect.objectContaining({ name: 'http-envoy-prom', containerPort: 15090 }));
    expect(proxyEnv(web)).toMatchObject({ ISTIO_META_CLUSTER_ID: 'east', ISTIO_META_NETWORK: 'network1', ISTIO_META_MESH_ID: 'mesh1', CA_ADDR: 'istiod.istio-system.svc:15012' });
    expect(JSON.parse(web.metadata.annotations!['sidecar.istio.io/status']!)).toMatchObject({ initContainers: ['istio-init'], containers: ['istio-proxy'], revision: 'default' });
    expect(web.metadata.annotations!['kubectl.kubernetes.io/default-container']).toBe('web');
    expect(web.metadata.labels).toMatchObject({ 'security.istio.io/tlsMode': 'istio', 'service.istio.io/canonical-name': 'web', 'service.istio.io/canonical-revision': 'v3' });
    const running = await waitFor(async () => {
      const current = await pod('east', 'inj', 'web');
      return current.status.containerStatuses?.length === 2 && current.status.containerStatuses.every((c) => c.ready) && current;
    }, 'web to be 2/2 ready');
    expect(running.status.phase).toBe('Running');
    const table = await k('get', 'pod', 'web', '-n', 'inj');
    expect(table.stdout).toMatch(/web\s+2\/2\s+Running/);
  });

  it('leaves out pods annotated sidecar.istio.io/inject: "false", and namespaces without the label', async () => {
    expect((await k('run', 'optout', '-n', 'inj', '--image=nginx:1.27', '--annotations=sidecar.istio.io/inject=false')).code).toBe(0);
    expect(containerNames(await pod('east', 'inj', 'optout'))).toEqual(['optout']);
    expect((await k('run', 'plain', '-n', 'default', '--image=nginx:1.27')).code).toBe(0);
    expect(containerNames(await pod('east', 'default', 'plain'))).toEqual(['plain']);
  });

  it('injects by revision label (istio.io/rev=default) too', async () => {
    expect((await k('create', 'namespace', 'byrev')).code).toBe(0);
    expect((await k('label', 'namespace', 'byrev', 'istio.io/rev=default')).code).toBe(0);
    expect((await k('run', 'rev', '-n', 'byrev', '--image=nginx:1.27')).code).toBe(0);
    expect(containerNames(await pod('east', 'byrev', 'rev'))).toEqual(['rev', 'istio-proxy']);
  });

  it('keeps pods that existed before the label without a sidecar until they are recreated', async () => {
    expect((await k('create', 'namespace', 'late')).code).toBe(0);
    const manifest = JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'app', namespace: 'late' },
      spec: { selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
    });
    const applied = await kubectl(t.kubeconfigPath, ['apply', '-f', '-'], manifest);
    expect(applied.code, applied.stderr).toBe(0);
    const [before] = await waitFor(async () => {
      const list = await pods('east', 'late', 'app=app');
      return list.length === 1 && list[0]!.status.phase === 'Running' && list;
    }, 'the app pod to run');
    expect((await k('label', 'namespace', 'late', 'istio-injection=enabled')).code).toBe(0);
    const still = await pod('east', 'late', before!.metadata.name);
    expect(containerNames(still)).toEqual(['nginx']);
    expect(still.metadata.annotations?.['sidecar.istio.io/status']).toBeUndefined();

    const restart = await k('rollout', 'restart', 'deploy/app', '-n', 'late');
    expect(restart.code, restart.stderr).toBe(0);
    const after = await waitFor(async () => {
      const list = await pods('east', 'late', 'app=app');
      return list.length === 1 && list[0]!.metadata.name !== before!.metadata.name && list[0]!.status.phase === 'Running' && list[0];
    }, 'the restarted pod');
    expect(containerNames(after)).toEqual(['nginx', 'istio-proxy']);
  });

  it("injects in the remote with the remote's cluster ID and network", async () => {
    expect((await k('--context', 'west', 'run', 'probe', '-n', 'sample', '--image=nginx:1.27')).code).toBe(0);
    const probe = await pod('west', 'sample', 'probe');
    expect(containerNames(probe)).toEqual(['probe', 'istio-proxy']);
    expect(proxyEnv(probe)).toMatchObject({ ISTIO_META_CLUSTER_ID: 'west', ISTIO_META_NETWORK: 'network2' });
  });

  it('has injected the sample apps of the scenario (helloworld v1 in east, v2 in west)', async () => {
    const east = await pods('east', 'sample', 'app=helloworld');
    const west = await pods('west', 'sample', 'app=helloworld');
    expect(east.map((p) => p.metadata.labels?.['version'])).toEqual(['v1']);
    expect(west.map((p) => p.metadata.labels?.['version'])).toEqual(['v2']);
    for (const p of [...east, ...west]) expect(containerNames(p)).toEqual(['helloworld', 'istio-proxy']);
  });
});
