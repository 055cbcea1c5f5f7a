import type { ContextEntry } from './kubeconfig.js';
import { commandCredentials, needsClientNode } from './context-credentials.js';
import { ClusterTransport } from './transport.js';

/**
 * One transport per context, each built from that context alone (so one cluster's credentials never
 * reach another), with the cockpit's credentials: client-node is imported only when a context needs it.
 * A context that cannot be used fails each of its requests with the reason.
 */
export async function contextTransports(contexts: ContextEntry[]): Promise<Map<string, ClusterTransport>> {
  const clientNode = contexts.some(needsClientNode) ? await import('@kubernetes/client-node') : undefined;
  return new Map(contexts.map((entry) => [entry.name, new ClusterTransport(commandCredentials(entry, clientNode))]));
}
