import { request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type { KubeConfig } from '@kubernetes/client-node';
import type { CredentialConfig } from './context-credentials.js';
import { KubeRequestError, statusError } from './errors.js';
import { execCredential, execTimeoutMs, type ExecConfig } from './exec-credential.js';
import { isReadonlyMode, readonlyRefusal, ReadonlyError } from './readonly.js';
import { ListSplitter } from './list-splitter.js';

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
/** Credentials that have not been worked out by then (an auth provider that hangs) fail the request with a reason. */
const CREDENTIAL_TIMEOUT_MS = 30_000;

export { isReadonlyMode, readonlyRefusal, ReadonlyError, setReadonlyMode } from './readonly.js';

/** TLS and headers for a WebSocket client (the `ws` package takes https.request's TLS options). */
export interface WebSocketTlsOptions {
  headers: Record<string, string>;
  ca?: string | Buffer | (string | Buffer)[];
  cert?: string | Buffer | (string | Buffer)[];
  key?: string | Buffer | (string | Buffer)[];
  pfx?: string | Buffer | (string | Buffer)[];
  passphrase?: string;
  rejectUnauthorized?: boolean;
  servername?: string;
}

export interface TransportOptions {
  /** Refuse every request that would change the cluster; default: the process-wide mode (setReadonlyMode). */
  readonly?: boolean;
  /** How long an exec credential plugin may take before it is killed; default 30 s, or MESHDECK_EXEC_TIMEOUT seconds. */
  execTimeoutMs?: number;
}

export class ClusterTransport {
  private readonly base: URL;
  private credentials: { at: number; options: Promise<RequestOptions> } | undefined;

  constructor(
    private readonly config: CredentialConfig,
    private readonly options: TransportOptions = {},
  ) {
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
    if (response.status >= 400) throw statusError(response.status, body, response.retryAfter, path);
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

  /**
   * A list, its items handed to `onItem` one by one as the body arrives, so a page of thousands of
   * objects is never held whole; resolves to the list without its items (its metadata).
   */
  async requestList<T>(path: string, onItem: (item: unknown) => void, spec: RequestSpec = {}): Promise<T> {
    const response = await this.open(path, { accept: 'application/json', ...spec });
    if (response.status >= 400) throw statusError(response.status, await readAll(response.stream), response.retryAfter, path);
    const notJson = () => new KubeRequestError(`the API server answered ${path} with something that is not a JSON list`);
    return new Promise<T>((resolve, reject) => {
      let failed = false;
      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        response.stream.removeAllListeners('data');
        (response.stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
        reject(error instanceof SyntaxError ? notJson() : error);
      };
      const splitter = new ListSplitter((json) => onItem(JSON.parse(json)));
      response.stream.setEncoding('utf8');
      response.stream.on('data', (chunk: string) => {
        try {
          splitter.write(chunk);
        } catch (error) {
          fail(error);
        }
      });
      response.stream.on('end', () => {
        if (failed) return;
        try {
          const rest = JSON.parse(splitter.rest()) as T & { items?: unknown };
          // Items the splitter did not see as such (a key spelled with escapes, "it\u0065ms") are still items.
          if (Array.isArray(rest.items)) for (const item of rest.items.splice(0)) onItem(item);
          resolve(rest);
        } catch (error) {
          fail(error);
        }
      });
      response.stream.on('error', fail);
    });
  }

  /** Calls `onLine` for each line of a streaming response (watch, follow); resolves when the stream ends. */
  async stream(path: string, onLine: (line: string) => void, spec: RequestSpec = {}): Promise<void> {
    const response = await this.open(path, spec, true);
    if (response.status >= 400) throw statusError(response.status, await readAll(response.stream), response.retryAfter, path);
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

  /**
   * What a WebSocket to `path` (pods/portforward) needs: its wss:// URL, the context's TLS settings
   * (CA, client certificate, server name) and its Authorization header, from the same credentials as
   * every request (exec plugins included). It is a GET: read-only mode lets it through.
   */
  async webSocketTarget(path: string): Promise<{ url: string; options: WebSocketTlsOptions }> {
    const url = this.permittedUrl('GET', path);
    url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
    const auth = await this.credentialOptions();
    const headers: Record<string, string> = { 'User-Agent': 'meshdeck', ...(auth.headers as Record<string, string> | undefined) };
    if (auth.auth && !headers['Authorization']) headers['Authorization'] = `Basic ${Buffer.from(auth.auth).toString('base64')}`;
    const tls = auth as RequestOptions & WebSocketTlsOptions;
    const options: WebSocketTlsOptions = { headers };
    for (const key of ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const) {
      if (tls[key] !== undefined) (options as unknown as Record<string, unknown>)[key] = tls[key];
    }
    return { url: url.toString(), options };
  }

  private credentialOptions(): Promise<RequestOptions> {
    const now = Date.now();
    if (!this.credentials || now - this.credentials.at > CREDENTIAL_TTL_MS) {
      const options: RequestOptions = { headers: {} };
      const user = this.config.getCurrentUser();
      const removed = removedAuthProvider(user);
      const exec = execOf(user);
      const applied = removed
        ? Promise.reject(new KubeRequestError(removed))
        : exec && typeof exec.command === 'string' && exec.command
          ? this.applyExec(options, exec as ExecConfig, user)
          : withTimeout(this.config.applyToHTTPSOptions(options), CREDENTIAL_TIMEOUT_MS, () => new KubeRequestError(`the credential plugin ${pluginName(user)} did not answer within ${CREDENTIAL_TIMEOUT_MS / 1000} s`));
      const ready = applied
        .catch((error: unknown) => {
          throw credentialError(error, user);
        })
        .then(() => {
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

  /**
   * An exec plugin is run by meshdeck (source/kube/exec-credential.ts: killed after a timeout, one at
   * a time per context); client-node, given the user without it, supplies the TLS settings.
   */
  private async applyExec(options: RequestOptions, exec: ExecConfig, user: CurrentUser): Promise<void> {
    const key = `${this.config.getCurrentContext()}\u0000${JSON.stringify(exec)}`;
    const timeoutMs = this.options.execTimeoutMs ?? execTimeoutMs();
    const [status] = await Promise.all([execCredential(key, exec, timeoutMs, pluginName(user)), withoutExec(this.config).applyToHTTPSOptions(options)]);
    if (status.clientCertificateData) options.cert = status.clientCertificateData;
    if (status.clientKeyData) options.key = status.clientKeyData;
    if (status.token) options.headers = { ...(options.headers as Record<string, string>), Authorization: `Bearer ${status.token}` };
  }

  /**
   * The URL of `path` on this API server, once read-only mode allows `method` there. Every request and
   * WebSocket of every engine passes here, so no code path can go around the check.
   */
  private permittedUrl(method: string, path: string): URL {
    if (this.options.readonly ?? isReadonlyMode()) {
      const refusal = readonlyRefusal(method, path);
      if (refusal) throw new ReadonlyError(refusal);
    }
    return new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
  }

  /**
   * Sends the request. `spec.timeoutMs` is how long the server may stay silent: before it answers and,
   * unless the response is a stream that may rightly pause (watch, follow), between the bytes of the
   * body, so a body that stops arriving (a connection dropped silently) fails instead of hanging.
   */
  private async open(path: string, spec: RequestSpec, streaming = false): Promise<{ status: number; retryAfter?: string | string[]; stream: NodeJS.ReadableStream & { setEncoding(e: string): void } }> {
    const url = this.permittedUrl(spec.method ?? 'GET', path);
    const options: RequestOptions = {
      method: spec.method ?? 'GET',
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      path: url.pathname + url.search,
      headers: {
        Accept: spec.accept ?? 'application/json',
        'User-Agent': 'meshdeck',
        // With a length, not chunked: Node sends a DELETE body with neither header, and the server reads it as the next request.
        ...(spec.body !== undefined ? { 'Content-Type': spec.contentType ?? 'application/json', 'Content-Length': String(Buffer.byteLength(spec.body)) } : {}),
      },
    };
    const auth = await this.credentialOptions();
    Object.assign(options, { ...auth, headers: { ...(auth.headers as Record<string, string>), ...(options.headers as Record<string, string>) } });
    return new Promise((resolve, reject) => {
      const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
      let answer: { destroy(error: Error): void } | undefined;
      const req = send(options, (res) => {
        answer = res;
        if (streaming && spec.timeoutMs !== undefined) req.setTimeout(0);
        const retryAfter = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, ...(retryAfter !== undefined ? { retryAfter } : {}), stream: res as never });
      });
      if (spec.timeoutMs !== undefined) {
        req.setTimeout(spec.timeoutMs, () => {
          const error = Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' });
          // The body's reader hears why, not only that the connection went.
          answer?.destroy(error);
          req.destroy(error);
        });
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

/**
 * The same config with the current user's exec plugin left out (client-node would run it itself, without a
 * timeout). meshdeck's own PlainCredentials never runs a plugin, so it is used as it is.
 */
function withoutExec(credentials: CredentialConfig): CredentialConfig {
  if (!('users' in credentials)) return credentials;
  const config = credentials as KubeConfig;
  const name = config.getCurrentUser()?.name;
  const users = config.users.map((user) => {
    if (user.name !== name) return user;
    const { exec: _exec, ...rest } = user as typeof user & { exec?: unknown };
    const provider = rest.authProvider as { name?: unknown; config?: { exec?: unknown } } | undefined;
    return (provider?.name === 'exec' || provider?.config?.exec ? { ...rest, authProvider: undefined } : rest) as typeof user;
  });
  return Object.assign(Object.create(Object.getPrototypeOf(config) as object) as KubeConfig, config, { users });
}

/**
 * The whole body as text, decoded as it arrives: a list page of thousands of pods is megabytes, and
 * copying the chunks, joining them and then decoding held three copies of it at once.
 */
function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let text = '';
    stream.on('data', (chunk: Buffer | string) => {
      text += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    });
    stream.on('end', () => resolve(text + decoder.end()));
    stream.on('error', reject);
  });
}

type CurrentUser = ReturnType<CredentialConfig['getCurrentUser']>;

const REMOVED_PROVIDERS: Record<string, string> = { gcp: 'gke-gcloud-auth-plugin', azure: 'kubelogin' };

/**
 * kubectl 1.26+ refuses the in-tree gcp and azure auth providers; client-node still runs their
 * `cmd-path` through a shell with execSync, which would freeze the whole cockpit while it runs.
 */
function removedAuthProvider(user: CurrentUser): string | undefined {
  const name = (user?.authProvider as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string' || !REMOVED_PROVIDERS[name]) return undefined;
  return `the kubeconfig's auth-provider "${name}" was removed from Kubernetes clients (kubectl 1.26+); switch the user to the ${REMOVED_PROVIDERS[name]} exec plugin`;
}

function execOf(user: CurrentUser): { command?: unknown } | undefined {
  if (!user) return undefined;
  const exec = user.exec as { command?: unknown } | undefined;
  if (exec && typeof exec === 'object') return exec;
  const fromProvider = (user.authProvider as { config?: { exec?: unknown } } | undefined)?.config?.exec;
  return fromProvider && typeof fromProvider === 'object' ? (fromProvider as { command?: unknown }) : undefined;
}

function pluginName(user: CurrentUser): string {
  const command = execOf(user)?.command;
  return typeof command === 'string' && command ? `"${command}"` : `of user "${user?.name ?? ''}"`;
}

/**
 * Why the kubeconfig's credentials could not be used, in one line for the cluster row: an exec plugin
 * that is missing, fails (with the first line of what it printed) or prints no credential, a file
 * named in the kubeconfig that cannot be read, an auth provider client-node cannot refresh.
 */
function credentialError(error: unknown, user: CurrentUser): KubeRequestError {
  if (error instanceof KubeRequestError) return error;
  const e = error as NodeJS.ErrnoException | undefined;
  const firstLine = (e?.message ?? String(error)).split('\n').map((l) => l.trim()).find(Boolean)?.slice(0, 200) ?? '';
  const exec = execOf(user);
  if (exec) {
    if (e?.code === 'ENOENT' && String(e.syscall ?? '').startsWith('spawn')) return new KubeRequestError(`the credential plugin ${pluginName(user)} was not found; install it or fix users[].exec.command in the kubeconfig`);
    if (e?.code === 'EACCES' && String(e.syscall ?? '').startsWith('spawn')) return new KubeRequestError(`the credential plugin ${pluginName(user)} cannot be run (permission denied)`);
    if (error instanceof SyntaxError) return new KubeRequestError(`the credential plugin ${pluginName(user)} printed something that is not an ExecCredential`);
    if (!firstLine) return new KubeRequestError(`the credential plugin ${pluginName(user)} failed without saying why`);
    return new KubeRequestError(`the credential plugin ${pluginName(user)} failed: ${firstLine}`);
  }
  if (e?.code === 'ENOENT' || e?.code === 'EACCES' || e?.code === 'EISDIR') {
    const path = e.path ?? /'([^']+)'/.exec(firstLine)?.[1];
    return new KubeRequestError(`cannot read ${path ?? 'a file'} named in the kubeconfig (${e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : 'a directory'})`);
  }
  return new KubeRequestError(`the kubeconfig credentials cannot be used: ${firstLine || 'unknown error'}`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(error()), ms);
    timer.unref?.();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (reason: unknown) => {
        clearTimeout(timer);
        reject(reason);
      },
    );
  });
}
