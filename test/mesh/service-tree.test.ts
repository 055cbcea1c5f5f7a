import { describe, expect, it } from 'vitest';
import { serviceTree, type ServiceCluster, type ServicePod, type ServiceRow, type ServiceSubset } from '../../source/mesh/services.js';

const pod = (name: string, subsets: string[], extra: Partial<ServicePod> = {}): ServicePod => ({ name, ready: true, sidecar: true, subsets, ...extra });
const cluster = (name: string, network: string | undefined, pods: ServicePod[], extra: Partial<ServiceCluster> = {}): ServiceCluster => ({
  cluster: name,
  ...(network ? { network } : {}),
  type: 'ClusterIP',
  ports: ['5000/http'],
  endpoints: { ready: pods.filter((p) => p.ready).length, total: pods.length },
  pods,
  ...extra,
});
const subset = (name: string, extra: Partial<ServiceSubset> = {}): ServiceSubset => ({ name, labels: { version: name }, destinationRule: 'sample/helloworld', policy: [], routedBy: [], placement: [], ...extra });

function row(clusters: ServiceCluster[], subsets: ServiceSubset[] = []): ServiceRow {
  const ready = clusters.reduce((n, c) => n + (c.endpoints?.ready ?? 0), 0);
  const total = clusters.reduce((n, c) => n + (c.endpoints?.total ?? 0), 0);
  return { key: 'sample/helloworld', namespace: 'sample', name: 'helloworld', fqdn: 'helloworld.sample.svc.cluster.local', clusters, networks: [], endpoints: { ready, total }, virtualServices: [], destinationRules: [], subsets, legacyServiceEntries: [], problems: [] };
}

describe('serviceTree: service → subsets → clusters → pods', () => {
  it('helloworld: v1 in east, v2 in west, with weights and policies', () => {
    const lines = serviceTree(
      row(
        [cluster('east', 'network1', [pod('helloworld-v1-a', ['v1'])]), cluster('west', 'network2', [pod('helloworld-v2-a', ['v2']), pod('helloworld-v2-b', ['v2'], { ready: false })])],
        [subset('v1', { routedBy: [{ virtualService: 'sample/helloworld', weight: 90 }], policy: ['tls ISTIO_MUTUAL'] }), subset('v2', { routedBy: [{ virtualService: 'sample/helloworld', weight: 10 }] }), subset('v3')],
      ),
    );
    expect(lines).toEqual([
      'helloworld.sample.svc.cluster.local  2/3 endpoints ready in 2 clusters',
      '├─ subset v1 (version=v1)  ← 90% from sample/helloworld  tls ISTIO_MUTUAL',
      '│  └─ east · network1 · 1/1 ready',
      '│     └─ helloworld-v1-a  ready  istio-proxy',
      '├─ subset v2 (version=v2)  ← 10% from sample/helloworld',
      '│  └─ west · network2 · 1/2 ready',
      '│     ├─ helloworld-v2-a  ready  istio-proxy',
      '│     └─ helloworld-v2-b  not ready  istio-proxy',
      '└─ subset v3 (version=v3)',
      '   └─ ✗ no pods in any cluster',
    ]);
  });

  it('without subsets, clusters hang off the service; a cluster with the Service but no pods says so', () => {
    expect(serviceTree(row([cluster('east', 'network1', [pod('httpbin-a', [], { sidecar: false })]), cluster('west', undefined, [])]))).toEqual([
      'helloworld.sample.svc.cluster.local  1/1 endpoints ready in 2 clusters',
      '├─ east · network1 · 1/1 ready',
      '│  └─ httpbin-a  ready  no sidecar',
      '└─ west · no endpoints',
    ]);
  });

  it('pods no subset selects get a branch; a Service without a selector has no pods to show', () => {
    expect(serviceTree(row([cluster('east', undefined, [pod('a', ['v1']), pod('b', [])]), cluster('west', undefined, [], { endpoints: undefined })], [subset('v1')]))).toEqual([
      'helloworld.sample.svc.cluster.local  2/2 endpoints ready in 2 clusters',
      '├─ subset v1 (version=v1)',
      '│  └─ east · 1/1 ready',
      '│     └─ a  ready  istio-proxy',
      '└─ no subset (pods that no subset selects)',
      '   └─ east · 1/1 ready',
      '      └─ b  ready  istio-proxy',
    ]);
    expect(serviceTree(row([cluster('west', undefined, [], { endpoints: undefined })]))).toEqual(['helloworld.sample.svc.cluster.local  0/0 endpoints ready in 1 cluster', '└─ west · no selector (endpoints not picked by labels)']);
  });

  it('lists at most maxPods pods per cluster', () => {
    const pods = ['a', 'b', 'c', 'd'].map((n) => pod(n, []));
    expect(serviceTree(row([cluster('east', undefined, pods)]), { maxPods: 2 })).toEqual([
      'helloworld.sample.svc.cluster.local  4/4 endpoints ready in 1 cluster',
      '└─ east · 4/4 ready',
      '   ├─ a  ready  istio-proxy',
      '   ├─ b  ready  istio-proxy',
      '   └─ … 2 more',
    ]);
  });
});
