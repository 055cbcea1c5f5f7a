import { request, type RequestOptions } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

/** One API server as a client sees it: its address, the CA that signed it and a bearer token. */
export interface Endpoint {
  server: string;
  caPem: string;
  token: string;
}

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

export interface RequestInit {
  method?: string;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Overrides the endpoint's token ('' sends no Authorization header). */
  token?: string;
  headers?: Record<string, string>;
}

function encodeBody(init: RequestInit): string | undefined {
  return init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
}

function options(endpoint: Endpoint, path: string, init: RequestInit): RequestOptions {
  const body = encodeBody(init);
  const url = new URL(path, endpoint.server);
  const token = init.token ?? endpoint.token;
  return {
    method: init.method ?? 'GET',
    hostname: url.hostname,
    port: url.port,
    path: url.pathname + url.search,
    ca: endpoint.caPem,
    agent: false,
    headers: {
      Accept: init.accept ?? 'application/json',
      'Content-Type': init.contentType ?? 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      // Node sends a DELETE body with neither Content-Length nor chunked encoding unless told its length,
      // and the server then reads no body at all.
      ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}),
      ...init.headers,
    },
  };
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** One HTTPS request to an API server (a new connection each time). */
export function httpRequest(endpoint: Endpoint, path: string, init: RequestInit = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(options(endpoint, path, init), (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: parse(body) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`${init.method ?? 'GET'} ${path}: no answer in 30 s`)));
    req.end(encodeBody(init));
  });
}

export interface WatchEvent {
  type: string;
  object: any;
}

/** A watch (or any streamed GET) whose JSON lines are collected as they arrive. */
export interface WatchStream {
  status: Promise<number>;
  events(): WatchEvent[];
  /** Resolves when at least `count` events have arrived (rejects after `timeoutMs`). */
  waitForEvents(count: number, timeoutMs?: number): Promise<WatchEvent[]>;
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
  close(): void;
}

export function watchStream(endpoint: Endpoint, path: string, init: RequestInit = {}, onEvent?: (event: WatchEvent) => void): WatchStream {
  const events: WatchEvent[] = [];
  let buffer = '';
  let setStatus: (status: number) => void = () => {};
  let failStatus: (error: Error) => void = () => {};
  const status = new Promise<number>((resolve, reject) => {
    setStatus = resolve;
    failStatus = reject;
  });
  status.catch(() => {});
  let settle: () => void = () => {};
  const ended = new Promise<void>((resolve) => (settle = resolve));
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  const req = request(options(endpoint, path, init), (res) => {
    setStatus(res.statusCode ?? 0);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line) continue;
        const event = JSON.parse(line) as WatchEvent;
        // A callback consumes the events; only a stream without one keeps them for events().
        if (onEvent) onEvent(event);
        else events.push(event);
      }
      wake();
    });
    res.on('close', () => {
      if (buffer.trim() && !onEvent) events.push(JSON.parse(buffer.trim()) as WatchEvent);
      buffer = '';
      settle();
      wake();
    });
  });
  req.on('error', (error) => {
    failStatus(error);
    settle();
    wake();
  });
  req.end();
  return {
    status,
    ended,
    events: () => events,
    close: () => req.destroy(),
    waitForEvents(count, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (events.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(events.slice());
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${path}: ${events.length} of ${count} events after ${timeoutMs} ms: ${JSON.stringify(events.map((e) => e.type))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
