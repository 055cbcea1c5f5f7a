import type { SimCluster } from '../cluster/sim-cluster.js';
import { seedBaseCluster } from '../seed/base-cluster.js';
import { seedWorkloads } from '../seed/workloads.js';
import { healthy } from './healthy.js';
import { fresh } from './fresh.js';
import { broken } from './broken.js';

export interface ScenarioOptions {
  podsPerCluster: number;
  /** Pods per Deployment of the `podsPerCluster` workloads (default: 10, fewer for small clusters). */
  replicasPerWorkload?: number;
}

export interface Scenario {
  name: string;
  description: string;
  /** A scenario with a fixed topology sets its own cluster count. */
  clusterCount?: number;
  seed(clusters: SimCluster[], options: ScenarioOptions): void;
}

const plain: Scenario = {
  name: 'plain',
  description: 'Kubernetes only: system namespaces, nodes and application Deployments with Services; no Istio.',
  seed(clusters, { podsPerCluster, replicasPerWorkload }) {
    for (const cluster of clusters) {
      seedBaseCluster(cluster, Math.max(3, Math.ceil(podsPerCluster / 100)));
      seedWorkloads(cluster, podsPerCluster, replicasPerWorkload);
    }
  },
};

export const SCENARIOS: readonly Scenario[] = [plain, healthy, fresh, broken];

export class UnknownScenarioError extends Error {}

export function findScenario(name: string): Scenario {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new UnknownScenarioError(`unknown scenario "${name}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  return scenario;
}
