import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject } from '../objects.js';
import type { ResourceRoute } from './route.js';
import type { LogOptions, ServingCluster } from './serving-cluster.js';
import { parseBoolean, parseNonNegativeInt } from './http-io.js';
import { badRequest, methodNotAllowed } from './status.js';

/** `GET pods/<name>/log`: raw text, optionally followed, as kubectl logs expects it. */
export function handleLog(cluster: ServingCluster, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, query: URLSearchParams): void {
  const { def, namespace, name } = route;
  if (!name) throw methodNotAllowed();
  const pod = cluster.api.get(def, namespace, name);
  const spec = (pod['spec'] as JsonObject | undefined) ?? {};
  const containers = ((spec['containers'] as JsonObject[] | undefined) ?? []).map((c) => String(c['name']));
  const initContainers = ((spec['initContainers'] as JsonObject[] | undefined) ?? []).map((c) => String(c['name']));
  let container = query.get('container') ?? '';
  if (!container) {
    if (containers.length !== 1) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}] or one of the init containers: [${initContainers.join(' ')}]`);
    container = containers[0]!;
  }
  if (!containers.includes(container) && !initContainers.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const status = (pod['status'] as JsonObject | undefined) ?? {};
  const statuses = [...((status['containerStatuses'] as JsonObject[] | undefined) ?? []), ...((status['initContainerStatuses'] as JsonObject[] | undefined) ?? [])];
  const containerStatus = statuses.find((s) => s['name'] === container);
  const waiting = (containerStatus?.['state'] as JsonObject | undefined)?.['waiting'] as JsonObject | undefined;
  if (!containerStatus || (waiting && !containerStatus['lastState'])) {
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${String(waiting?.['reason'] ?? 'ContainerCreating')}`);
  }
  const previous = parseBoolean(query.get('previous'));
  if (previous && !((containerStatus['restartCount'] as number | undefined) ?? 0)) {
    throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
  }
  const sinceTimeRaw = query.get('sinceTime');
  const sinceTime = sinceTimeRaw ? new Date(sinceTimeRaw) : undefined;
  if (sinceTime && Number.isNaN(sinceTime.getTime())) throw badRequest(`invalid sinceTime: ${JSON.stringify(sinceTimeRaw)}`);
  const options: LogOptions = { container, follow: parseBoolean(query.get('follow')), timestamps: parseBoolean(query.get('timestamps')), previous };
  const tailLines = parseNonNegativeInt(query, 'tailLines');
  const sinceSeconds = parseNonNegativeInt(query, 'sinceSeconds');
  const limitBytes = parseNonNegativeInt(query, 'limitBytes');
  if (tailLines !== undefined) options.tailLines = tailLines;
  if (sinceSeconds !== undefined) options.sinceSeconds = sinceSeconds;
  if (sinceTime) options.sinceTime = sinceTime;
  if (limitBytes !== undefined) options.limitBytes = limitBytes;

  const stream = cluster.logs.open(pod, options);
  const cutoff = sinceTime ?? (sinceSeconds !== undefined ? new Date(cluster.now().getTime() - sinceSeconds * 1000) : undefined);
  let backlog = stream.backlog.filter((entry) => !cutoff || entry.time >= cutoff);
  if (tailLines !== undefined) backlog = tailLines === 0 ? [] : backlog.slice(-tailLines);
  let budget = limitBytes ?? Infinity;
  const format = (entry: { time: Date; line: string }) => (options.timestamps ? `${rfc3339Nano(entry.time)} ${entry.line}\n` : `${entry.line}\n`);

  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  const write = (text: string | Buffer): boolean => {
    if (budget <= 0) return false;
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    const piece = bytes.length > budget ? bytes.subarray(0, budget) : bytes;
    budget -= piece.length;
    res.write(piece);
    return budget > 0;
  };
  let open = true;
  for (const entry of backlog) if (!write(format(entry))) open = false;
  if (!options.follow || !open) {
    res.end();
    return;
  }
  res.flushHeaders();
  let stopFollowing = () => {};
  let unsubscribe = () => {};
  const finish = () => {
    stopFollowing();
    unsubscribe();
    if (!res.writableEnded) res.end();
  };
  const cut = cluster.streamFaults?.cutFollowedLog?.(pod, container);
  stopFollowing = stream.follow((entry) => {
    if (cut) {
      // An injected fault: half of the next line, then the stream ends (or the connection drops).
      const text = Buffer.from(format(entry));
      const half = text.subarray(0, Math.max(1, Math.floor(text.length / 2)));
      stopFollowing();
      unsubscribe();
      if (cut.abort) {
        // Reset only once the half line is on the wire.
        res.write(half, () => res.destroy());
      } else {
        write(half);
        res.end();
      }
      return;
    }
    if (!write(format(entry))) finish();
  });
  // A followed log ends when its pod goes away, as the kubelet's stream does.
  const uid = pod.metadata.uid;
  unsubscribe = cluster.store.subscribe((event) => {
    if (event.def === def && event.type === 'DELETED' && event.object.metadata.uid === uid) finish();
  });
  req.on('close', finish);
}

export function rfc3339Nano(time: Date): string {
  return time.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}
