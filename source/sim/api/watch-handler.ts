import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject, KubeObject } from '../objects.js';
import { apiVersionOf } from '../resources/types.js';
import type { StoreEvent } from '../store/object-store.js';
import { toTable } from '../tables/table.js';
import type { ResourceRoute } from './route.js';
import type { ServingCluster } from './serving-cluster.js';
import { selectorFilter } from './filter.js';
import { parseBoolean, parseListInt, wantsTable } from './http-io.js';
import { withVersion } from './list-handler.js';
import { gone, invalidResourceVersion } from './status.js';

type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

// A client that stops reading gets its watch closed rather than growing the server's memory, as the
// real API server does with slow watchers.
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export interface WatchRegistry {
  add(close: () => void): () => void;
}

/**
 * Streams watch events as JSON lines. Events written to the store before the request are replayed
 * from history (or answered with a 410 ERROR event when compacted), later ones follow live; both
 * happen in one synchronous step, so no event can fall between them.
 */
export function handleWatch(cluster: ServingCluster, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, query: URLSearchParams, registry: WatchRegistry): void {
  const { def } = route;
  const filter = selectorFilter(query, route.name);
  const rvParam = query.get('resourceVersion') ?? '';
  if (rvParam !== '' && !/^\d+$/.test(rvParam)) throw invalidResourceVersion(rvParam, 'watch');
  const timeoutSeconds = parseListInt(query, 'timeoutSeconds');
  const bookmarks = parseBoolean(query.get('allowWatchBookmarks'));
  const asTable = wantsTable(req);
  const includeObject = (query.get('includeObject') ?? 'Metadata') as 'None' | 'Metadata' | 'Object';
  let columnsSent = false;
  let pending: string[] = [];
  let flushScheduled = false;
  let closed = false;

  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();

  const encode = (type: WatchType, object: JsonObject): string => {
    if (!asTable || type === 'BOOKMARK' || type === 'ERROR') return JSON.stringify({ type, object }) + '\n';
    const table = toTable({ group: def.group, kind: def.kind, items: [object as KubeObject], now: cluster.now(), includeObject, resourceVersion: String((object as KubeObject).metadata.resourceVersion ?? '') });
    if (columnsSent) table['columnDefinitions'] = [];
    columnsSent = true;
    return JSON.stringify({ type, object: table }) + '\n';
  };
  const flush = () => {
    flushScheduled = false;
    if (closed || pending.length === 0) return;
    const chunk = pending.join('');
    pending = [];
    res.write(chunk);
    if (res.writableLength > MAX_BUFFERED_BYTES) close();
  };
  const send = (type: WatchType, object: JsonObject) => {
    if (closed) return;
    pending.push(encode(type, object));
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };
  const deliver = (event: StoreEvent) => {
    if (event.def !== def) return;
    if (route.namespace && event.object.metadata.namespace !== route.namespace) return;
    const matchesNow = filter(event.object);
    const matchedBefore = event.previous ? filter(event.previous) : false;
    const object = withVersion(event.object, route);
    if (event.type === 'MODIFIED') {
      if (matchesNow && matchedBefore) send('MODIFIED', object);
      else if (matchesNow) send('ADDED', object);
      // An object that stopped matching leaves as it was while it matched, at the version of the change
      // (the watch cache does this), so the client sees the labels that had selected it.
      else if (matchedBefore) send('DELETED', withVersion({ ...event.previous!, metadata: { ...event.previous!.metadata, resourceVersion: String(event.revision) } }, route));
    } else if (matchesNow) {
      send(event.type, object);
    }
  };

  let timers: NodeJS.Timeout[] = [];
  let unsubscribe = () => {};
  let unregister = () => {};
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    unregister();
    for (const timer of timers) clearTimeout(timer);
    timers = [];
    if (pending.length > 0 && !res.destroyed) res.write(pending.join(''));
    pending = [];
    res.end();
  };
  unregister = registry.add(close);
  req.on('close', close);
  res.on('error', close);

  if (rvParam === '' || rvParam === '0') {
    for (const object of cluster.store.list(def, route.namespace)) if (filter(object)) send('ADDED', withVersion(object, route));
  } else {
    const history = cluster.store.eventsSince(Number(rvParam));
    if (!history) {
      send('ERROR', gone(rvParam, cluster.store.oldestResumableVersion).toStatus());
      setImmediate(close);
      return;
    }
    for (const event of history) deliver(event);
  }
  unsubscribe = cluster.store.subscribe(deliver);

  if (timeoutSeconds !== undefined && timeoutSeconds > 0) timers.push(setTimeout(close, timeoutSeconds * 1000));
  if (bookmarks) {
    timers.push(
      setInterval(() => {
        send('BOOKMARK', { kind: def.kind, apiVersion: apiVersionOf(def, route.version), metadata: { resourceVersion: String(cluster.store.resourceVersion) } });
      }, cluster.bookmarkIntervalMs).unref(),
    );
  }
}
