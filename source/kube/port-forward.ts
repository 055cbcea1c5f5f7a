import type { IncomingMessage } from 'node:http';
import { describeError, statusError, type KubeRequestError } from './errors.js';
import type { WebSocketTlsOptions } from './transport.js';

/** What a port-forward needs of a cluster: a ClusterTransport, or anything that opens WebSockets like it. */
export interface WebSocketSource {
  webSocketTarget(path: string): Promise<{ url: string; options: WebSocketTlsOptions }>;
}

/** The subprotocol of kube-apiserver's WebSocket port-forward (and the kubelet's behind it). */
export const PORT_FORWARD_PROTOCOL = 'v4.channel.k8s.io';

export interface PodHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * A port-forward that failed, and where: `upgrade` (the API server refused the WebSocket: `status`
 * is its answer, e.g. 403 without `create pods/portforward`, or it could not be reached), `forward`
 * (the kubelet could not reach the port: its error channel), `http` (the answer was no HTTP response,
 * or it did not come in time).
 */
export class PortForwardError extends Error {
  constructor(
    message: string,
    readonly stage: 'upgrade' | 'forward' | 'http',
    readonly status?: number,
    readonly refusal?: KubeRequestError,
  ) {
    super(message);
  }
}

export function portForwardPath(namespace: string, pod: string, port: number): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/portforward?ports=${port}`;
}

/**
 * One HTTP GET to `port` of `pod`, through the API server's pods/portforward over WebSocket (as
 * `kubectl port-forward` and istioctl reach istiod): the request arrives on the pod's own loopback.
 * Writes `GET path` with `Connection: close` on the port's data channel (0) and reads the answer until
 * the stream ends (or its Content-Length is in); the error channel (1) carries the kubelet's failure.
 */
export async function podHttpGet(source: WebSocketSource, namespace: string, pod: string, port: number, path: string, timeoutMs = 5_000): Promise<PodHttpResponse> {
  const forwardPath = portForwardPath(namespace, pod, port);
  const { url, options } = await source.webSocketTarget(forwardPath);
  const { default: WebSocket } = await import('ws');
  return new Promise<PodHttpResponse>((resolve, reject) => {
    let settled = false;
    const ws = new WebSocket(url, [PORT_FORWARD_PROTOCOL], { ...options, handshakeTimeout: timeoutMs, perMessageDeflate: false, followRedirects: false });
    const timer = setTimeout(() => fail(new PortForwardError(`port-forward to ${pod}:${port}: no answer to GET ${path} within ${timeoutMs / 1000} s`, 'http')), timeoutMs);
    const done = (result: PodHttpResponse | undefined, error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.terminate();
      if (error) reject(error);
      else resolve(result!);
    };
    const fail = (error: Error) => done(undefined, error);
    const prefixSeen = [false, false];
    let data = Buffer.alloc(0);
    let errorText = '';

    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const cause = statusError(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), undefined, forwardPath);
        fail(new PortForwardError(`the API server refused the port-forward to ${pod}:${port} (${cause.message})`, 'upgrade', res.statusCode, cause));
      });
      res.on('error', (error) => fail(new PortForwardError(`port-forward to ${pod}:${port}: ${describeError(error)}`, 'upgrade')));
    });
    ws.on('open', () => {
      if (ws.protocol !== PORT_FORWARD_PROTOCOL) {
        fail(new PortForwardError(`the API server offered the port-forward to ${pod}:${port} as "${ws.protocol}", not ${PORT_FORWARD_PROTOCOL}`, 'upgrade'));
        return;
      }
      const request = `GET ${path} HTTP/1.1\r\nHost: localhost:${port}\r\nUser-Agent: meshdeck\r\nAccept: application/json\r\nConnection: close\r\n\r\n`;
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(request, 'latin1')]));
    });
    ws.on('message', (message: Buffer, isBinary: boolean) => {
      if (!isBinary || message.length === 0) return;
      const channel = message[0]!;
      let payload = message.subarray(1);
      if (channel > 1) return;
      // Each channel starts with the forwarded port, two bytes little-endian.
      if (!prefixSeen[channel]) {
        prefixSeen[channel] = true;
        payload = payload.subarray(2);
      }
      if (channel === 1) {
        errorText += payload.toString('utf8');
        return;
      }
      data = Buffer.concat([data, payload]);
      const parsed = parseHttpResponse(data, false);
      if (parsed) done(parsed);
    });
    ws.on('close', () => {
      if (settled) return;
      if (errorText) return fail(new PortForwardError(`port-forward to ${pod}:${port} failed: ${errorText.trim().slice(0, 300)}`, 'forward'));
      const parsed = parseHttpResponse(data, true);
      if (parsed) return done(parsed);
      fail(new PortForwardError(data.length === 0 ? `port-forward to ${pod}:${port}: the stream ended without an answer to GET ${path}` : `port-forward to ${pod}:${port}: the answer to GET ${path} is not an HTTP response`, 'http'));
    });
    ws.on('error', (error: Error) => {
      fail(new PortForwardError(`port-forward to ${pod}:${port}: ${describeError(error)}`, settled || ws.readyState === ws.OPEN ? 'http' : 'upgrade'));
    });
  });
}

/**
 * An HTTP/1.1 response from raw bytes: once complete (Content-Length reached, the last chunk of a
 * chunked body), or at the end of the stream (`ended`: a body without a length runs until the close).
 */
export function parseHttpResponse(bytes: Buffer, ended: boolean): PodHttpResponse | undefined {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const lines = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!match) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = bytes.subarray(headEnd + 4);
  const status = Number(match[1]);
  if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) {
    const body = dechunk(rest);
    if (body) return { status, headers, body: body.toString('utf8') };
    return ended ? { status, headers, body: rest.toString('utf8') } : undefined;
  }
  const length = headers['content-length'] !== undefined ? Number(headers['content-length']) : undefined;
  if (length !== undefined && Number.isFinite(length)) {
    if (rest.length >= length) return { status, headers, body: rest.subarray(0, length).toString('utf8') };
    return undefined;
  }
  return ended ? { status, headers, body: rest.toString('utf8') } : undefined;
}

/** A complete chunked body, or undefined while the last (zero) chunk has not come. */
function dechunk(bytes: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1').split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size)) return undefined;
    if (size === 0) return Buffer.concat(parts);
    const start = lineEnd + 2;
    if (bytes.length < start + size + 2) return undefined;
    parts.push(bytes.subarray(start, start + size));
    at = start + size + 2;
  }
}
