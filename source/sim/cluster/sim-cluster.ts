import { randomBytes } from 'node:crypto';
import { registerSecret } from '../secret-registry.js';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ObjectStore } from '../store/object-store.js';
import { ResourceApi } from '../api/resource-api.js';
import type { AdmissionContext } from '../admission/context.js';
import { TokenAuthority } from '../auth/tokens.js';
import { serviceAccountUser, SYSTEM_MASTERS, type UserInfo } from '../auth/user.js';
import type { RbacSource } from '../auth/rbac.js';
import type { ServerVersion } from '../api/discovery.js';
import type { ServiceProxyHandler, ServingCluster, StreamFaults } from '../api/serving-cluster.js';
import { createApiServer, type ApiServer, type RequestGate } from '../api/http-server.js';
import type { ServingCertificate } from '../tls.js';
import { SyntheticLogs } from '../logs/synthetic-logs.js';
import type { Controller, ControllerContext } from '../controllers/controller.js';
import type { KubeObject } from '../objects.js';
import { K } from '../controllers/kinds.js';
import { DeploymentController } from '../controllers/deployment-controller.js';
import { ReplicaSetController } from '../controllers/replicaset-controller.js';
import { Kubelet } from '../controllers/kubelet.js';
import { EndpointsController } from '../controllers/endpoints-controller.js';
import { GarbageCollector } from '../controllers/garbage-collector.js';
import { NamespaceController } from '../controllers/namespace-controller.js';
import { TokenController } from '../controllers/token-controller.js';
import { LoadBalancerController } from '../controllers/load-balancer-controller.js';

export interface SimClusterOptions {
  name: string;
  /** Position among the simulated clusters; keeps pod and service address ranges apart. */
  index: number;
  certificate: ServingCertificate;
  version?: ServerVersion;
  podStartDelayMs?: number;
  bookmarkIntervalMs?: number;
  logIntervalMs?: number;
  historySize?: number;
  gate?: RequestGate;
  warn?: (message: string) => void;
  /** The simulated istiod answers /debug through the service proxy without authentication (not what istiod does). */
  istiodDebugThroughProxy?: boolean;
}

export const DEFAULT_VERSION: ServerVersion = { major: '1', minor: '32', gitVersion: 'v1.32.4' };

/** One simulated Kubernetes cluster: its store, API, controllers and HTTPS endpoint. */
export class SimCluster implements ServingCluster {
  readonly name: string;
  readonly index: number;
  readonly store: ObjectStore;
  readonly api: ResourceApi;
  readonly tokens = new TokenAuthority();
  readonly version: ServerVersion;
  readonly logs: SyntheticLogs;
  readonly kubelet: Kubelet;
  readonly bookmarkIntervalMs: number;
  readonly rbac: RbacSource;
  /** Where fault injection reaches into streaming responses (see source/sim/faults/). */
  readonly streamFaults: StreamFaults = {};
  /** The bearer token of the cluster-admin user written to the kubeconfig. */
  readonly adminToken = randomBytes(24).toString('base64url');
  /** Opt-out: istiod's /debug answered through the service proxy too (a real istiod answers it 401). */
  istiodDebugThroughProxy: boolean;
  private readonly staticUsers = new Map<string, UserInfo>();
  private readonly proxies = new Map<string, ServiceProxyHandler>();
  private readonly podPorts: { matches: (pod: KubeObject) => boolean; port: number; handler: ServiceProxyHandler }[] = [];
  private readonly controllers: Controller[];
  private readonly controllerContext: ControllerContext;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sockets = new Set<Socket>();
  private readonly http: ApiServer;
  private port = 0;
  private listening = false;
  private nextServiceIP = 10;

