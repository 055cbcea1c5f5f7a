import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, waitFor, type TestSim } from '../../helpers/sim.js';
import { kubectl } from '../../helpers/kubectl.js';

const SAMPLE_ROOT = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'istio-sample-certs', 'root-cert.pem'), 'utf8');
const CLUSTERZ = '/api/v1/namespaces/istio-system/services/istiod:15014/proxy/debug/clusterz';

interface Pod {
  metadata: { name: string; namespace: string };
  spec: { containers: { name: string }[] };
  status: { phase: string; containerStatuses?: { ready: boolean }[] };
}

function harness(scenario: string, podsPerCluster: number, clusters = 1) {
  const state: { t?: TestSim } = {};
  beforeAll(async () => {
    // These tests read istiod's /debug with kubectl get --raw through the service proxy: the opt-out.
    state.t = await startTestSim({ scenario, podsPerCluster, clusters, istiodDebugThroughProxy: true });
  });
  afterAll(async () => {
    await state.t?.stop();
  });
  const k = (...args: string[]) => kubectl(state.t!.kubeconfigPath, args);
  const json = async <T>(...args: string[]): Promise<T> => {
    const result = await k(...args, '-o', 'json');
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as T;
  };
  const pods = async (context: string, namespace?: string) => (await json<{ items: Pod[] }>('--context', context, 'get', 'pods', ...(namespace ? ['-n', namespace] : ['-A']))).items;
  const ready = (pod: Pod) => pod.status.phase === 'Running' && (pod.status.containerStatuses ?? []).every((c) => c.ready);
  const root = async (context: string) => (await k('--context', context, 'get', 'cm', 'istio-ca-root-cert', '-n', 'istio-system', '-o', 'jsonpath={.data.root-cert\\.pem}')).stdout;
  const contexts = async () => (await k('config', 'get-contexts', '-o', 'name')).stdout.trim().split('\n').sort();
  return { state, k, json, pods, ready, root, contexts };
}

describe('scenario healthy', () => {
  const h = harness('healthy', 20);

  it('is a primary and a remote on two networks, everything ready, one root', async () => {
    expect(await h.contexts()).toEqual(['east', 'west']);
    for (const context of ['east', 'west']) {
      const all = await h.pods(context);
      expect(all.filter((p) => !h.ready(p)).map((p) => p.metadata.name)).toEqual([]);
    }
    expect((await h.pods('east', 'istio-system')).map((p) => p.metadata.name.replace(/-[a-z0-9]+-[a-z0-9]+$/, '')).sort()).toEqual(['istio-eastwestgateway', 'istio-ingressgateway', 'istiod']);
    expect((await h.pods('west', 'istio-system')).map((p) => p.metadata.name.replace(/-[a-z0-9]+-[a-z0-9]+$/, '')).sort()).toEqual(['istio-eastwestgateway', 'istio-ingressgateway']);
    expect(await h.root('east')).toBe(await h.root('west'));
    expect(await h.root('east')).toContain('BEGIN CERTIFICATE');
  });

  it('has west joined and synced', async () => {
    await waitFor(async () => {
      const clusters = JSON.parse((await h.k('--context', 'east', 'get', '--raw', CLUSTERZ)).stdout) as { id: string; syncStatus: string }[];
      return clusters.some((c) => c.id === 'west' && c.syncStatus === 'synced');
    }, 'west synced');
  });

  it('runs the sample apps with sidecars, and injects shop and payments but not platform', async () => {
    const names = (list: Pod[]) => list.map((p) => p.metadata.name.replace(/-[a-z0-9]+-[a-z0-9]+$/, '')).sort();
    expect(names(await h.pods('east', 'sample'))).toEqual(['helloworld-v1', 'httpbin', 'sleep']);
    expect(names(await h.pods('west', 'sample'))).toEqual(['helloworld-v2', 'sleep']);
    for (const namespace of ['sample', 'shop', 'payments']) {
      for (const pod of await h.pods('east', namespace)) expect(pod.spec.containers.map((c) => c.name)).toContain('istio-proxy');
    }
    for (const pod of await h.pods('east', 'platform')) expect(pod.spec.containers.map((c) => c.name)).not.toContain('istio-proxy');
    const gateway = await h.json<{ spec: { selector: Record<string, string>; servers: { port: { number: number } }[] } }>('--context', 'east', 'get', 'gateways.networking.istio.io', 'httpbin-gateway', '-n', 'sample');
    expect(gateway.spec).toMatchObject({ selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80 } }] });
  });
});

