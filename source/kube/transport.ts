import { request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeRequestError, statusError } from './errors.js';

export interface RequestSpec {
  method?: string;
  body?: string;
  contentType?: string;
  accept?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** For stream(): called once the server has answered 200 and the stream is open. */
  onOpen?: () => void;
}

/**
 * HTTP to one cluster's API server. client-node supplies credentials and TLS settings (tokens,
 * client certificates, exec plugins); the bytes go over node:https so large lists stay plain JSON
 * (client-node's typed deserialization costs more than the list itself at thousands of pods).
 */
// Credentials are re-read this often, so exec-plugin tokens that rotate are picked up; in between, one
// TLS context and one keep-alive agent serve every request (a new context per request costs more than a list page).
const CREDENTIAL_TTL_MS = 60_000;

export class ClusterTransport {
  private readonly base: URL;
  private credentials: { at: number; options: Promise<RequestOptions> } | undefined;

  constructor(private readonly config: KubeConfig) {
    const server = config.getCurrentCluster()?.server;
    if (!server) throw new KubeRequestError('the context has no cluster server');
    this.base = new URL(server);
  }

  get server(): string {
    return this.base.origin;
  }

  async request(path: string, spec: RequestSpec = {}): Promise<string> {
    const response = await this.open(path, spec);
    const body = await readAll(response.stream);
    if (response.status >= 400) throw statusError(response.status, body);
    return body;
  }

  async requestJson<T>(path: string, spec: RequestSpec = {}): Promise<T> {
    const body = await this.request(path, { accept: 'application/json', ...spec });
    try {
      return JSON.parse(body) as T;
    } catch {
      throw new KubeRequestError(`the API server answered ${path} with something that is not JSON`);
    }
  }

  /** Calls `onLine` for each line of a streaming response (watch, follow); resolves when the stream ends. */
  async stream(path: string, onLine: (line: string) => void, spec: RequestSpec = {}): Promise<void> {
    const response = await this.open(path, spec);
    if (response.status >= 400) throw statusError(response.status, await readAll(response.stream));
    spec.onOpen?.();
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      response.stream.setEncoding('utf8');
      response.stream.on('data', (chunk: string) => {
        buffer += chunk;
        let newline = buffer.indexOf('\n');
        while (newline >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line) onLine(line);
          newline = buffer.indexOf('\n');
        }
      });
      response.stream.on('end', () => resolve());
      response.stream.on('close', () => resolve());
      response.stream.on('error', (error) => (spec.signal?.aborted ? resolve() : reject(error)));
    });
  }

  private credentialOptions(): Promise<RequestOptions> {
    const now = Date.now();
    if (!this.credentials || now - this.credentials.at > CREDENTIAL_TTL_MS) {
      const options: RequestOptions = { headers: {} };
      const ready = this.config.applyToHTTPSOptions(options).then(() => {
        // client-node builds its agent without keep-alive; turning it on lets requests share connections.
        const agent = options.agent as { keepAlive?: boolean; options?: { keepAlive?: boolean } } | undefined;
        if (agent) {
          agent.keepAlive = true;
          if (agent.options) agent.options.keepAlive = true;
        }
        return options;
      });
      // A failed credential lookup (an exec plugin that errors) must be retried, not cached.
      ready.catch(() => {
        this.credentials = undefined;
      });
      this.credentials = { at: now, options: ready };
    }
    return this.credentials.options;
  }

  private async open(path: string, spec: RequestSpec): Promise<{ status: number; stream: NodeJS.ReadableStream & { setEncoding(e: string): void } }> {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    const options: RequestOptions = {
      method: spec.method ?? 'GET',
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      path: url.pathname + url.search,
      headers: {
        Accept: spec.accept ?? 'application/json',
        'User-Agent': 'meshdeck',
        ...(spec.body !== undefined ? { 'Content-Type': spec.contentType ?? 'application/json' } : {}),
      },
    };
    const auth = await this.credentialOptions();
    Object.assign(options, { ...auth, headers: { ...(auth.headers as Record<string, string>), ...(options.headers as Record<string, string>) } });
    return new Promise((resolve, reject) => {
      const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
      const req = send(options, (res) => {
        if (spec.timeoutMs !== undefined) req.setTimeout(0);
        resolve({ status: res.statusCode ?? 0, stream: res as never });
      });
      if (spec.timeoutMs !== undefined) {
        req.setTimeout(spec.timeoutMs, () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      }
      if (spec.signal) {
        if (spec.signal.aborted) req.destroy();
        spec.signal.addEventListener('abort', () => req.destroy(), { once: true });
      }
      req.on('error', reject);
      if (spec.body !== undefined) req.end(spec.body);
      else req.end();
    });
  }
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}