  constructor(options: SimClusterOptions) {
    this.name = options.name;
    this.index = options.index;
    this.version = options.version ?? DEFAULT_VERSION;
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? 10_000;
    this.istiodDebugThroughProxy = options.istiodDebugThroughProxy ?? false;
    this.store = new ObjectStore(options.historySize ? { historySize: options.historySize } : {});
    const admission: AdmissionContext = {
      store: this.store,
      clusterName: this.name,
      allocateClusterIP: () => {
        const n = this.nextServiceIP++;
        return `10.96.${(n >> 8) & 255}.${n & 255}`;
      },
      now: () => this.now(),
    };
    this.api = new ResourceApi(this.store, admission);
    this.logs = new SyntheticLogs({ intervalMs: options.logIntervalMs ?? 1000, retainedLines: 2000, now: () => this.now() });
    registerSecret('token', this.adminToken);
    this.staticUsers.set(this.adminToken, { username: 'meshdeck-admin', groups: [SYSTEM_MASTERS, 'system:authenticated'] });
    this.rbac = {
      clusterRoles: () => this.store.list(K.clusterRoles),
      clusterRoleBindings: () => this.store.list(K.clusterRoleBindings),
      roles: (namespace) => this.store.list(K.roles, namespace),
      roleBindings: (namespace) => this.store.list(K.roleBindings, namespace),
    };
    const ctx: ControllerContext = {
      api: this.api,
      store: this.store,
      clusterName: this.name,
      clusterIndex: this.index,
      now: () => this.now(),
      later: (ms, fn) => this.later(ms, fn),
      warn: options.warn ?? (() => {}),
    };
    this.controllerContext = ctx;
    this.kubelet = new Kubelet(ctx, { podStartDelayMs: options.podStartDelayMs ?? 0 });
    this.controllers = [
      new NamespaceController(ctx, options.certificate.caCertPem),
      new DeploymentController(ctx),
      new ReplicaSetController(ctx),
      this.kubelet,
      new EndpointsController(ctx),
      new GarbageCollector(ctx),
      new TokenController(ctx, this.tokens, options.certificate.caCertPem),
      new LoadBalancerController(ctx),
    ];
    this.store.subscribe((event) => {
      for (const controller of this.controllers) controller.onEvent(event);
    });
    this.http = createApiServer(this, options.certificate, options.gate);
    this.http.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    // TLS handshakes that fail (a client that does not trust the CA) are the client's problem, not ours.
    this.http.server.on('tlsClientError', () => {});
  }

  now(): Date {
    return new Date();
  }

  address(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  get isUp(): boolean {
    return this.listening;
  }

  /** Starts serving; a restarted cluster comes back on the port it had. */
  async listen(port = this.port): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.http.server.once('error', onError);
      this.http.server.listen(port, '127.0.0.1', () => {
        this.http.server.off('error', onError);
        resolve();
      });
    });
    this.port = (this.http.server.address() as AddressInfo).port;
    this.listening = true;
    return this.address();
  }

  /** Stops serving and drops every connection, like an API server that went away. State is kept. */
  async stopServing(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    this.http.closeStreams();
    const closed = new Promise<void>((resolve) => this.http.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Ends every open watch stream now, as when the API server restarts; returns how many were open. */
  closeWatchStreams(): number {
    return this.http.closeStreams();
  }

  async shutdown(): Promise<void> {
    for (const controller of this.controllers) controller.queue.stop();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.stopServing();
  }

  /** Runs every controller until nothing is left to do (seeding, tests). Timers are not waited for. */
  settle(): void {
    for (let round = 0; round < 1000; round++) {
      let handled = 0;
      for (const controller of this.controllers) handled += controller.queue.drain();
      if (handled === 0) return;
    }
    throw new Error(`cluster ${this.name}: controllers did not settle`);
  }

  /**
   * Adds a reconcile loop (the Istio layer's controllers): it sees every store event from now on,
   * takes part in `settle()`, and its timers stop with the cluster.
   */
  addController<C extends Controller>(create: (ctx: ControllerContext) => C): C {
    const controller = create(this.controllerContext);
    this.controllers.push(controller);
    return controller;
  }

  addUser(token: string, user: UserInfo): void {
    this.staticUsers.set(token, user);
  }

  setServiceProxy(namespace: string, service: string, port: string, handler: ServiceProxyHandler): void {
    this.proxies.set(`${namespace}/${service}:${port}`, handler);
  }

  /** A simulated server on `port` of the pods `matches` picks, reached through pods/portforward. */
  setPodPort(matches: (pod: KubeObject) => boolean, port: number, handler: ServiceProxyHandler): void {
    this.podPorts.push({ matches, port, handler });
  }

  podPort(pod: KubeObject, port: number): ServiceProxyHandler | undefined {
    return this.podPorts.find((p) => p.port === port && p.matches(pod))?.handler;
  }

  serviceProxy(namespace: string, service: string, port: string): ServiceProxyHandler | undefined {
    const exact = this.proxies.get(`${namespace}/${service}:${port}`);
    if (exact || port !== '') return exact;
    // No port in the URL means the service's first port; the first registered handler stands for it.
    for (const [key, handler] of this.proxies) if (key.startsWith(`${namespace}/${service}:`)) return handler;
    return undefined;
  }

  authenticate(bearerToken: string): UserInfo | undefined {
    const user = this.staticUsers.get(bearerToken);
    if (user) return user;
    const claims = this.tokens.verify(bearerToken, this.now());
    if (!claims) return undefined;
    // Tokens die with the service account (and, for legacy tokens, with their secret).
    const account = this.store.get(K.serviceAccounts, claims.namespace, claims.serviceAccount.name);
    if (!account || account.metadata.uid !== claims.serviceAccount.uid) return undefined;
    if (claims.secret) {
      const secret = this.store.get(K.secrets, claims.namespace, claims.secret.name);
      if (!secret || secret.metadata.uid !== claims.secret.uid) return undefined;
    }
    return serviceAccountUser(claims.namespace, claims.serviceAccount.name, claims.serviceAccount.uid);
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }
}
