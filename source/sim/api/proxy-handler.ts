import type { ServerResponse } from 'node:http';
import type { ResourceRoute } from './route.js';
import type { ServingCluster } from './serving-cluster.js';
import { ApiError, methodNotAllowed } from './status.js';

/** `services/[scheme:]<name>[:port]/proxy/<path>`: answered by the simulated service behind it, if any. */
export function handleServiceProxy(cluster: ServingCluster, res: ServerResponse, route: ResourceRoute, query: URLSearchParams): void {
  if (route.def.kind !== 'Service' || !route.name || !route.namespace) throw methodNotAllowed();
  const parts = route.name.split(':');
  const [service, port] = parts.length === 3 ? [parts[1]!, parts[2]!] : [parts[0]!, parts[1] ?? ''];
  cluster.api.get(route.def, route.namespace, service);
  const handler = cluster.serviceProxy(route.namespace, service, port);
  const answer = handler?.(`/${route.proxyPath ?? ''}`, query, 'service-proxy');
  if (!answer) throw new ApiError(503, 'ServiceUnavailable', `no endpoints available for service "${route.name}"`);
  // The backend's answer is passed on as it is (a real API server does too): a 401 from istiod stays istiod's.
  res.writeHead(answer.status, { ...(answer.contentType ? { 'Content-Type': answer.contentType } : {}), 'Content-Length': Buffer.byteLength(answer.body) });
  res.end(answer.body);
}
