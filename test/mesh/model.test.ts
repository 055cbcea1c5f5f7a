import { describe, expect, it } from 'vitest';
import { DerivationCache, deriveMeshModel } from '../../source/mesh/model.js';
import type { ClusterSnapshot } from '../../source/kube/cluster-session.js';
import { deployment, deploymentPod, namespace, NOW, snapshot } from '../helpers/snapshot.js';

const sample = namespace('sample', { 'istio-injection': 'enabled' });
const injected = { namespace: 'sample', containers: ['helloworld', 'istio-proxy'] };
// Istio's multicluster verification: helloworld v1 in one cluster, v2 in another, sleep in both.
function clusters(): ClusterSnapshot[] {
  return [
    snapshot({ name: 'east', objects: { namespaces: [sample], pods: [deploymentPod('helloworld-v1', 'a', { ...injected, labels: { app: 'helloworld', version: 'v1' } }), deploymentPod('sleep', 'a', { namespace: 'sample', containers: ['sleep'] })] } }),
    snapshot({ name: 'west', objects: { namespaces: [sample], pods: [deploymentPod('helloworld-v2', 'b', { ...injected, labels: { app: 'helloworld', version: 'v2' } }), deploymentPod('sleep', 'b', { ...injected })] } }),
    snapshot({ name: 'central', objects: { namespaces: [sample], pods: [deploymentPod('helloworld-v1', 'c', { ...injected, labels: { app: 'helloworld', version: 'v1' } })] } }),
  ];
}

const ingress = (name: string) => deployment({ name: 'istio-ingressgateway', namespace: 'istio-system', podLabels: { app: 'istio-ingressgateway', istio: 'ingressgateway' }, labels: { cluster: name } });

