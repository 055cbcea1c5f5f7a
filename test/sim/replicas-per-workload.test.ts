import { afterEach, describe, expect, it } from 'vitest';
import { MeshSim } from '../../source/sim/mesh-sim.js';
import { K } from '../../source/sim/controllers/kinds.js';

// replicasPerWorkload: the benchmark's 50,000 workload rows (one pod per Deployment).
const APP_NAMESPACES = ['shop', 'payments', 'platform'];

describe('MeshSimOptions.replicasPerWorkload', () => {
  let sim: MeshSim | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  const appDeployments = (s: MeshSim) => s.clusters[0]!.store.list(K.deployments).filter((d) => APP_NAMESPACES.includes(d.metadata.namespace!));
  const appPods = (s: MeshSim) => s.clusters[0]!.store.list(K.pods).filter((p) => APP_NAMESPACES.includes(p.metadata.namespace!));

  it('makes one Deployment per pod with 1', async () => {
    sim = await MeshSim.start({ clusters: 1, podsPerCluster: 120, podStartDelayMs: 0, replicasPerWorkload: 1 });
    expect(appDeployments(sim)).toHaveLength(120);
    expect(appPods(sim)).toHaveLength(120);
  });

  it('keeps 10 per Deployment by default from 100 pods, and the pod count either way', async () => {
    sim = await MeshSim.start({ clusters: 1, podsPerCluster: 120, podStartDelayMs: 0 });
    expect(appDeployments(sim)).toHaveLength(12);
    expect(appPods(sim)).toHaveLength(120);
  });

  it('applies to the mesh scenarios too', async () => {
    sim = await MeshSim.start({ clusters: 2, podsPerCluster: 50, podStartDelayMs: 0, scenario: 'healthy', replicasPerWorkload: 25 });
    const frontend = sim.clusters[0]!.store.get(K.deployments, 'shop', 'frontend');
    expect((frontend?.['spec'] as { replicas: number }).replicas).toBe(25);
  });

  it('refuses a count that is not a positive integer', async () => {
    await expect(MeshSim.start({ clusters: 1, podsPerCluster: 10, podStartDelayMs: 0, replicasPerWorkload: 0 })).rejects.toThrow(/replicasPerWorkload/);
  });
});
