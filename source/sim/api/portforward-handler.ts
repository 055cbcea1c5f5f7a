import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { K } from '../controllers/kinds.js';
import type { KubeObject } from '../objects.js';
import type { ServingCluster } from './serving-cluster.js';
import { ApiError, notFound } from './status.js';

/**
 * `pods/<pod>/portforward` over WebSocket, as the kubelet serves it behind kube-apiserver
 * (pkg/kubelet/cri/streaming/portforward/websocket.go): subprotocol `v4.channel.k8s.io` (or none,
 * binary too); per requested port two channels, data (2i) and error (2i+1); every message starts
 * with its channel byte, and each channel first carries the port as two little-endian bytes. Data
 * written on a data channel reaches the pod's port; what the pod's server answers comes back on it.
 *
 * The pod's servers are the simulated ones registered with `setPodPort` (istiod's 15014): one HTTP
 * request per connection is answered (as `via: 'port-forward'`, arriving on the pod's loopback), then
 * the stream ends, as a server answering `Connection: close` ends it. A port nothing listens on gets
 * the kubelet's error on the error channel.
 */
export const PORT_FORWARD_PROTOCOLS = ['v4.channel.k8s.io'];

const wss = new WebSocketServer({
  noServer: true,
  // The kubelet also accepts v4.base64.channel.k8s.io (text frames); the simulator does not.
  handleProtocols: (protocols) => [...protocols].find((p) => PORT_FORWARD_PROTOCOLS.includes(p)) ?? false,
});

/** Writes an API error on a socket that was to be upgraded, as the API server answers a refused upgrade. */
export function refuseUpgrade(socket: Duplex, error: ApiError): void {
  const body = JSON.stringify(error.toStatus());
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' }[error.code] ?? 'Error';
  socket.end(`HTTP/1.1 ${error.code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export function parsePorts(query: URLSearchParams): number[] {
  const raw = query.getAll('ports').flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (raw.length === 0) throw new ApiError(400, 'BadRequest', 'at least 1 port must be specified');
  return raw.map((v) => {
    const port = Number(v);
    if (!/^\d+$/.test(v) || port < 1 || port > 65535) throw new ApiError(400, 'BadRequest', `unable to parse "${v}" as a port: must be between 1 and 65535, inclusive`);
    return port;
  });
}

/** After authentication and authorization (create pods/portforward): upgrades and serves the forwarded ports. */
export function servePortForward(cluster: ServingCluster, req: IncomingMessage, socket: Duplex, head: Buffer, namespace: string, podName: string, query: URLSearchParams, streams: { add(close: () => void): () => void }): void {
  const pod = cluster.store.get(K.pods, namespace, podName);
  if (!pod) throw notFound(K.pods, podName);
  const ports = parsePorts(query);
  const asked = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  if (asked.length > 0 && !asked.some((p) => PORT_FORWARD_PROTOCOLS.includes(p))) {
    throw new ApiError(400, 'BadRequest', `unable to upgrade connection: requested protocol(s) are not supported: [${asked.join(' ')}]; supports [${PORT_FORWARD_PROTOCOLS.join(' ')}]`);
  }
  if ((pod['status'] as { phase?: string } | undefined)?.phase !== 'Running') throw new ApiError(400, 'BadRequest', `pod ${podName} is not running`);
  wss.handleUpgrade(req, socket, head, (ws) => {
    const untrack = streams.add(() => ws.terminate());
    ws.on('close', untrack);
    forward(cluster, ws, pod, ports);
  });
}

const CHUNK = 32 * 1024;

function forward(cluster: ServingCluster, ws: WebSocket, pod: KubeObject, ports: number[]): void {
  const send = (channel: number, data: Buffer) => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), data]));
  };
  const open = new Set(ports.map((_, i) => i));
  const finish = (i: number) => {
    open.delete(i);
    if (open.size === 0 && ws.readyState === ws.OPEN) ws.close(1000);
  };
  ports.forEach((port, i) => {
    const bytes = Buffer.alloc(2);
    bytes.writeUInt16LE(port);
    send(2 * i, bytes);
    send(2 * i + 1, bytes);
  });
  const received = ports.map(() => Buffer.alloc(0));
  ws.on('message', (message: Buffer, isBinary: boolean) => {
    if (!isBinary || message.length === 0) return;
    const channel = message[0]!;
    const i = channel / 2;
    if (!Number.isInteger(i) || !open.has(i)) return;
    received[i] = Buffer.concat([received[i]!, message.subarray(1)]);
    const text = received[i]!.toString('latin1');
    const end = text.indexOf('\r\n\r\n');
    if (end < 0) return;
    const port = ports[i]!;
    const handler = cluster.podPort?.(pod, port);
    if (!handler) {
      send(2 * i + 1, Buffer.from(`error forwarding port ${port} to pod ${pod.metadata.uid ?? pod.metadata.name}, uid : failed to execute portforward in network namespace: failed to connect to localhost:${port} inside namespace: connection refused`));
      return finish(i);
    }
    const [method, target] = text.slice(0, text.indexOf('\r\n')).split(' ');
    const url = new URL(target ?? '/', 'http://localhost');
    const answer = method === 'GET' ? handler(url.pathname, url.searchParams, 'port-forward') : { status: 405, contentType: 'text/plain; charset=utf-8', body: 'Method Not Allowed\n' };
    const response = answer ?? { status: 503, contentType: 'text/plain; charset=utf-8', body: 'not ready\n' };
    const headers = [`HTTP/1.1 ${response.status} ${STATUS_TEXT[response.status] ?? ''}`.trimEnd(), `Date: ${cluster.now().toUTCString()}`, ...(response.contentType ? [`Content-Type: ${response.contentType}`] : []), `Content-Length: ${Buffer.byteLength(response.body)}`, 'Connection: close', '', ''];
    const bytes = Buffer.concat([Buffer.from(headers.join('\r\n'), 'latin1'), Buffer.from(response.body, 'utf8')]);
    for (let at = 0; at < bytes.length; at += CHUNK) send(2 * i, bytes.subarray(at, at + CHUNK));
    finish(i);
  });
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 401: 'Unauthorized', 404: 'Not Found', 405: 'Method Not Allowed', 503: 'Service Unavailable' };