describe('scenario fresh', () => {
  const h = harness('fresh', 0, 3);

  it('has standalone primaries with their own self-signed roots, on their own networks, nothing joined', async () => {
    const contexts = ['east', 'west', 'central'];
    expect(await h.contexts()).toEqual(['central', 'east', 'west']);
    const roots = new Set<string>();
    for (const [index, context] of contexts.entries()) {
      const istiod = await h.k('--context', context, 'rollout', 'status', 'deploy/istiod', '-n', 'istio-system', '--timeout=10s');
      expect(istiod.code, istiod.stderr).toBe(0);
      const secrets = (await h.k('--context', context, 'get', 'secrets', '-n', 'istio-system', '-o', 'name')).stdout.split('\n');
      expect(secrets).toContain('secret/istio-ca-secret');
      expect(secrets).not.toContain('secret/cacerts');
      expect(secrets.filter((s) => s.startsWith('secret/istio-remote-secret'))).toEqual([]);
      const selfSigned = await h.json<{ type: string; data: Record<string, string> }>('--context', context, 'get', 'secret', 'istio-ca-secret', '-n', 'istio-system');
      expect(selfSigned.type).toBe('istio.io/ca-root');
      const root = await h.root(context);
      expect(root).toBe(Buffer.from(selfSigned.data['ca-cert.pem']!, 'base64').toString());
      roots.add(root);
      const namespace = await h.json<{ metadata: { labels: Record<string, string> } }>('--context', context, 'get', 'ns', 'istio-system');
      expect(namespace.metadata.labels['topology.istio.io/network']).toBe(`network${index + 1}`);
      const services = (await h.k('--context', context, 'get', 'svc', '-n', 'istio-system', '-o', 'name')).stdout.trim().split('\n');
      expect(services.sort()).toEqual(['service/istio-ingressgateway', 'service/istiod']);
      const clusters = JSON.parse((await h.k('--context', context, 'get', '--raw', CLUSTERZ)).stdout) as unknown[];
      expect(clusters).toEqual([{ id: context, secretName: '', syncStatus: 'synced' }]);
      expect((await h.pods(context)).every(h.ready)).toBe(true);
    }
    expect(roots.size).toBe(3);
  });
});

describe('scenario broken', () => {
  const h = harness('broken', 0);

  it("plugs Istio's sample CA into east and a different root into west, leaving west's gateways not ready", async () => {
    expect(await h.contexts()).toEqual(['central', 'east', 'west']);
    expect(await h.root('east')).toBe(SAMPLE_ROOT);
    expect(await h.root('west')).not.toBe(SAMPLE_ROOT);
    const west = await h.pods('west', 'istio-system');
    expect(west).toHaveLength(2);
    expect(west.some(h.ready)).toBe(false);
  });

  it('has a remote secret with the wrong cluster ID and one for an unreachable address', async () => {
    const clusters = await waitFor(async () => {
      const list = JSON.parse((await h.k('--context', 'east', 'get', '--raw', CLUSTERZ)).stdout) as { id: string; secretName: string; syncStatus: string }[];
      return list.every((c) => c.syncStatus !== 'syncing') && list;
    }, 'every remote checked');
    expect(clusters).toEqual([
      { id: 'east', secretName: '', syncStatus: 'synced' },
      { id: 'cluster3', secretName: 'istio-system/istio-remote-secret-cluster3', syncStatus: 'synced' },
      { id: 'north', secretName: 'istio-system/istio-remote-secret-north', syncStatus: 'timeout' },
      { id: 'west', secretName: 'istio-system/istio-remote-secret-west', syncStatus: 'synced' },
    ]);
    const central = await h.json<{ spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } } }>('--context', 'central', 'get', 'deploy', 'istiod', '-n', 'istio-system');
    expect(central.spec.template.spec.containers[0]!.env.find((e) => e.name === 'CLUSTER_ID')?.value).toBe('central');
    const secret = await h.json<{ metadata: { annotations: Record<string, string> }; data: Record<string, string> }>('--context', 'east', 'get', 'secret', 'istio-remote-secret-cluster3', '-n', 'istio-system');
    expect(secret.metadata.annotations['networking.istio.io/cluster']).toBe('cluster3');
    expect(Buffer.from(secret.data['cluster3']!, 'base64').toString()).toContain('server: https://127.0.0.1:');
  });

  it('has a Gateway on a port the ingress gateway Service does not expose (IST0162)', async () => {
    const gateway = await h.json<{ spec: { selector: Record<string, string>; servers: { port: { number: number } }[] } }>('--context', 'east', 'get', 'gateways.networking.istio.io', 'httpbin-gateway', '-n', 'sample');
    const port = gateway.spec.servers[0]!.port.number;
    const service = await h.json<{ spec: { ports: { port: number; targetPort: number }[] } }>('--context', 'east', 'get', 'svc', 'istio-ingressgateway', '-n', 'istio-system');
    expect(service.spec.ports.flatMap((p) => [p.port, p.targetPort])).not.toContain(port);
  });

  it('has an injection-labelled namespace whose pods have no sidecar', async () => {
    const namespace = await h.json<{ metadata: { labels: Record<string, string> } }>('--context', 'east', 'get', 'ns', 'legacy');
    expect(namespace.metadata.labels['istio-injection']).toBe('enabled');
    const legacy = await h.pods('east', 'legacy');
    expect(legacy.length).toBeGreaterThan(0);
    for (const pod of legacy) expect(pod.spec.containers.map((c) => c.name)).not.toContain('istio-proxy');
  });
});
