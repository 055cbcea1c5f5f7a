import type { ContextEntry } from '../../kube/kubeconfig.js';
import { connectContexts } from '../ca/connect.js';
import { readJoinState, type JoinState } from './live-state.js';
import type { KubeApi } from './types.js';

/** The API server address a context uses, as its kubeconfig writes it. */
export function contextServer(entry: ContextEntry): string {
  const cluster = entry.cluster['cluster'] as { server?: unknown } | undefined;
  return typeof cluster?.server === 'string' ? cluster.server : '';
}

/** The primary and remote contexts, connected (each with its own credentials only). */
export interface JoinPair {
  primary: ContextEntry;
  remote: ContextEntry;
  apis: Map<string, KubeApi>;
  read(): Promise<JoinState>;
}

export async function connectPair(primary: ContextEntry, remote: ContextEntry): Promise<JoinPair> {
  const apis = await connectContexts([primary, remote]);
  return {
    primary,
    remote,
    apis,
    read: () =>
      readJoinState(
        { cluster: primary.name, server: contextServer(primary), api: apis.get(primary.name)! },
        { cluster: remote.name, server: contextServer(remote), api: apis.get(remote.name)! },
      ),
  };
}
