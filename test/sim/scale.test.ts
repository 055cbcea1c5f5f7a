import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { kubectl } from '../helpers/kubectl.js';

// What `meshdeck sim --clusters 3 --pods-per-cluster 2000` has to get right at size: the behaviour, not
// the time it takes (the benchmark measures that). Read through kubectl and client-node, as users would.

interface Item {
  metadata: { name: string; namespace: string; generation?: number; labels?: Record<string, string> };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}
interface Address {
  ip: string;
  targetRef?: { kind: string; name: string; namespace: string };
}
interface EndpointsObject {
  metadata: { name: string; namespace: string };
  subsets?: { addresses?: Address[]; notReadyAddresses?: Address[]; ports?: { port: number }[] }[];
}

const CONTEXTS = ['east', 'west', 'central'];
const PODS = 2000;

describe('meshdeck sim at 3 clusters × 2,000 pods', () => {
  let t: TestSim;
  /** Every object of a kind in one context, as plain JSON (client-node's generic object API). */
  const json = async <T>(context: string, apiVersion: string, kind: string): Promise<T[]> => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(t.kubeconfigPath);
    kc.setCurrentContext(context);
    const list = await k8s.KubernetesObjectApi.makeApiClient(kc).list(apiVersion, kind);
    return list.items as unknown as T[];
  };

  beforeAll(async () => {
    t = await startTestSim({ clusters: 3, podsPerCluster: PODS });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('lists 2,000 pod names per context in chunks of 500, each exactly once', async () => {
    const results = await Promise.all(CONTEXTS.map((context) => kubectl(t.kubeconfigPath, ['--context', context, 'get', 'pods', '-A', '--chunk-size=500', '-o', 'name'], undefined, 60_000)));
    for (const [index, context] of CONTEXTS.entries()) {
      const result = results[index]!;
      expect(result.code, result.stderr).toBe(0);
      const names = result.stdout.trim().split('\n');
      expect(names, context).toHaveLength(PODS);
      expect(new Set(names).size, context).toBe(PODS);
      expect(names.every((name) => name.startsWith('pod/'))).toBe(true);
    }
  });

  it('reports every deployment fully rolled out, adding up to the pods asked for', async () => {
    for (const context of CONTEXTS) {
      const deployments = await json<Item>(context, 'apps/v1', 'Deployment');
      expect(deployments.length, context).toBeGreaterThan(0);
      let total = 0;
      for (const d of deployments) {
        const replicas = d.spec['replicas'] as number;
        total += replicas;
        const where = `${context} ${d.metadata.namespace}/${d.metadata.name}`;
        expect(d.status, where).toMatchObject({ replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas, observedGeneration: d.metadata.generation });
        expect(d.status!['unavailableReplicas'], where).toBeUndefined();
        const available = (d.status!['conditions'] as { type: string; status: string }[]).find((c) => c.type === 'Available');
        expect(available?.status, where).toBe('True');
      }
      expect(total, context).toBe(PODS);
    }
  });

  it("gives each pod its own IP, and each service's Endpoints exactly its pods", async () => {
    for (const context of CONTEXTS) {
      const pods = await json<Item>(context, 'v1', 'Pod');
      expect(pods, context).toHaveLength(PODS);
      expect(pods.every((p) => p.status!['phase'] === 'Running'), context).toBe(true);
      const ips = pods.map((p) => String(p.status!['podIP']));
      const duplicated = ips.filter((ip, i) => ips.indexOf(ip) !== i);
      expect(ips.every((ip) => /^10\.\d+\.\d+\.\d+$/.test(ip) && !/\.(0|255)$/.test(ip)), `${context}: pod IPs`).toBe(true);
      expect(duplicated, `${context}: pod IPs used twice`).toEqual([]);

      const services = (await json<Item>(context, 'v1', 'Service')).filter((s) => s.spec['selector']);
      const endpoints = new Map((await json<EndpointsObject>(context, 'v1', 'Endpoints')).map((e) => [`${e.metadata.namespace}/${e.metadata.name}`, e]));
      expect(services.length, context).toBeGreaterThan(0);
      let covered = 0;
      for (const service of services) {
        const key = `${service.metadata.namespace}/${service.metadata.name}`;
        const selector = service.spec['selector'] as Record<string, string>;
        const selected = pods.filter((p) => p.metadata.namespace === service.metadata.namespace && Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v));
        const expected = selected.map((p) => `${p.metadata.name}@${String(p.status!['podIP'])}`).sort();
        const subsets = endpoints.get(key)?.subsets ?? [];
        const ready = subsets.flatMap((s) => s.addresses ?? []).map((a) => `${a.targetRef?.name}@${a.ip}`).sort();
        const notReady = subsets.flatMap((s) => s.notReadyAddresses ?? []);
        expect(ready, `${context} endpoints ${key}`).toEqual(expected);
        expect(notReady, `${context} endpoints ${key}`).toEqual([]);
        expect(subsets.flatMap((s) => s.ports ?? []).map((p) => p.port), `${context} endpoints ${key}`).toEqual([8080]);
        covered += expected.length;
      }
      // Every application pod is behind exactly one service.
      expect(covered, context).toBe(PODS);
    }
  });
});
