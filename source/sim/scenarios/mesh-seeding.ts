import type { SimCluster } from '../cluster/sim-cluster.js';
import { K } from '../controllers/kinds.js';
import { seedBaseCluster } from '../seed/base-cluster.js';
import { seedWorkloads } from '../seed/workloads.js';
import { INJECTION_LABEL } from '../istio/constants.js';

/** Nodes and system namespaces, sized for the pods the cluster will hold. */
export function seedBase(cluster: SimCluster, podsPerCluster: number): void {
  seedBaseCluster(cluster, Math.max(3, Math.ceil(podsPerCluster / 100)));
}

/**
 * The plain application workloads of `--pods-per-cluster`, with the named namespaces labelled for
 * injection before their pods exist (the pods are made when the cluster settles).
 */
export function seedMeshWorkloads(cluster: SimCluster, podsPerCluster: number, injected: string[], replicasPerWorkload?: number): void {
  seedWorkloads(cluster, podsPerCluster, replicasPerWorkload);
  for (const name of injected) labelNamespace(cluster, name, { [INJECTION_LABEL]: 'enabled' });
}

export function labelNamespace(cluster: SimCluster, name: string, labels: Record<string, string>): void {
  const namespace = cluster.store.get(K.namespaces, undefined, name);
  if (!namespace) return;
  cluster.api.update(K.namespaces, undefined, name, { ...namespace, metadata: { ...namespace.metadata, labels: { ...namespace.metadata.labels, ...labels } } });
}

/** Settles every cluster until none has work left (a change in one can queue work in another). */
export function settleAll(clusters: SimCluster[]): void {
  for (let round = 0; round < 3; round++) for (const cluster of clusters) cluster.settle();
}
