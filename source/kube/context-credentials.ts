import { readFileSync } from 'node:fs';
import { Agent, type AgentOptions, type RequestOptions } from 'node:https';
import { isAbsolute, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { singleContextYaml, type ContextEntry } from './kubeconfig.js';
import { describeError, KubeRequestError } from './errors.js';

/** The kubeconfig user as the transport reports it in errors (client-node's `User` has the same fields). */
export interface KubeUser {
  name: string;
  exec?: unknown;
  authProvider?: unknown;
}

/** What a ClusterTransport needs of a context: client-node's KubeConfig is one, PlainCredentials another. */
export interface CredentialConfig {
  getCurrentContext(): string;
  getCurrentCluster(): { server: string } | null;
  getCurrentUser(): KubeUser | null;
  applyToHTTPSOptions(options: RequestOptions): Promise<void>;
}

type ClientNode = typeof import('@kubernetes/client-node');
type Section = Record<string, unknown>;

// Tokens, client certificates and basic auth are a few file reads, and exec plugins are run by the
// transport itself (exec-credential.ts); the rest (auth providers, impersonation, proxies) is client-node's
// job. Loading client-node costs about 75 MB of memory and 0.3 s, so it is loaded only for a context that needs it.
const PLAIN_USER_KEYS = new Set(['exec', 'token', 'tokenFile', 'token-file', 'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'username', 'password']);
const PLAIN_CLUSTER_KEYS = new Set(['server', 'certificate-authority', 'certificate-authority-data', 'insecure-skip-tls-verify', 'tls-server-name', 'extensions']);

const section = (named: Section, key: string): Section => {
  const value = named[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Section) : {};
};

/** Whether this context's credentials need client-node (an auth provider, impersonation, a proxy, ...). */
export function needsClientNode(entry: ContextEntry): boolean {
  const user = section(entry.user, 'user');
  const cluster = section(entry.cluster, 'cluster');
  return Object.keys(user).some((k) => !PLAIN_USER_KEYS.has(k)) || Object.keys(cluster).some((k) => !PLAIN_CLUSTER_KEYS.has(k));
}

/**
 * The credentials of one context, from meshdeck's own kubeconfig reading when they are plain, else from
 * client-node (given, or loaded on the first request). A context that cannot be used at all says why in
 * `setupError`, so its cluster shows as down with the reason and the others open as usual.
 */
export function contextCredentials(entry: ContextEntry, clientNode?: ClientNode): { config: CredentialConfig; setupError?: string } {
  if (!needsClientNode(entry)) {
    const config = new PlainCredentials(entry);
    try {
      config.token();
      return { config };
    } catch (error) {
      return { config, setupError: `the kubeconfig entry cannot be used: ${describeError(error)}` };
    }
  }
  if (!clientNode) return { config: new DeferredClientNodeCredentials(entry) };
  return clientNodeCredentials(entry, clientNode);
}

/**
 * The credentials of one context for a command that talks to it (CA, join, gateway, inject, logs): as
 * contextCredentials, with a context that cannot be used failing each request with its one-line reason.
 */
export function commandCredentials(entry: ContextEntry, clientNode?: ClientNode): CredentialConfig {
  const { config, setupError } = contextCredentials(entry, clientNode);
  if (!setupError) return config;
  return {
    getCurrentContext: () => config.getCurrentContext(),
    getCurrentCluster: () => config.getCurrentCluster(),
    getCurrentUser: () => config.getCurrentUser(),
    applyToHTTPSOptions: () => Promise.reject(new KubeRequestError(setupError)),
  };
}

function clientNodeCredentials(entry: ContextEntry, clientNode: ClientNode): { config: CredentialConfig; setupError?: string } {
  const config = new clientNode.KubeConfig();
  // client-node reads only `token-file` (not kubectl's `tokenFile`), once, untrimmed: a token file with a
  // newline made every request fail, and a rotated token was never read. meshdeck reads it instead.
  const user = section(entry.user, 'user');
  const tokenFile = !user['token'] && !user['exec'] && !user['auth-provider'] ? (user['tokenFile'] ?? user['token-file']) : undefined;
  try {
    if (typeof tokenFile === 'string' && tokenFile) {
      const { tokenFile: _kubectl, 'token-file': _clientNode, ...rest } = user;
      config.loadFromString(singleContextYaml({ ...entry, user: { ...entry.user, user: rest } }));
      const plain = new PlainCredentials(entry);
      plain.token();
      return { config: new TokenFileCredentials(config, plain) };
    }
    config.loadFromString(singleContextYaml(entry));
    return { config };
  } catch (error) {
    // client-node refuses some entries that meshdeck's own reader lets through (YAML merge keys, ...).
    const fallback = new clientNode.KubeConfig();
    fallback.loadFromClusterAndUser({ name: entry.cluster.name || entry.name, server: serverOf(entry) || 'https://invalid.invalid', skipTLSVerify: false }, { name: 'none' });
    return { config: fallback, setupError: `the kubeconfig entry cannot be used: ${describeError(error)}` };
  }
}

const serverOf = (entry: ContextEntry): string => {
  const server = section(entry.cluster, 'cluster')['server'];
  return typeof server === 'string' ? server : '';
};

/**
 * A context whose credentials are a token, a client certificate, a user name and password, or an exec
 * plugin (which the transport runs; this class supplies the TLS settings around it).
 */
export class PlainCredentials implements CredentialConfig {
  private readonly user: Section;
  private readonly cluster: Section;

  constructor(private readonly entry: ContextEntry) {
    this.user = section(entry.user, 'user');
    this.cluster = section(entry.cluster, 'cluster');
  }

  getCurrentContext(): string {
    return this.entry.name;
  }

  getCurrentCluster(): { server: string } | null {
    return { server: serverOf(this.entry) };
  }

  getCurrentUser(): KubeUser | null {
    return { name: this.entry.user.name, ...(this.user['exec'] ? { exec: this.user['exec'] } : {}) };
  }

  /** The bearer token; a token file is read again each time, so a rotated (projected) token is picked up. */
  token(): string | undefined {
    if (typeof this.user['token'] === 'string' && this.user['token']) return this.user['token'];
    const file = this.user['tokenFile'] ?? this.user['token-file'];
    return typeof file === 'string' && file ? readFileSync(this.path(file, 'user'), 'utf8').trim() : undefined;
  }

  async applyToHTTPSOptions(options: RequestOptions): Promise<void> {
    const tls: AgentOptions = { keepAlive: true };
    const ca = this.material('certificate-authority', this.cluster, 'cluster');
    if (ca) tls.ca = ca;
    const cert = this.material('client-certificate', this.user, 'user');
    const key = this.material('client-key', this.user, 'user');
    if (cert) tls.cert = cert;
    if (key) tls.key = key;
    if (this.cluster['insecure-skip-tls-verify'] === true) tls.rejectUnauthorized = false;
    const serverName = this.cluster['tls-server-name'];
    if (typeof serverName === 'string' && serverName) tls.servername = serverName;
    Object.assign(options, tls);
    options.agent = new Agent(tls);
    const headers = (options.headers ?? {}) as Record<string, string>;
    const token = this.token();
    if (token) headers['Authorization'] = `Bearer ${token}`;
    else if (typeof this.user['username'] === 'string' && typeof this.user['password'] === 'string') options.auth = `${this.user['username']}:${this.user['password']}`;
    options.headers = headers;
  }

  /** `<name>-data` (base64) or the file `<name>` names, relative to the kubeconfig that defined it. */
  private material(name: string, from: Section, kind: 'user' | 'cluster'): Buffer | undefined {
    const data = from[`${name}-data`];
    if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
    const file = from[name];
    return typeof file === 'string' && file ? readFileSync(this.path(file, kind)) : undefined;
  }

  private path(file: string, kind: 'user' | 'cluster'): string {
    if (isAbsolute(file)) return file;
    // Relative paths are relative to the file that defined them, as in kubectl.
    const named = kind === 'user' ? this.entry.user : this.entry.cluster;
    return join(typeof named['baseDir'] === 'string' ? named['baseDir'] : this.entry.baseDir, file);
  }
}

/** client-node's credentials (TLS, impersonation, a proxy), with the bearer token read from the context's token file on each refresh. */
class TokenFileCredentials implements CredentialConfig {
  constructor(
    private readonly config: KubeConfig,
    private readonly plain: PlainCredentials,
  ) {}

  getCurrentContext(): string {
    return this.config.getCurrentContext();
  }

  getCurrentCluster(): { server: string } | null {
    return this.config.getCurrentCluster();
  }

  getCurrentUser(): KubeUser | null {
    return this.config.getCurrentUser();
  }

  async applyToHTTPSOptions(options: RequestOptions): Promise<void> {
    await this.config.applyToHTTPSOptions(options);
    const token = this.plain.token();
    if (token) options.headers = { ...(options.headers as Record<string, string> | undefined), Authorization: `Bearer ${token}` };
  }
}

/** client-node's credentials, loaded on the first request (for sessions made without it at hand). */
class DeferredClientNodeCredentials implements CredentialConfig {
  private loaded: Promise<CredentialConfig> | undefined;

  constructor(private readonly entry: ContextEntry) {}

  getCurrentContext(): string {
    return this.entry.name;
  }

  getCurrentCluster(): { server: string } | null {
    return { server: serverOf(this.entry) };
  }

  getCurrentUser(): KubeUser | null {
    const user = section(this.entry.user, 'user');
    return { name: this.entry.user.name, ...(user['exec'] ? { exec: user['exec'] } : {}), ...(user['auth-provider'] ? { authProvider: user['auth-provider'] } : {}) };
  }

  async applyToHTTPSOptions(options: RequestOptions): Promise<void> {
    this.loaded ??= import('@kubernetes/client-node').then((clientNode) => {
      const { config, setupError } = clientNodeCredentials(this.entry, clientNode);
      if (setupError) throw new KubeRequestError(setupError);
      return config;
    });
    await (await this.loaded).applyToHTTPSOptions(options);
  }
}
