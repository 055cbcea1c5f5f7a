import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject } from '../objects.js';
import { isJsonObject } from '../objects.js';
import type { ResourceRoute } from './route.js';
import type { ServingCluster } from './serving-cluster.js';
import type { UserInfo } from '../auth/user.js';
import { handleList, withVersion } from './list-handler.js';
import { handleWatch, type WatchRegistry } from './watch-handler.js';
import { decodeObjectBody, mediaType, parseBoolean, readBody, sendJson, wantsTable } from './http-io.js';
import { toTable } from '../tables/table.js';
import { handleScale } from './scale-handler.js';
import { handleTokenRequest } from './token-handler.js';
import { handleReview } from './review-handler.js';
import { handleLog } from './log-handler.js';
import { handleServiceProxy } from './proxy-handler.js';
import { selectorFilter } from './filter.js';
import type { DeleteOptions } from './resource-api.js';
import { badRequest, methodNotAllowed, successStatus } from './status.js';

export async function handleResource(
  cluster: ServingCluster,
  req: IncomingMessage,
  res: ServerResponse,
  route: ResourceRoute,
  query: URLSearchParams,
  user: UserInfo,
  watches: WatchRegistry,
): Promise<void> {
  const { def, namespace, name, subresource } = route;
  const method = req.method ?? 'GET';
  const dryRun = query.getAll('dryRun').includes('All');

  if (def.createOnly) {
    if (method !== 'POST' || name) throw methodNotAllowed();
    return handleReview(cluster, req, res, route, user, await readBody(req));
  }
  if (subresource === 'scale') return handleScale(cluster, req, res, route, await readBody(req));
  if (subresource === 'token') {
    if (method !== 'POST') throw methodNotAllowed();
    return handleTokenRequest(cluster, req, res, route, await readBody(req));
  }
  if (subresource === 'log') {
    if (method !== 'GET') throw methodNotAllowed();
    return handleLog(cluster, req, res, route, query);
  }
  if (subresource === 'proxy') return handleServiceProxy(cluster, res, route, query);
  // Only a WebSocket upgrade (http-server.ts) reaches a pod's ports.
  if (subresource === 'portforward') throw badRequest('Upgrade request required');

  const api = cluster.api;
  if (!name) {
    const watching = route.watchPath || parseBoolean(query.get('watch'));
    switch (method) {
      case 'GET':
        return watching ? handleWatch(cluster, req, res, route, query, watches) : handleList(cluster, req, res, route, query);
      case 'POST': {
        const body = decodeObjectBody(req, await readBody(req));
        const created = api.create(def, namespace, body, { dryRun });
        return sendJson(res, 201, withVersion(created, route));
      }
      case 'DELETE': {
        const options = deleteOptions(await readBody(req), query);
        const filter = selectorFilter(query);
        const deleted = cluster.store.list(def, namespace).filter(filter).map((object) => api.delete(def, object.metadata.namespace, object.metadata.name!, options));
        return sendJson(res, 200, { kind: `${def.kind}List`, apiVersion: withVersion(deleted[0] ?? { metadata: {} }, route).apiVersion ?? '', metadata: {}, items: deleted.map((o) => withVersion(o, route)) });
      }
      default:
        throw methodNotAllowed();
    }
  }
  if (route.watchPath) return handleWatch(cluster, req, res, route, query, watches);
  switch (method) {
    case 'GET':
      if (!subresource && wantsTable(req)) {
        // `kubectl get KIND NAME` asks for a one-row Table, printed with the same columns as a list.
        const object = api.get(def, namespace, name);
        const includeObject = (query.get('includeObject') ?? 'Metadata') as 'None' | 'Metadata' | 'Object';
        return sendJson(res, 200, toTable({ group: def.group, kind: def.kind, items: [object], now: cluster.now(), includeObject, resourceVersion: object.metadata.resourceVersion ?? '' }));
      }
      if (subresource === 'status' || !subresource) return sendJson(res, 200, withVersion(api.get(def, namespace, name), route));
      throw methodNotAllowed();
    case 'PUT': {
      const body = decodeObjectBody(req, await readBody(req));
      const updated = api.update(def, namespace, name, body, { dryRun, ...(subresource ? { subresource } : {}) });
      return sendJson(res, 200, withVersion(updated, route));
    }
    case 'PATCH': {
      const body = (await readBody(req)).toString('utf8');
      const patched = api.patch(def, namespace, name, mediaType(req), body, { dryRun, ...(subresource ? { subresource } : {}) });
      return sendJson(res, 200, withVersion(patched, route));
    }
    case 'DELETE': {
      const options = deleteOptions(await readBody(req), query);
      const deleted = api.delete(def, namespace, name, options);
      // Objects that linger (finalizers, namespaces) come back as the object; others as a Success status.
      const stillThere = cluster.store.get(def, namespace, name);
      return sendJson(res, 200, stillThere ? withVersion(stillThere, route) : dryRun ? withVersion(deleted, route) : successStatus(def, deleted));
    }
    default:
      throw methodNotAllowed();
  }
}

function deleteOptions(body: Buffer, query: URLSearchParams): DeleteOptions {
  let parsed: JsonObject = {};
  if (body.length > 0) {
    try {
      const value = JSON.parse(body.toString('utf8'));
      if (isJsonObject(value)) parsed = value;
    } catch {
      throw badRequest('the DeleteOptions body is not valid JSON');
    }
  }
  const options: DeleteOptions = {};
  const policy = (parsed['propagationPolicy'] ?? query.get('propagationPolicy') ?? undefined) as DeleteOptions['propagationPolicy'] | undefined;
  if (policy) options.propagationPolicy = policy;
  if (isJsonObject(parsed['preconditions'])) options.preconditions = parsed['preconditions'] as DeleteOptions['preconditions'];
  const dryRun = parsed['dryRun'];
  if ((Array.isArray(dryRun) && dryRun.includes('All')) || query.getAll('dryRun').includes('All')) options.dryRun = true;
  return options;
}
