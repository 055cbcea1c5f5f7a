import { request, type RequestOptions } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { MeshSim } from '../../source/sim/mesh-sim.js';

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  elapsedMs: number;
}

function options(sim: MeshSim, cluster: string, path: string, method: string): RequestOptions {
  const target = sim.cluster(cluster);
  const url = new URL(path, target.address());
  return {
    method,
    hostname: url.hostname,
    port: url.port,
    path: url.pathname + url.search,
    ca: sim.certificate.caCertPem,
    // A new connection per request, so a cluster that went down refuses it.
    agent: false,
    headers: { Authorization: `Bearer ${target.adminToken}`, Accept: 'application/json', 'Content-Type': 'application/json' },
  };
}

/** One request to a simulated API server, over real HTTPS with the kubeconfig's admin token. */
export function apiRequest(sim: MeshSim, cluster: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<HttpResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(options(sim, cluster, path, init.method ?? 'GET'), (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, elapsedMs: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body === undefined ? undefined : JSON.stringify(init.body));
  });
}

export interface HttpStream {
  /** Everything received so far. */
  text(): string;
  /** Resolves when the response ends (cleanly, or with the error that cut it). */
  ended: Promise<{ error?: Error }>;
  response: Promise<IncomingMessage>;
  close(): void;
}

/** A long-running GET (watch, followed log) whose body is collected as it arrives. */
export function apiStream(sim: MeshSim, cluster: string, path: string): HttpStream {
  let text = '';
  let settle: (value: { error?: Error }) => void = () => {};
  const ended = new Promise<{ error?: Error }>((resolve) => (settle = resolve));
  let onResponse: (res: IncomingMessage) => void = () => {};
  let onFailure: (error: Error) => void = () => {};
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    onResponse = resolve;
    onFailure = reject;
  });
  response.catch(() => {});
  const req = request(options(sim, cluster, path, 'GET'), (res) => {
    onResponse(res);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.on('end', () => settle({}));
    res.on('error', (error) => settle({ error }));
    res.on('aborted', () => settle({ error: new Error('aborted') }));
    res.on('close', () => settle(res.complete ? {} : { error: new Error('closed before the response completed') }));
  });
  req.on('error', (error) => {
    onFailure(error);
    settle({ error });
  });
  req.end();
  return { text: () => text, ended, response, close: () => req.destroy() };
}
