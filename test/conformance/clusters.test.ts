import { describe, expect, inject, it } from 'vitest';
import { kubectl } from '../helpers/kubectl.js';

describe('the real control plane: several clusters on one etcd', () => {
  it('gives every context of the kubeconfig its own cluster', async () => {
    const plane = inject('realPlane');
    if ('error' in plane) throw new Error(plane.error);
    expect(plane.clusters.length).toBeGreaterThanOrEqual(2);
    const [first, second] = plane.clusters;
    const name = `only-in-${first!.name}-${process.pid}`;
    expect((await kubectl(plane.kubeconfigPath, ['--context', first!.name, 'create', 'namespace', name])).code).toBe(0);
    const here = await kubectl(plane.kubeconfigPath, ['--context', first!.name, 'get', 'namespace', name, '-o', 'name']);
    const there = await kubectl(plane.kubeconfigPath, ['--context', second!.name, 'get', 'namespace', name, '-o', 'name']);
    expect(here.stdout.trim()).toBe(`namespace/${name}`);
    expect(there.stderr.trim()).toBe(`Error from server (NotFound): namespaces "${name}" not found`);
    // Each has Istio's CRDs and the stand-in's node.
    for (const cluster of plane.clusters) {
      const crds = await kubectl(plane.kubeconfigPath, ['--context', cluster.name, 'get', 'crd', 'virtualservices.networking.istio.io', '-o', 'name']);
      expect(crds.stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io/virtualservices.networking.istio.io');
      const nodes = await kubectl(plane.kubeconfigPath, ['--context', cluster.name, 'get', 'nodes', '-o', 'name']);
      expect(nodes.stdout.trim()).toBe('node/conformance-node');
    }
  });
});
