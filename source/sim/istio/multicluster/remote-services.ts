import type { KubeObject } from '../../objects.js';
import { getRemote } from './remote-probe.js';
import type { RemoteAccess } from './remote-secrets.js';

/**
 * istiod's Kubernetes registry needs both lists to sync a cluster: Services for the hosts and
 * EndpointSlices for their endpoints. A reader that may not list either contributes no services.
 */
const LISTS = [
  { path: '/api/v1/services', what: 'services' },
  { path: '/apis/discovery.k8s.io/v1/endpointslices?limit=500', what: 'endpointslices.discovery.k8s.io' },
] as const;

export type RemoteServices = { services: KubeObject[] } | { error: string };

/** Lists the remote cluster's Services with the remote secret's credentials, as istiod's informers do. */
export async function readRemoteServices(access: RemoteAccess, timeoutMs: number): Promise<RemoteServices> {
  let services: KubeObject[] = [];
  for (const list of LISTS) {
    const answer = await getRemote(access, list.path, timeoutMs);
    if ('failure' in answer) return { error: answer.failure.error ?? 'no answer' };
    // Worded as client-go logs a failed list of its reflector.
    if (answer.code === 403) return { error: `failed to list *v1.${list.what === 'services' ? 'Service' : 'EndpointSlice'}: ${list.what} is forbidden: the remote secret's credentials cannot list resource "${list.what.split('.')[0]}" at the cluster scope` };
    if (answer.code !== 200) return { error: `failed to list ${list.what}: the server responded with the status code ${answer.code}` };
    if (list.what === 'services') {
      try {
        services = ((JSON.parse(answer.body) as { items?: KubeObject[] }).items ?? []);
      } catch {
        return { error: 'failed to list services: the answer is not JSON' };
      }
    }
  }
  return { services };
}
