import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { kubectl } from '../helpers/kubectl.js';
import { ISTIO_SAMPLE_CA } from '../../source/sim/istio/sample-ca.js';
import { findBinaries } from './binaries.js';
import { startIstiod, type IstiodProcess } from './harness.js';
import { httpRequest, type Endpoint } from './http.js';
import { realTarget, until, type Target } from './targets.js';
import { registryzProblems } from './registryz-contract.js';
import { kubeconfigFiles, loadKubeconfig } from '../../source/kube/kubeconfig.js';
import { PlainCredentials } from '../../source/kube/context-credentials.js';
import { ClusterTransport } from '../../source/kube/transport.js';
import { readIstiodDebug } from '../../source/kube/istiod-debug.js';

/** istiod's /debug as meshdeck reads it: through a port-forward to istiod's pod (the simulated istiod answers 401 through the service proxy, as istiod does). */
const simDebug = (sim: TestSim, context: string, path: string) =>
  readIstiodDebug<unknown>(new ClusterTransport(new PlainCredentials(loadKubeconfig(kubeconfigFiles(sim.kubeconfigPath, {})).contexts.find((c) => c.name === context)!)), path);

const pilotDiscovery = findBinaries().pilotDiscovery;
if (!pilotDiscovery) console.log('conformance: istiod suite SKIPPED: no pilot-discovery in the cache (test/conformance/build.sh --istiod builds it)');

interface Side {
  name: 'simulator' | 'istiod';
  endpoint: Endpoint;
  /** A kubeconfig that reaches the side's second cluster, as `istioctl create-remote-secret` writes it. */
  secondCluster(): Promise<{ name: string; kubeconfig: string }>;
  kubectl(args: string[]): ReturnType<typeof kubectl>;
  clusterz(): Promise<unknown>;
  registryz(): Promise<unknown>;
  restartIstiod(): Promise<void>;
}

const rootOf = async (side: Side, namespace: string) => {
  const res = await httpRequest(side.endpoint, `/api/v1/namespaces/${namespace}/configmaps/istio-ca-root-cert`);
  return res.status === 200 ? (res.json.data['root-cert.pem'] as string) : undefined;
};
const normalized = (pem: string | undefined) => pem?.replace(/\r/g, '').trim();

