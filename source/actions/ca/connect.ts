import type { ContextEntry } from '../../kube/kubeconfig.js';
import { singleContextYaml } from '../../kube/kubeconfig.js';
import { ClusterTransport } from '../../kube/transport.js';
import { describeError } from '../../kube/errors.js';
import { readCaState } from './live-state.js';
import type { ClusterRead } from './verify.js';
import type { KubeApi } from './types.js';

/**
 * One transport per context, each built from that context alone (so one cluster's credentials never
 * reach another). client-node is imported here, on first use, not when meshdeck starts.
 */
export async function connectContexts(contexts: ContextEntry[]): Promise<Map<string, KubeApi>> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const apis = new Map<string, KubeApi>();
  for (const entry of contexts) {
    const config = new KubeConfig();
    config.loadFromString(singleContextYaml(entry));
    apis.set(entry.name, new ClusterTransport(config));
  }
  return apis;
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
