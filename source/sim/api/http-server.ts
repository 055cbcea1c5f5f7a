import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { refuseUpgrade, servePortForward } from './portforward-handler.js';
import type { ServingCertificate } from '../tls.js';
import type { UserInfo } from '../auth/user.js';
import { authorize, type Attributes } from '../auth/rbac.js';
import type { ServingCluster } from './serving-cluster.js';
import { resolveResourcePath, type ResourceRoute } from './route.js';
import { apiGroupFor, apiGroupList, apiResourceList, coreVersions, versionInfo } from './discovery.js';
import { openApiGroupVersion, openApiRoot } from './openapi.js';
import { handleResource } from './resource-handler.js';
import { parseBoolean, sendError, sendJson } from './http-io.js';
import { ApiError, forbidden, pathNotFound, unauthorized } from './status.js';

/** Lets the simulator's fault injection delay or refuse requests before they are served. */
export type RequestGate = (req: IncomingMessage) => Promise<ApiError | undefined>;

export interface ApiServer {
  server: Server;
  /** Ends every open watch stream (the API server going away, or an injected fault); returns how many. */
  closeStreams(): number;
}

export function createApiServer(cluster: ServingCluster, certificate: ServingCertificate, gate?: RequestGate): ApiServer {
  const streams = new Set<() => void>();
  const watches = {
    add(close: () => void) {
      streams.add(close);
      return () => streams.delete(close);
    },
  };
  const server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (req, res) => {
    serve(cluster, req, res, watches, gate).catch((error: unknown) => {
      sendError(res, error instanceof ApiError ? error : new ApiError(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`));
    });
  });
  // pods/portforward: a WebSocket upgrade, authenticated and authorized (create pods/portforward) as any request.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    upgrade(cluster, req, socket, head, watches, gate).catch((error: unknown) => {
      refuseUpgrade(socket, error instanceof ApiError ? error : new ApiError(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`));
    });
  });
  // Watches and followed logs are long-lived; Node's default request timeout would cut them.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 65_000;
  return {
    server,
    closeStreams() {
      const open = [...streams];
      for (const close of open) close();
      return open.length;
    },
  };
}

async function serve(cluster: ServingCluster, req: IncomingMessage, res: ServerResponse, watches: { add(close: () => void): () => void }, gate?: RequestGate): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://sim');
  const path = url.pathname;
  if (gate) {
    const refusal = await gate(req);
    if (refusal) throw refusal;
  }
  if (path === '/healthz' || path === '/livez' || path === '/readyz') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
    return;
  }
  const authenticated = authenticate(cluster, req);
  if (!authenticated) throw unauthorized();
  const user = impersonate(cluster, req, authenticated);

  const route = resolveResourcePath(path);
  if (!route) {
    if (!authorize(user, { verb: nonResourceVerb(req), path }, cluster.rbac)) throw new ApiError(403, 'Forbidden', `forbidden: User "${user.username}" cannot get path "${path}"`);
    return serveNonResource(cluster, req, res, path);
  }
  const attributes = resourceAttributes(req, route, url.searchParams);
  if (!authorize(user, attributes, cluster.rbac)) {
    throw forbidden(user.username, attributes.verb, route.def, route.namespace, route.name);
  }
  await handleResource(cluster, req, res, route, url.searchParams, user, watches);
}

async function upgrade(cluster: ServingCluster, req: IncomingMessage, socket: Duplex, head: Buffer, watches: { add(close: () => void): () => void }, gate?: RequestGate): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://sim');
  if (gate) {
    const refusal = await gate(req);
    if (refusal) throw refusal;
  }
  const authenticated = authenticate(cluster, req);
  if (!authenticated) throw unauthorized();
  const user = impersonate(cluster, req, authenticated);
  const route = resolveResourcePath(url.pathname);
  if (!route || route.def.kind !== 'Pod' || route.subresource !== 'portforward' || !route.name || !route.namespace || req.method !== 'GET') {
    throw new ApiError(400, 'BadRequest', `the server does not upgrade ${url.pathname}: only pods/<name>/portforward is served over WebSocket`);
  }
  // A WebSocket GET is authorized as get, and (kube-apiserver 1.35+, AuthorizePodWebsocketUpgradeCreatePermission)
  // also needs create, the verb kubectl's SPDY POST has always needed.
  for (const verb of ['get', 'create']) {
    const attributes: Attributes = { verb, group: '', resource: 'pods', subresource: 'portforward', namespace: route.namespace, name: route.name };
    if (!authorize(user, attributes, cluster.rbac)) {
      throw new ApiError(403, 'Forbidden', `pods "${route.name}" is forbidden: User "${user.username}" cannot ${verb} resource "pods/portforward" in API group "" in the namespace "${route.namespace}"`, { name: route.name, kind: 'pods' });
    }
  }
  servePortForward(cluster, req, socket, head, route.namespace, route.name, url.searchParams, watches);
}