describe.skipIf(!pilotDiscovery)('istiod: the simulator\'s against pilot-discovery on kube-apiserver', () => {
  let test: TestSim;
  let real: Target;
  let istiod: IstiodProcess;
  let sides: Side[];
  beforeAll(async () => {
    real = await realTarget();
    [test, istiod] = await Promise.all([
      startTestSim({ clusters: 2, podsPerCluster: 0, scenario: 'fresh' }),
      startIstiod({ binary: pilotDiscovery!, kubeconfigPath: real.kubeconfigPath, context: real.context }),
    ]);
    const cluster = test.sim.clusters[0]!;
    const simEndpoint = { server: cluster.address(), caPem: test.sim.certificate.caCertPem, token: cluster.adminToken };
    sides = [
      {
        name: 'simulator',
        endpoint: simEndpoint,
        kubectl: (args) => kubectl(test.kubeconfigPath, ['--context', cluster.name, ...args]),
        secondCluster: async () => {
          const second = test.sim.clusters[1]!.name;
          return { name: second, kubeconfig: (await kubectl(test.kubeconfigPath, ['config', 'view', '--minify', '--flatten', '--context', second])).stdout };
        },
        // What meshdeck reads: istiod's debug port through a port-forward to its pod.
        clusterz: () => simDebug(test, cluster.name, '/debug/clusterz'),
        registryz: () => simDebug(test, cluster.name, '/debug/registryz'),
        restartIstiod: async () => {
          const out = await kubectl(test.kubeconfigPath, ['--context', cluster.name, '-n', 'istio-system', 'rollout', 'restart', 'deployment/istiod']);
          expect(out.stderr).toBe('');
        },
      },
      {
        name: 'istiod',
        endpoint: real,
        kubectl: (args) => real.kubectl(args),
        secondCluster: async () => {
          const second = inject('realPlane');
          if ('error' in second) throw new Error(second.error);
          const name = second.clusters[1]!.name;
          return { name, kubeconfig: (await kubectl(real.kubeconfigPath, ['config', 'view', '--minify', '--flatten', '--context', name])).stdout };
        },
        // No kubelet or pod network here: no port-forward, and the API server cannot proxy to a process on
        // loopback, so istiod is asked directly (from loopback, as through a port-forward).
        clusterz: async () => (await fetch(`${istiod.httpAddress}/debug/clusterz`)).json(),
        registryz: async () => (await fetch(`${istiod.httpAddress}/debug/registryz`)).json(),
        restartIstiod: () => istiod.restart(),
      },
    ];
  }, 180_000);
  afterAll(async () => {
    await Promise.all([test?.stop(), istiod?.stop()]);
  });

  it('istiod makes its own CA: istio-ca-secret, and its root in istio-ca-root-cert', async () => {
    for (const side of sides) {
      let secret: any;
      await until(async () => (secret = (await httpRequest(side.endpoint, '/api/v1/namespaces/istio-system/secrets/istio-ca-secret')).json).kind === 'Secret', `${side.name}: istio-ca-secret`);
      // README, "Conformance tier": the simulator's istio-ca-secret has no key.pem (istiod writes it empty).
      // This pins the difference; when it is fixed, the simulator's line changes to istiod's.
      const keys = side.name === 'istiod' ? ['ca-cert.pem', 'ca-key.pem', 'cert-chain.pem', 'key.pem', 'root-cert.pem'] : ['ca-cert.pem', 'ca-key.pem', 'cert-chain.pem', 'root-cert.pem'];
      expect({ side: side.name, type: secret.type, keys: Object.keys(secret.data).sort() }).toEqual({ side: side.name, type: 'istio.io/ca-root', keys });
      await until(async () => (await rootOf(side, 'istio-system')) !== undefined, `${side.name}: istio-ca-root-cert`);
      expect(normalized(await rootOf(side, 'istio-system'))).toBe(normalized(Buffer.from(secret.data['ca-cert.pem'], 'base64').toString()));
    }
  });

  it('a new namespace gets istio-ca-root-cert', async () => {
    for (const side of sides) {
      const name = `rooted-${process.pid}`;
      expect((await httpRequest(side.endpoint, '/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } })).status).toBe(201);
      await until(async () => (await rootOf(side, name)) !== undefined, `${side.name}: istio-ca-root-cert in ${name}`);
    }
  });

  it('istio-ca-root-cert goes to kube-system but not kube-public or kube-node-lease (the simulator: to none of them)', async () => {
    const where = async (side: Side) => {
      const list = (await httpRequest(side.endpoint, '/api/v1/configmaps?fieldSelector=metadata.name%3Distio-ca-root-cert')).json;
      return list.items.map((i: any) => i.metadata.namespace as string).filter((ns: string) => ns.startsWith('kube-')).sort();
    };
    const [simulator, real] = [await where(sides[0]!), await where(sides[1]!)];
    expect(real).toEqual(['kube-system']);
    // README, "Conformance tier": the simulator's istiod (source/sim/istio) skips kube-system, which istiod
    // exempts from its ignored namespaces. This pins the difference; when it is fixed, this line fails and goes.
    expect(simulator).toEqual([]);
  });

  it('/debug/clusterz lists the config cluster as synced', async () => {
    for (const side of sides) {
      const context = side.name === 'simulator' ? test.sim.clusters[0]!.name : real.context;
      expect({ side: side.name, clusterz: await side.clusterz() }).toEqual({ side: side.name, clusterz: [{ id: context, secretName: '', syncStatus: 'synced' }] });
    }
  });

  it('a remote secret makes istiod read the other cluster: clusterz lists it synced', async () => {
    for (const side of sides) {
      const { name, kubeconfig } = await side.secondCluster();
      const secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `istio-remote-secret-${name}`, namespace: 'istio-system', labels: { 'istio/multiCluster': 'true' }, annotations: { 'networking.istio.io/cluster': name } },
        stringData: { [name]: kubeconfig },
      };
      expect((await httpRequest(side.endpoint, '/api/v1/namespaces/istio-system/secrets', { method: 'POST', body: secret })).status).toBe(201);
      const first = side.name === 'simulator' ? test.sim.clusters[0]!.name : real.context;
      const expected = [
        { id: first, secretName: '', syncStatus: 'synced' },
        { id: name, secretName: `istio-system/istio-remote-secret-${name}`, syncStatus: 'synced' },
      ];
      let seen: unknown;
      await until(async () => JSON.stringify((seen = await side.clusterz())) === JSON.stringify(expected), `${side.name}: ${name} synced in clusterz`, 30_000).catch(() => {
        throw new Error(`${side.name}: clusterz is ${JSON.stringify(seen)}`);
      });
    }
  }, 90_000);

  it("/debug/registryz: istiod's model.Service list, kubernetes.default merged across both clusters", async () => {
    for (const side of sides) {
      const { name } = await side.secondCluster();
      const first = side.name === 'simulator' ? test.sim.clusters[0]!.name : real.context;
      let seen: unknown;
      await until(async () => registryzProblems((seen = await side.registryz()), [first, name]).length === 0, `${side.name}: registryz with both clusters`, 30_000).catch(() => {
        throw new Error(`${side.name}: ${registryzProblems(seen, [first, name]).join('; ')}`);
      });
    }
  }, 60_000);

  it('a remote secret for a server nobody answers ends in timeout', async () => {
    for (const side of sides) {
      const { name, kubeconfig } = await side.secondCluster();
      const id = `${name}-gone`;
      // The same credentials, but a port where nothing listens.
      const unreachable = kubeconfig.replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:1');
      const secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `istio-remote-secret-${id}`, namespace: 'istio-system', labels: { 'istio/multiCluster': 'true' } },
        stringData: { [id]: unreachable },
      };
      expect((await httpRequest(side.endpoint, '/api/v1/namespaces/istio-system/secrets', { method: 'POST', body: secret })).status).toBe(201);
      let seen: any[] = [];
      const entry = () => seen.find((c) => c.id === id);
      // istiod waits PILOT_REMOTE_CLUSTER_TIMEOUT (5 s here, 30 s by default) before it gives up.
      await until(async () => ((seen = (await side.clusterz()) as any[]), entry()?.syncStatus === 'timeout'), `${side.name}: ${id} timeout in clusterz`, 40_000).catch(() => {
        throw new Error(`${side.name}: clusterz is ${JSON.stringify(seen)}`);
      });
      expect(entry()).toEqual({ id, secretName: `istio-system/istio-remote-secret-${id}`, syncStatus: 'timeout' });
      await httpRequest(side.endpoint, `/api/v1/namespaces/istio-system/secrets/istio-remote-secret-${id}`, { method: 'DELETE' });
    }
  }, 90_000);

  it('istiod picks up a plugged-in cacerts when it restarts, and publishes its root', async () => {
    const cacerts = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'cacerts', namespace: 'istio-system' },
      stringData: {
        'ca-cert.pem': ISTIO_SAMPLE_CA.caCertPem,
        'ca-key.pem': ISTIO_SAMPLE_CA.caKeyPem,
        'cert-chain.pem': ISTIO_SAMPLE_CA.certChainPem,
        'root-cert.pem': ISTIO_SAMPLE_CA.rootCertPem,
      },
    };
    for (const side of sides) {
      const before = await rootOf(side, 'istio-system');
      const created = await httpRequest(side.endpoint, '/api/v1/namespaces/istio-system/secrets', { method: 'POST', body: cacerts });
      expect(created.status).toBe(201);
      // Nothing changes until istiod restarts: it reads cacerts only as it starts.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await rootOf(side, 'istio-system')).toBe(before);
      await side.restartIstiod();
      await until(async () => normalized(await rootOf(side, 'istio-system')) === normalized(ISTIO_SAMPLE_CA.rootCertPem), `${side.name}: the plugged-in root in istio-ca-root-cert`, 60_000);
    }
  }, 120_000);
});

