import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FaultController, FaultError, type ErrorFault, type LogCutFault } from './fault-controller.js';

/** The fault-injection endpoint: plain HTTP on 127.0.0.1, JSON in and out (see README, "Fault injection"). */
export interface FaultAdminServer {
  /** http://127.0.0.1:PORT */
  readonly address: string;
  close(): Promise<void>;
}

type Params = Record<string, unknown>;

export async function startFaultAdmin(faults: FaultController, port = 0): Promise<FaultAdminServer> {
  const server = createServer((req, res) => {
    handle(faults, req, res).catch((error: unknown) => {
      const status = error instanceof FaultError ? error.status : 500;
      reply(res, status, { error: (error as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

async function handle(faults: FaultController, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://admin');
  const parts = url.pathname.split('/').filter(Boolean);
  const method = req.method ?? 'GET';
  const params: Params = { ...Object.fromEntries(url.searchParams), ...(await readJson(req)) };
  const cluster = optionalString(params, 'cluster');
  const route = parts.join('/');

  if (method === 'GET' && (route === '' || route === 'faults')) return reply(res, 200, { clusters: faults.status() });
  if (parts[0] === 'clusters' && parts.length === 3 && method === 'POST') {
    const name = decodeURIComponent(parts[1]!);
    if (parts[2] === 'down') {
      await faults.takeDown(name);
      return reply(res, 200, { cluster: name, up: false });
    }
    if (parts[2] === 'up') return reply(res, 200, { cluster: name, up: true, address: await faults.bringUp(name) });
  }
  if (route === 'latency' && method === 'POST') {
    const ms = requiredNumber(params, 'ms');
    faults.setLatency(ms, cluster);
    return reply(res, 200, { latencyMs: ms, cluster: cluster ?? 'all' });
  }
  if (route === 'errors' && method === 'POST') {
    const fault: ErrorFault = { status: requiredNumber(params, 'status') as ErrorFault['status'], share: requiredNumber(params, 'share') };
    const seed = optionalNumber(params, 'seed');
    const retryAfterSeconds = optionalNumber(params, 'retryAfterSeconds');
    const pathPrefix = optionalString(params, 'pathPrefix');
    const errorMethod = optionalString(params, 'method');
    if (seed !== undefined) fault.seed = seed;
    if (retryAfterSeconds !== undefined) fault.retryAfterSeconds = retryAfterSeconds;
    if (pathPrefix !== undefined) fault.pathPrefix = pathPrefix;
    if (errorMethod !== undefined) fault.method = errorMethod;
    faults.setErrors(fault, cluster);
    return reply(res, 200, { errors: fault, cluster: cluster ?? 'all' });
  }
  if (route === 'errors' && method === 'DELETE') {
    faults.clearErrors(cluster);
    return reply(res, 200, { errors: null, cluster: cluster ?? 'all' });
  }
  if (route === 'watches/close' && method === 'POST') return reply(res, 200, { closed: faults.closeWatches(cluster) });
  if (route === 'watches/expire' && method === 'POST') return reply(res, 200, { expired: cluster ?? 'all', ...faults.expireWatches(cluster, { closeStreams: optionalBoolean(params, 'close') ?? false }) });
  if (route === 'watches/hang' && method === 'POST') return reply(res, 200, { hanging: cluster ?? 'all', ...faults.hangWatches(cluster, { closeStreams: optionalBoolean(params, 'close') ?? false }) });
  if (route === 'watches/hang' && method === 'DELETE') return reply(res, 200, { hanging: null, cluster: cluster ?? 'all', released: faults.releaseWatches(cluster) });
  if (route === 'requests' && method === 'GET') return reply(res, 200, { clusters: faults.requestCounts(cluster, optionalString(params, 'agent')) });
  if (route === 'requests' && method === 'DELETE') {
    faults.resetRequestCounts(cluster);
    return reply(res, 200, { clusters: faults.requestCounts(cluster) });
  }
  if (route === 'logs/cut' && method === 'POST') {
    const fault: LogCutFault = {};
    for (const key of ['namespace', 'pod', 'container'] as const) {
      const value = optionalString(params, key);
      if (value !== undefined) fault[key] = value;
    }
    const count = optionalNumber(params, 'count');
    const abort = optionalBoolean(params, 'abort');
    if (count !== undefined) fault.count = count;
    if (abort !== undefined) fault.abort = abort;
    faults.cutNextLog(fault, cluster);
    return reply(res, 200, { logCut: fault, cluster: cluster ?? 'all' });
  }
  if (route === 'reset' && method === 'POST') {
    await faults.reset();
    return reply(res, 200, { clusters: faults.status() });
  }
  reply(res, 404, { error: `no fault endpoint ${method} ${url.pathname}; see GET / for the state and the README for the endpoints` });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Params> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FaultError('the request body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new FaultError('the request body must be a JSON object');
  return parsed as Params;
}

function optionalString(params: Params, key: string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new FaultError(`${key} must be a string`);
  return value;
}

function optionalNumber(params: Params, key: string): number | undefined {
  const value = params[key];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(number)) throw new FaultError(`${key} must be a number`);
  return number;
}

function requiredNumber(params: Params, key: string): number {
  const value = optionalNumber(params, key);
  if (value === undefined) throw new FaultError(`${key} is required`);
  return value;
}

function optionalBoolean(params: Params, key: string): boolean | undefined {
  const value = params[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new FaultError(`${key} must be true or false`);
}