function authenticate(cluster: ServingCluster, req: IncomingMessage): UserInfo | undefined {
  const header = String(req.headers['authorization'] ?? '');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? cluster.authenticate(match[1]!) : undefined;
}

/** `kubectl --as/--as-group`: act as another user when allowed to impersonate, as the real server does. */
function impersonate(cluster: ServingCluster, req: IncomingMessage, user: UserInfo): UserInfo {
  const asUser = req.headers['impersonate-user'];
  if (typeof asUser !== 'string' || asUser === '') return user;
  const rawGroups = req.headers['impersonate-group'];
  const groups = rawGroups === undefined ? [] : Array.isArray(rawGroups) ? rawGroups : [rawGroups];
  const checks: Attributes[] = [{ verb: 'impersonate', group: '', resource: 'users', name: asUser }, ...groups.map((group) => ({ verb: 'impersonate', group: '', resource: 'groups', name: group }))];
  for (const check of checks) {
    if (!authorize(user, check, cluster.rbac)) {
      throw new ApiError(403, 'Forbidden', `${check.resource} "${check.name}" is forbidden: User "${user.username}" cannot impersonate resource "${check.resource}" in API group "" at the cluster scope`);
    }
  }
  return { username: asUser, groups: [...groups, 'system:authenticated'] };
}

function serveNonResource(cluster: ServingCluster, req: IncomingMessage, res: ServerResponse, path: string): void {
  if (req.method !== 'GET') throw pathNotFound();
  const trimmed = path.replace(/\/+$/, '') || '/';
  if (trimmed === '/version') return sendJson(res, 200, versionInfo(cluster.version));
  if (trimmed === '/api') return sendJson(res, 200, coreVersions(cluster.address().replace(/^https:\/\//, '')));
  if (trimmed === '/apis') return sendJson(res, 200, apiGroupList());
  if (trimmed === '/openapi/v3') return sendJson(res, 200, openApiRoot());
  const parts = trimmed.split('/').filter(Boolean);
  if (parts[0] === 'openapi' && parts[1] === 'v3') {
    const document = openApiGroupVersion(parts.slice(2).join('/'));
    if (document) return sendJson(res, 200, document);
    throw pathNotFound();
  }
  if (parts[0] === 'api' && parts.length === 2) {
    const list = apiResourceList('', parts[1]!);
    if (list) return sendJson(res, 200, list);
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const group = apiGroupFor(parts[1]!);
    if (group) return sendJson(res, 200, group);
  }
  if (parts[0] === 'apis' && parts.length === 3) {
    const list = apiResourceList(parts[1]!, parts[2]!);
    if (list) return sendJson(res, 200, list);
  }
  throw pathNotFound();
}

function nonResourceVerb(req: IncomingMessage): string {
  return (req.method ?? 'GET').toLowerCase();
}

function resourceAttributes(req: IncomingMessage, route: ResourceRoute, query: URLSearchParams): Attributes {
  const method = req.method ?? 'GET';
  let verb: string;
  if (method === 'GET' || method === 'HEAD') verb = route.name ? (route.watchPath ? 'watch' : 'get') : route.watchPath || parseBoolean(query.get('watch')) ? 'watch' : 'list';
  else if (method === 'POST') verb = 'create';
  else if (method === 'PUT') verb = 'update';
  else if (method === 'PATCH') verb = 'patch';
  else if (method === 'DELETE') verb = route.name ? 'delete' : 'deletecollection';
  else verb = method.toLowerCase();
  const attributes: Attributes = { verb, group: route.def.group, resource: route.def.plural };
  if (route.subresource) attributes.subresource = route.subresource;
  if (route.namespace) attributes.namespace = route.namespace;
  if (route.name) attributes.name = route.subresource === 'proxy' ? route.name.split(':').at(-2) ?? route.name : route.name;
  return attributes;
}
