import type { ContextEntry } from '../../kube/kubeconfig.js';
import { contextTransports } from '../../kube/context-transports.js';
import { describeError } from '../../kube/errors.js';
import { readCaState } from './live-state.js';
import type { ClusterRead } from './verify.js';
import type { KubeApi } from './types.js';

/** The transports of `contexts` (see contextTransports), as the engines' KubeApi. */
export async function connectContexts(contexts: ContextEntry[]): Promise<Map<string, KubeApi>> {
  return contextTransports(contexts);
}

/** Reads every cluster's CA objects side by side; a cluster that fails is reported, not thrown. */
export async function readClusters(apis: Map<string, KubeApi>): Promise<ClusterRead[]> {
  return Promise.all(
    [...apis].map(async ([cluster, api]): Promise<ClusterRead> => {
      try {
        return { state: await readCaState(cluster, api) };
      } catch (error) {
        return { cluster, error: describeError(error) };
      }
    }),
  );
}