describe('deriveMeshModel', () => {
  it('puts the same workload from several clusters on adjacent rows, in the clusters’ order', () => {
    const model = deriveMeshModel(clusters(), NOW, new DerivationCache());
    expect(model.workloads.map((w) => `${w.cluster}/${w.namespace}/${w.name}`)).toEqual([
      'east/sample/helloworld-v1',
      'central/sample/helloworld-v1',
      'west/sample/helloworld-v2',
      'east/sample/sleep',
      'west/sample/sleep',
    ]);
    expect(model.workloads.find((w) => w.cluster === 'east' && w.name === 'sleep')!.sidecar).toBe('missing');
  });

  it('sorts gateways the same way', () => {
    const snapshots = ['east', 'west'].map((name) => snapshot({ name, objects: { deployments: [ingress(name)] } }));
    expect(deriveMeshModel(snapshots.reverse(), NOW, new DerivationCache()).gateways.map((g) => g.key)).toEqual([
      'west/istio-system/Deployment/istio-ingressgateway',
      'east/istio-system/Deployment/istio-ingressgateway',
    ]);
  });

  it('summarizes: clusters up, gateways ready, workloads without sidecar', () => {
    const snapshots = clusters();
    snapshots[2] = { ...snapshots[2]!, state: 'stale', error: 'connection refused', lastEventAt: NOW - 5_000 };
    expect(deriveMeshModel(snapshots, NOW, new DerivationCache()).summary).toMatchObject({ clustersUp: 2, clustersTotal: 3, gatewaysTotal: 0, workloadsWithoutSidecar: 1 });
  });

  describe('the derivation cache', () => {
    it('recomputes only the cluster whose versions moved', () => {
      const cache = new DerivationCache();
      const first = clusters();
      deriveMeshModel(first, NOW, cache);
      const before = { east: cache.workloads.get('east')!.rows, west: cache.workloads.get('west')!.rows, central: cache.workloads.get('central')!.rows, eastGateways: cache.gateways.get('east')!.rows };

      // west: a pod was added (the pods cache version moved).
      const next = clusters();
      const westPods = new Map(next[1]!.kinds.pods.items);
      const extra = deploymentPod('helloworld-v2', 'z', { ...injected, labels: { app: 'helloworld', version: 'v2' } });
      westPods.set('sample/helloworld-v2-7d4b9c8f6d-z', extra);
      next[1] = { ...next[1]!, kinds: { ...next[1]!.kinds, pods: { version: 2, items: westPods } } };
      const model = deriveMeshModel(next, NOW, cache);

      expect(cache.workloads.get('east')!.rows).toBe(before.east);
      expect(cache.workloads.get('central')!.rows).toBe(before.central);
      expect(cache.gateways.get('east')!.rows).toBe(before.eastGateways);
      expect(cache.workloads.get('west')!.rows).not.toBe(before.west);
      expect(model.workloads.find((w) => w.cluster === 'west' && w.name === 'helloworld-v2')).toMatchObject({ total: 2, ready: 2 });
    });

    it.each([
      ['namespaces (injection labels decide the sidecar state)', 'namespaces', 'workloads'],
      ['services (gateway addresses)', 'services', 'gateways'],
      ['Istio Gateway resources (bound gateways)', 'gateways', 'gateways'],
      ['deployments (gateway replicas)', 'deployments', 'gateways'],
    ] as const)('a change of %s is picked up', (_scenario, kind, rows) => {
      const cache = new DerivationCache();
      const first = clusters();
      deriveMeshModel(first, NOW, cache);
      const before = cache[rows].get('east')!.key;
      const next = clusters();
      next[0] = { ...next[0]!, kinds: { ...next[0]!.kinds, [kind]: { ...next[0]!.kinds[kind], version: 7 } } };
      deriveMeshModel(next, NOW, cache);
      // Derived again (the key follows the versions it read); what it shows is tested below.
      expect(cache[rows].get('east')!.key).not.toBe(before);
    });

    it('keeps the row objects and the merged list when a change shows nothing new (a pod label)', () => {
      const cache = new DerivationCache();
      const first = deriveMeshModel(clusters(), NOW, cache);
      const relabel = (snapshots: ClusterSnapshot[], version: number, change: (pod: (typeof snapshots)[number]['kinds']['pods']['items'] extends Map<string, infer P> ? P : never) => void) => {
        const east = snapshots[0]!;
        const pods = new Map([...east.kinds.pods.items].map(([k, pod]) => [k, structuredClone(pod)]));
        for (const pod of pods.values()) change(pod);
        snapshots[0] = { ...east, kinds: { ...east.kinds, pods: { version, items: pods } } };
        return snapshots;
      };
      const labelled = deriveMeshModel(relabel(clusters(), 5, (pod) => (pod.metadata.labels = { ...pod.metadata.labels, 'bench/round': '1' })), NOW + 1_000, cache);
      expect(labelled.workloads).toBe(first.workloads);

      // A pod that stops being ready changes its row only; the other rows keep their objects.
      const notReady = deriveMeshModel(
        relabel(clusters(), 6, (pod) => {
          if (pod.metadata.name.startsWith('sleep')) (pod as unknown as { status: { conditions: unknown[] } }).status.conditions = [];
        }),
        NOW + 2_000,
        cache,
      );
      expect(notReady.workloads).not.toBe(first.workloads);
      const changed = notReady.workloads.filter((w, i) => w !== first.workloads[i]).map((w) => w.key);
      expect(changed).toEqual(['east/sample/Deployment/sleep']);
      expect(notReady.workloads.find((w) => w.key === 'east/sample/Deployment/sleep')).toMatchObject({ ready: 0, total: 1 });
      // Swapped into its sorted place, as a cold derivation places it.
      const cold = deriveMeshModel(relabel(clusters(), 6, (pod) => {
        if (pod.metadata.name.startsWith('sleep')) (pod as unknown as { status: { conditions: unknown[] } }).status.conditions = [];
      }), NOW + 2_000, new DerivationCache());
      expect(notReady.workloads).toEqual(cold.workloads);
      expect(notReady.summary).toEqual(cold.summary);
    });

    it('follows a namespace label change into the sidecar state', () => {
      const cache = new DerivationCache();
      deriveMeshModel(clusters(), NOW, cache);
      const next = clusters();
      next[0] = { ...next[0]!, kinds: { ...next[0]!.kinds, namespaces: { version: 2, items: new Map([['sample', namespace('sample')]]) } } };
      const model = deriveMeshModel(next, NOW, cache);
      expect(model.workloads.find((w) => w.cluster === 'east' && w.name === 'sleep')!.sidecar).toBe('none');
    });

    it('drops a cluster that left the session', () => {
      const cache = new DerivationCache();
      deriveMeshModel(clusters(), NOW, cache);
      const model = deriveMeshModel(clusters().slice(0, 2), NOW, cache);
      expect(new Set(model.workloads.map((w) => w.cluster))).toEqual(new Set(['east', 'west']));
      expect(model.clusters.map((c) => c.cluster)).toEqual(['east', 'west']);
    });

    it('gives the same model from a warm cache as from a cold one', () => {
      const cache = new DerivationCache();
      deriveMeshModel(clusters(), NOW, cache);
      expect(deriveMeshModel(clusters(), NOW + 1_000, cache)).toEqual(deriveMeshModel(clusters(), NOW + 1_000, new DerivationCache()));
    });
  });
});
