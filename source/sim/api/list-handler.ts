import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject, KubeObject } from '../objects.js';
import { apiVersionOf } from '../resources/types.js';
import { keyOf } from '../store/object-store.js';
import { toTable } from '../tables/table.js';
import type { ResourceRoute } from './route.js';
import type { ServingCluster } from './serving-cluster.js';
import { selectorFilter } from './filter.js';
import { parseListInt, sendJson, wantsTable } from './http-io.js';
import { ApiError, badRequest, invalidResourceVersion } from './status.js';

interface ContinueToken {
  rv: number;
  start: string;
}

export function handleList(cluster: ServingCluster, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, query: URLSearchParams): void {
  const { def } = route;
  const filter = selectorFilter(query);
  const rvParam = query.get('resourceVersion') ?? '';
  if (rvParam !== '' && !/^\d+$/.test(rvParam)) throw invalidResourceVersion(rvParam, 'list');
  const limit = parseListInt(query, 'limit');
  const token = query.get('continue') ? decodeContinue(query.get('continue')!) : undefined;
  const expired = () =>
    new ApiError(
      410,
      'Expired',
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results.',
    );
  if (token && token.rv < cluster.store.oldestResumableVersion) throw expired();
  const listVersion = token?.rv ?? cluster.store.resourceVersion;
  // Later pages show the list as it was at the first page, as etcd serves them (a consistent snapshot).
  const all = token ? cluster.store.listAt(def, route.namespace, token.rv) : cluster.store.list(def, route.namespace);
  if (!all) throw expired();
  const items: KubeObject[] = [];
  let remaining = 0;
  let lastKey: string | undefined;
  for (const object of all) {
    const key = keyOf(def, object.metadata.namespace, object.metadata.name!);
    if (token && key <= token.start) continue;
    if (!filter(object)) continue;
    if (limit && items.length >= limit) {
      remaining++;
      continue;
    }
    items.push(object);
    lastKey = key;
  }
  const continueToken = remaining > 0 && lastKey !== undefined ? encodeContinue({ rv: listVersion, start: lastKey }) : undefined;
  const metadata: JsonObject = { resourceVersion: String(listVersion) };
  // etcd can count what is left only without a selector; with one, kube-apiserver leaves the count out.
  const selective = Boolean(query.get('labelSelector') || query.get('fieldSelector'));
  if (continueToken) {
    metadata['continue'] = continueToken;
    if (!selective) metadata['remainingItemCount'] = remaining;
  }
  if (wantsTable(req)) {
    const includeObject = (query.get('includeObject') ?? 'Metadata') as 'None' | 'Metadata' | 'Object';
    sendJson(res, 200, toTable({
      group: def.group,
      kind: def.kind,
      items,
      now: cluster.now(),
      includeObject,
      resourceVersion: String(listVersion),
      ...(continueToken ? { continueToken, ...(selective ? {} : { remainingItemCount: remaining }) } : {}),
    }));
    return;
  }
  sendJson(res, 200, { kind: `${def.kind}List`, apiVersion: apiVersionOf(def, route.version), metadata, items: items.map((item) => withVersion(item, route)) });
}

/** Objects are stored at the preferred version; served at the version the client asked for. */
export function withVersion(object: KubeObject, route: ResourceRoute): KubeObject {
  const apiVersion = apiVersionOf(route.def, route.version);
  return object.apiVersion === apiVersion ? object : { ...object, apiVersion };
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(raw: string): ContinueToken {
  try {
    const token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof token.rv === 'number' && typeof token.start === 'string') return token;
  } catch {
    // fall through to the error below
  }
  throw badRequest('invalid continue token: continue key is not valid: it is not a token this server made');
}
