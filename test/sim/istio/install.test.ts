import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestSim, waitFor, type TestSim } from '../../helpers/sim.js';
import { kubectl } from '../../helpers/kubectl.js';

describe('the Istio installation, read with the real kubectl', () => {
  let t: TestSim;
  const k = (...args: string[]) => kubectl(t.kubeconfigPath, args);
  const getJson = async <T>(...args: string[]): Promise<T> => {
    const result = await k(...args, '-o', 'json');
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as T;
  };
  type ConfigMap = { data: Record<string, string>; metadata: { labels?: Record<string, string> } };
  type Service = { spec: { type: string; selector?: Record<string, string>; ports: { name: string; port: number; targetPort: number; protocol: string }[] }; metadata: { labels: Record<string, string> } };

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'healthy', podsPerCluster: 0 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('runs istiod in the primary with CLUSTER_ID and Istio labels, and none in the remote', async () => {
    const deployment = await getJson<{ metadata: { labels: Record<string, string> }; spec: { template: { spec: { containers: { name: string; image: string; env: { name: string; value?: string }[] }[] } } } }>('--context', 'east', 'get', 'deploy', 'istiod', '-n', 'istio-system');
    expect(deployment.metadata.labels).toMatchObject({ app: 'istiod', 'istio.io/rev': 'default' });
    const discovery = deployment.spec.template.spec.containers[0]!;
    expect(discovery.name).toBe('discovery');
    expect(discovery.image).toMatch(/^docker\.io\/istio\/pilot:/);
    const env = Object.fromEntries(discovery.env.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ CLUSTER_ID: 'east', REVISION: 'default', PILOT_CERT_PROVIDER: 'istiod' });
    const status = await k('--context', 'east', 'rollout', 'status', 'deploy/istiod', '-n', 'istio-system', '--timeout=10s');
    expect(status.code, status.stderr).toBe(0);
    const remote = await k('--context', 'west', 'get', 'deploy', '-n', 'istio-system', '-o', 'name');
    expect(remote.stdout.split('\n')).not.toContain('deployment.apps/istiod');
  });

  it("serves istiod's Service ports: 15010, 15012, 443→15017, 15014", async () => {
    const service = await getJson<Service>('--context', 'east', 'get', 'svc', 'istiod', '-n', 'istio-system');
    expect(service.spec.ports.map((p) => [p.name, p.port, p.targetPort])).toEqual([
      ['grpc-xds', 15010, 15010],
      ['https-dns', 15012, 15012],
      ['https-webhook', 443, 15017],
      ['http-monitoring', 15014, 15014],
    ]);
  });

  it('keeps the mesh ID, trust domain and access-log settings in the istio ConfigMap', async () => {
    for (const context of ['east', 'west']) {
      const configMap = await getJson<ConfigMap>('--context', context, 'get', 'cm', 'istio', '-n', 'istio-system');
      const mesh = parse(configMap.data['mesh']!) as Record<string, unknown>;
      expect(mesh).toMatchObject({ trustDomain: 'cluster.local', accessLogFile: '/dev/stdout', accessLogEncoding: 'TEXT', defaultConfig: { meshId: 'mesh1', discoveryAddress: 'istiod.istio-system.svc:15012' } });
      expect(parse(configMap.data['meshNetworks']!)).toEqual({ networks: {} });
    }
  });

  it('keeps the mesh ID, cluster name and network in the istio-sidecar-injector values', async () => {
    for (const [context, network] of [['east', 'network1'], ['west', 'network2']] as const) {
      const configMap = await getJson<ConfigMap>('--context', context, 'get', 'cm', 'istio-sidecar-injector', '-n', 'istio-system');
      const values = JSON.parse(configMap.data['values']!) as { global: Record<string, unknown> };
      expect(values.global).toMatchObject({ meshID: 'mesh1', network, multiCluster: { clusterName: context }, hub: 'docker.io/istio' });
      expect(configMap.data['config']).toContain('defaultTemplates: [sidecar]');
    }
  });

  it('registers the injection webhooks; the remote points them at the primary through its east-west gateway', async () => {
    type Webhooks = { webhooks: { name: string; clientConfig: { service?: { name: string; namespace: string; path: string }; url?: string } }[] };
    const east = await getJson<Webhooks>('--context', 'east', 'get', 'mutatingwebhookconfiguration', 'istio-sidecar-injector');
    expect(east.webhooks.map((w) => w.name)).toEqual(['rev.namespace.sidecar-injector.istio.io', 'rev.object.sidecar-injector.istio.io', 'namespace.sidecar-injector.istio.io', 'object.sidecar-injector.istio.io']);
    expect(east.webhooks[0]!.clientConfig.service).toMatchObject({ name: 'istiod', namespace: 'istio-system', path: '/inject' });
    const eastWest = await getJson<{ status: { loadBalancer: { ingress: { ip: string }[] } } }>('--context', 'east', 'get', 'svc', 'istio-eastwestgateway', '-n', 'istio-system');
    const ip = eastWest.status.loadBalancer.ingress[0]!.ip;
    const west = await getJson<Webhooks>('--context', 'west', 'get', 'mutatingwebhookconfiguration', 'istio-sidecar-injector');
    expect(west.webhooks[0]!.clientConfig.url).toBe(`https://${ip}:15017/inject/cluster/west/net/network2`);
    const endpoints = await getJson<{ subsets: { addresses: { ip: string }[] }[] }>('--context', 'west', 'get', 'endpoints', 'istiod', '-n', 'istio-system');
    expect(endpoints.subsets[0]!.addresses).toEqual([{ ip }]);
  });

  it('labels istio-system with the network, and annotates the remote with its control plane cluster', async () => {
    type Namespace = { metadata: { labels: Record<string, string>; annotations?: Record<string, string> } };
    const east = await getJson<Namespace>('--context', 'east', 'get', 'ns', 'istio-system');
    expect(east.metadata.labels['topology.istio.io/network']).toBe('network1');
    expect(east.metadata.annotations?.['topology.istio.io/controlPlaneClusters']).toBeUndefined();
    const west = await getJson<Namespace>('--context', 'west', 'get', 'ns', 'istio-system');
    expect(west.metadata.labels['topology.istio.io/network']).toBe('network2');
    expect(west.metadata.annotations?.['topology.istio.io/controlPlaneClusters']).toBe('east');
  });

  it.each([
    ['istio-ingressgateway', 'ingressgateway', [['status-port', 15021, 15021], ['http2', 80, 8080], ['https', 443, 8443], ['tls', 15443, 15443]]],
    ['istio-eastwestgateway', 'eastwestgateway', [['status-port', 15021, 15021], ['tls', 15443, 15443], ['tls-istiod', 15012, 15012], ['tls-webhook', 15017, 15017]]],
  ])('exposes %s with Istio\'s port layout, labels and network', async (name, istio, ports) => {
    for (const [context, network] of [['east', 'network1'], ['west', 'network2']] as const) {
      const service = await getJson<Service>('--context', context, 'get', 'svc', name, '-n', 'istio-system');
      expect(service.spec.type).toBe('LoadBalancer');
      expect(service.spec.ports.map((p) => [p.name, p.port, p.targetPort])).toEqual(ports);
      expect(service.spec.ports.every((p) => p.protocol === 'TCP')).toBe(true);
      expect(service.metadata.labels).toMatchObject({ istio, 'topology.istio.io/network': network });
      type Pod = { metadata: { labels: Record<string, string> }; spec: { containers: { name: string; args: string[]; ports: { containerPort: number }[] }[] } };
      const pods = await getJson<{ items: Pod[] }>('--context', context, 'get', 'pods', '-n', 'istio-system', '-l', `istio=${istio}`);
      expect(pods.items).toHaveLength(1);
      const pod = pods.items[0]!;
      expect(pod.metadata.labels['topology.istio.io/network']).toBe(network);
      const proxy = pod.spec.containers[0]!;
      expect(proxy.name).toBe('istio-proxy');
      expect(proxy.args.slice(0, 2)).toEqual(['proxy', 'router']);
      expect(proxy.ports.map((p) => p.containerPort)).toEqual([...ports.map((p) => p[2]), 15090]);
    }
  });

  it('gives every namespace, new ones too, istio-ca-root-cert with the cluster root', async () => {
    const namespaces = (await k('--context', 'east', 'get', 'ns', '-o', 'jsonpath={.items[*].metadata.name}')).stdout.split(' ');
    const roots = new Set<string>();
    for (const namespace of namespaces.filter((n) => !n.startsWith('kube-'))) {
      const configMap = await getJson<ConfigMap>('--context', 'east', 'get', 'cm', 'istio-ca-root-cert', '-n', namespace);
      expect(configMap.metadata.labels).toMatchObject({ 'istio.io/config': 'true' });
      roots.add(configMap.data['root-cert.pem']!);
    }
    expect(roots.size).toBe(1);
    const cacerts = await getJson<{ data: Record<string, string> }>('--context', 'east', 'get', 'secret', 'cacerts', '-n', 'istio-system');
    expect(Object.keys(cacerts.data).sort()).toEqual(['ca-cert.pem', 'ca-key.pem', 'cert-chain.pem', 'root-cert.pem']);
    expect([...roots][0]).toBe(Buffer.from(cacerts.data['root-cert.pem']!, 'base64').toString());
    expect((await k('--context', 'east', 'create', 'namespace', 'brand-new')).code).toBe(0);
    const fresh = await waitFor(async () => (await getJson<ConfigMap>('--context', 'east', 'get', 'cm', 'istio-ca-root-cert', '-n', 'brand-new')).data['root-cert.pem'], 'istio-ca-root-cert in a new namespace');
    expect(fresh).toBe([...roots][0]);
    expect((await k('--context', 'east', 'delete', 'cm', 'istio-ca-root-cert', '-n', 'brand-new')).code).toBe(0);
    await waitFor(async () => (await k('--context', 'east', 'get', 'cm', 'istio-ca-root-cert', '-n', 'brand-new')).code === 0, 'istio-ca-root-cert to come back');
    const kubeSystem = await k('--context', 'east', 'get', 'cm', 'istio-ca-root-cert', '-n', 'kube-system');
    expect(kubeSystem.code).not.toBe(0);
  });

  it('creates the reader service account and role that remote secrets use', async () => {
    for (const context of ['east', 'west']) {
      expect((await k('--context', context, 'get', 'sa', 'istio-reader-service-account', '-n', 'istio-system')).code).toBe(0);
      const can = await k('--context', context, 'auth', 'can-i', 'list', 'pods', '--all-namespaces', '--as', 'system:serviceaccount:istio-system:istio-reader-service-account');
      expect(can.stdout.trim()).toBe('yes');
    }
  });
});