// The simulator's half of the registryz contract runs without pilot-discovery: join verify reads it.
describe("istiod's /debug/registryz contract, simulator side", () => {
  let test: TestSim;
  beforeAll(async () => {
    test = await startTestSim({ clusters: 2, podsPerCluster: 0, scenario: 'fresh' });
  });
  afterAll(async () => {
    await test?.stop();
  });

  it("lists both clusters' services once a remote secret is in, in model.Service's shape", async () => {
    const [first, second] = [test.sim.clusters[0]!, test.sim.clusters[1]!];
    const endpoint = { server: first.address(), caPem: test.sim.certificate.caCertPem, token: first.adminToken };
    const kubeconfig = (await kubectl(test.kubeconfigPath, ['config', 'view', '--minify', '--flatten', '--context', second.name])).stdout;
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `istio-remote-secret-${second.name}`, namespace: 'istio-system', labels: { 'istio/multiCluster': 'true' } },
      stringData: { [second.name]: kubeconfig },
    };
    expect((await httpRequest(endpoint, '/api/v1/namespaces/istio-system/secrets', { method: 'POST', body: secret })).status).toBe(201);
    let seen: unknown;
    await until(async () => registryzProblems((seen = await simDebug(test, first.name, '/debug/registryz')), [first.name, second.name]).length === 0, 'registryz with both clusters', 30_000).catch(() => {
      throw new Error(registryzProblems(seen, [first.name, second.name]).join('; '));
    });
    // Before the secret, the contract holds for the config cluster alone (istiod's own registry).
    expect(registryzProblems([{ hostname: 'kubernetes.default.svc.cluster.local', Attributes: { Name: 'kubernetes', Namespace: 'default', ServiceRegistry: 'Kubernetes' }, ports: [{ name: 'https', port: 443, protocol: 'HTTPS' }], clusterVIPs: { Addresses: { [first.name]: ['10.96.0.1'] } } }], [first.name])).toEqual([]);
    expect(registryzProblems({}, [])).toEqual(['not a JSON array: {}']);
  });
});
