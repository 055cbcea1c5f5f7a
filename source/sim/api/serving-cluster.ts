import type { KubeObject } from '../objects.js';
import type { ObjectStore } from '../store/object-store.js';
import type { ResourceApi } from './resource-api.js';
import type { TokenAuthority } from '../auth/tokens.js';
import type { RbacSource } from '../auth/rbac.js';
import type { UserInfo } from '../auth/user.js';
import type { ServerVersion } from './discovery.js';

export interface LogOptions {
  container: string;
  follow: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: Date;
  timestamps: boolean;
  previous: boolean;
  limitBytes?: number;
}

/** A stream of log lines for one container; `close` stops a follow. */
export interface LogStream {
  /** Lines already there when the request came, oldest first (each without a trailing newline). */
  backlog: { time: Date; line: string }[];
  /** Called with each new line while following; returns a function that stops following. */
  follow(onLine: (entry: { time: Date; line: string }) => void): () => void;
}

export interface LogProvider {
  open(pod: KubeObject, options: LogOptions): LogStream;
}

export interface ProxyResponse {
  status: number;
  /** None: the response has no Content-Type (istiod's bare 401). */
  contentType?: string;
  body: string;
}

/**
 * How a request reaches a simulated in-cluster server: through the API server's service proxy (it
 * arrives from the API server's address, without the caller's credentials) or through a port-forward
 * to the pod (it arrives on the pod's own loopback).
 */
export type ProxyVia = 'service-proxy' | 'port-forward';

/** Answers `services/<name>:<port>/proxy/<path>` (and port-forwarded GETs) for simulated in-cluster services (istiod debug, ...). */
export type ServiceProxyHandler = (path: string, query: URLSearchParams, via?: ProxyVia) => ProxyResponse | undefined;

/** How an injected fault cuts a followed log stream. */
export interface LogCut {
  /** Reset the connection instead of ending the response cleanly after the half line. */
  abort: boolean;
}

/** Hooks the simulator's fault injection uses inside long-running responses. */
export interface StreamFaults {
  /** Asked once when a followed log stream starts; a cut makes it write half of its next line and close. */
  cutFollowedLog?(pod: KubeObject, container: string): LogCut | undefined;
}

/** What the HTTP layer needs from a simulated cluster. */
export interface ServingCluster {
  readonly name: string;
  readonly store: ObjectStore;
  readonly api: ResourceApi;
  readonly tokens: TokenAuthority;
  readonly rbac: RbacSource;
  readonly version: ServerVersion;
  readonly logs: LogProvider;
  readonly bookmarkIntervalMs: number;
  readonly streamFaults?: StreamFaults;
  /** The https://127.0.0.1:PORT address once listening. */
  address(): string;
  authenticate(bearerToken: string): UserInfo | undefined;
  serviceProxy(namespace: string, service: string, port: string): ServiceProxyHandler | undefined;
  /** The simulated server listening on `port` in `pod`, reached through pods/portforward. */
  podPort?(pod: KubeObject, port: number): ServiceProxyHandler | undefined;
  now(): Date;
}
