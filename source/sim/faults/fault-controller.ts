import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '../objects.js';
import type { SimCluster } from '../cluster/sim-cluster.js';
import type { RequestGate } from '../api/http-server.js';
import type { LogCut } from '../api/serving-cluster.js';
import { ApiError } from '../api/status.js';
import { SeededRandom } from '../seeded-random.js';

/** Answer a share of a cluster's API requests with an error instead of serving them. */
export interface ErrorFault {
  status: 429 | 500 | 503;
  /** The share of matching requests that fail, from 0 to 1. */
  share: number;
  /**
   * With a seed, which requests fail is pseudo-random but the same for the same seed. Without one it
   * is counted: exactly `share` of every run of requests fail, spread evenly (with 0.5: every second).
   */
  seed?: number;
  /** Sent as Retry-After (and in the Status details); 429 defaults to 1 second. */
  retryAfterSeconds?: number;
  /** Only requests whose URL path starts with this. */
  pathPrefix?: string;
  /** Only requests with this HTTP method. */
  method?: string;
}

/** Cut followed `pods/log` streams: each one writes half of its next line and closes. */
export interface LogCutFault {
  namespace?: string;
  pod?: string;
  container?: string;
  /** How many streams to cut (default 1). */
  count?: number;
  /** Reset the connection instead of ending the response cleanly. */
  abort?: boolean;
}

export interface ClusterFaultStatus {
  name: string;
  up: boolean;
  address: string;
  latencyMs: number;
  errors?: ErrorFault & { matched: number; failed: number };
  pendingLogCuts: number;
}

/**
 * What one cluster's API server was asked since the counts were last reset: every request that
 * reached it (served, refused with an injected error, or held), so tests can tell a client that backs
 * off from one that hammers. `byRoute` keys are `METHOD /path`, with `?labelSelector=...` when there is one and ` (watch)` for watch requests.
 */
export interface RequestCounts {
  name: string;
  total: number;
  /** Answered with an injected error. */
  injected: number;
  /** Watch requests being held without an answer right now (see hangWatches). */
  held: number;
  byRoute: Record<string, number>;
}

/** A request for a cluster the simulator does not have, or an invalid fault. */
export class FaultError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
  }
}

interface ClusterFaults {
  latencyMs: number;
  errors?: { fault: ErrorFault; matched: number; failed: number };
  logCuts: { fault: LogCutFault; remaining: number }[];
  /** New watch requests are held without an answer while set. */
  hangWatches?: boolean;
}

interface Counter {
  total: number;
  injected: number;
  byRoute: Map<string, number>;
}

/**
 * Faults for reliability tests, per simulated cluster: an API server that goes away and comes back,
 * latency, 500/503/429 answers for a share of requests, watch streams closed, watch versions expired
 * (410 on resume), and log streams cut in the middle of a line. Requests meet the faults in the
 * cluster's RequestGate; streams through `SimCluster.streamFaults`.
 */
export class FaultController {
  private readonly state = new Map<string, ClusterFaults>();
  private defaultLatencyMs = 0;
  /** Per cluster, per client program. */
  private readonly counters = new Map<string, Map<string, Counter>>();
  /** Watch requests held by hangWatches, per cluster: calling one lets it be served. */
  private readonly held = new Map<string, Set<() => void>>();

  constructor(private readonly clusters: () => readonly SimCluster[]) {}

  /** The RequestGate for the cluster called `name` (installed when the cluster is created). */
  gate(name: string): RequestGate {
    return async (req) => {
      // Counted per client program (the User-Agent's product: kubectl, meshdeck, ...), so a test can
      // count what one client asked while kubectl checks the same cluster.
      const counter = this.counterOf(name, String(req.headers['user-agent'] ?? '').split(/[/ ]/)[0] || 'unknown');
      const url = new URL(req.url ?? '/', 'https://sim');
      const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
      // Watches of one collection with different label selectors are different clients' streams.
      const selector = url.searchParams.get('labelSelector');
      const route = `${req.method ?? 'GET'} ${url.pathname}${selector ? `?labelSelector=${selector}` : ''}${watch ? ' (watch)' : ''}`;
      counter.total++;
      counter.byRoute.set(route, (counter.byRoute.get(route) ?? 0) + 1);
      const faults = this.faultsOf(name);
      if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
      const error = this.injectedError(faults, req);
      if (error) {
        counter.injected++;
        return error;
      }
      if (watch && this.faultsOf(name).hangWatches) await this.hold(name, req);
      return undefined;
    };
  }

  /** Connects the stream hooks of a cluster to this controller. */
  attach(cluster: SimCluster): void {
    cluster.streamFaults.cutFollowedLog = (pod, container) => this.takeLogCut(cluster.name, pod, container);
  }

  /** Stops the cluster's API server: connections drop and new ones are refused. Its state is kept. */
  async takeDown(name: string): Promise<void> {
    await this.cluster(name).stopServing();
  }

  /** Starts serving again on the same port; returns the address. */
  async bringUp(name: string): Promise<string> {
    const cluster = this.cluster(name);
    return cluster.isUp ? cluster.address() : cluster.listen();
  }

  /** Delays every request of one cluster, or of all clusters when no name is given, by `ms`. */
  setLatency(ms: number, name?: string): void {
    if (!Number.isFinite(ms) || ms < 0) throw new FaultError(`latency must be a non-negative number of milliseconds, got ${ms}`);
    for (const cluster of this.targets(name)) this.faultsOf(cluster.name).latencyMs = ms;
    if (name === undefined) this.defaultLatencyMs = ms;
  }

  setErrors(fault: ErrorFault, name?: string): void {
    if (![429, 500, 503].includes(fault.status)) throw new FaultError(`status must be 429, 500 or 503, got ${fault.status}`);
    if (!(fault.share >= 0 && fault.share <= 1)) throw new FaultError(`share must be between 0 and 1, got ${fault.share}`);
    if (fault.retryAfterSeconds !== undefined && !(Number.isInteger(fault.retryAfterSeconds) && fault.retryAfterSeconds >= 0)) {
      throw new FaultError(`retryAfterSeconds must be a non-negative integer, got ${fault.retryAfterSeconds}`);
    }
    for (const cluster of this.targets(name)) this.faultsOf(cluster.name).errors = { fault: { ...fault }, matched: 0, failed: 0 };
  }

  clearErrors(name?: string): void {
    for (const cluster of this.targets(name)) delete this.faultsOf(cluster.name).errors;
  }

  /** Ends every open watch stream now; clients see the stream end and must re-watch. Returns how many. */
  closeWatches(name?: string): number {
    return this.targets(name).reduce((sum, cluster) => sum + cluster.closeWatchStreams(), 0);
  }

  /**
   * Compacts the cluster's watch history: a watch resuming from any resourceVersion handed out so far
   * gets `410 Expired` and the client has to list again. Open streams are left alone unless
   * `closeStreams` is set (then they end, and their resume hits the 410 at once).
   */
  expireWatches(name?: string, options: { closeStreams?: boolean } = {}): { closed: number } {
    let closed = 0;
    for (const cluster of this.targets(name)) {
      cluster.store.compact();
      if (options.closeStreams) closed += cluster.closeWatchStreams();
    }
    return { closed };
  }

  /**
   * A silent watch: from now on new watch requests get no answer at all (no status, no event, no
   * bookmark) and stay open, as behind a proxy or load balancer that black-holes the stream. Open
   * watches are left alone unless `closeStreams` is set. releaseWatches ends it.
   */
  hangWatches(name?: string, options: { closeStreams?: boolean } = {}): { closed: number } {
    let closed = 0;
    for (const cluster of this.targets(name)) {
      this.faultsOf(cluster.name).hangWatches = true;
      if (options.closeStreams) closed += cluster.closeWatchStreams();
    }
    return { closed };
  }

  /** Ends hangWatches; the requests held so far are served now (those whose client gave up go nowhere). Returns how many. */
  releaseWatches(name?: string): number {
    let released = 0;
    for (const cluster of this.targets(name)) {
      delete this.faultsOf(cluster.name).hangWatches;
      const waiting = this.held.get(cluster.name);
      if (!waiting) continue;
      this.held.delete(cluster.name);
      for (const release of waiting) {
        release();
        released++;
      }
    }
    return released;
  }

  /**
   * How many requests each cluster (or the one named) was asked since the last resetRequestCounts;
   * with `agent`, only those of that client (the product of its User-Agent: `meshdeck`, `kubectl`).
   */
  requestCounts(name?: string, agent?: string): RequestCounts[] {
    return this.targets(name).map((cluster) => {
      const counters = [...(this.counters.get(cluster.name) ?? new Map<string, Counter>())].filter(([a]) => agent === undefined || a === agent).map(([, c]) => c);
      const byRoute = new Map<string, number>();
      for (const counter of counters) for (const [route, n] of counter.byRoute) byRoute.set(route, (byRoute.get(route) ?? 0) + n);
      return {
        name: cluster.name,
        total: counters.reduce((sum, c) => sum + c.total, 0),
        injected: counters.reduce((sum, c) => sum + c.injected, 0),
        held: this.held.get(cluster.name)?.size ?? 0,
        byRoute: Object.fromEntries([...byRoute].sort(([a], [b]) => a.localeCompare(b))),
      };
    });
  }

  resetRequestCounts(name?: string): void {
    for (const cluster of this.targets(name)) this.counters.delete(cluster.name);
  }

  /** Arms a cut for the next followed log stream(s) that match. */
  cutNextLog(fault: LogCutFault = {}, name?: string): void {
    const count = fault.count ?? 1;
    if (!(Number.isInteger(count) && count > 0)) throw new FaultError(`count must be a positive integer, got ${fault.count}`);
    for (const cluster of this.targets(name)) this.faultsOf(cluster.name).logCuts.push({ fault: { ...fault }, remaining: count });
  }

  /** Clears every fault and brings every cluster back up. */
  async reset(): Promise<void> {
    this.releaseWatches();
    this.state.clear();
    this.defaultLatencyMs = 0;
    for (const cluster of this.clusters()) if (!cluster.isUp) await cluster.listen();
  }

  status(): ClusterFaultStatus[] {
    return this.clusters().map((cluster) => {
      const faults = this.faultsOf(cluster.name);
      return {
        name: cluster.name,
        up: cluster.isUp,
        address: cluster.address(),
        latencyMs: faults.latencyMs,
        ...(faults.errors ? { errors: { ...faults.errors.fault, matched: faults.errors.matched, failed: faults.errors.failed } } : {}),
        pendingLogCuts: faults.logCuts.reduce((sum, cut) => sum + cut.remaining, 0),
      };
    });
  }

  private injectedError(faults: ClusterFaults, req: IncomingMessage): ApiError | undefined {
    const errors = faults.errors;
    if (!errors) return undefined;
    const { fault } = errors;
    const path = new URL(req.url ?? '/', 'https://sim').pathname;
    if (fault.pathPrefix && !path.startsWith(fault.pathPrefix)) return undefined;
    if (fault.method && fault.method.toUpperCase() !== (req.method ?? 'GET')) return undefined;
    const n = errors.matched++;
    const fails = fault.seed !== undefined ? new SeededRandom(`${fault.seed}/${n}`).next() < fault.share : Math.floor((n + 1) * fault.share + 1e-9) > Math.floor(n * fault.share + 1e-9);
    if (!fails) return undefined;
    errors.failed++;
    return apiError(fault);
  }

  private takeLogCut(name: string, pod: KubeObject, container: string): LogCut | undefined {
    const faults = this.faultsOf(name);
    const index = faults.logCuts.findIndex(({ fault }) => (!fault.namespace || fault.namespace === pod.metadata.namespace) && (!fault.pod || fault.pod === pod.metadata.name) && (!fault.container || fault.container === container));
    if (index < 0) return undefined;
    const cut = faults.logCuts[index]!;
    if (--cut.remaining === 0) faults.logCuts.splice(index, 1);
    return { abort: cut.fault.abort ?? false };
  }

  /** Holds a watch request until releaseWatches, or until its client goes away. */
  private hold(name: string, req: IncomingMessage): Promise<void> {
    return new Promise<void>((resolve) => {
      let waiting = this.held.get(name);
      if (!waiting) this.held.set(name, (waiting = new Set()));
      const release = () => {
        this.held.get(name)?.delete(release);
        req.socket.off('close', release);
        resolve();
      };
      waiting.add(release);
      // A client that gave up is no longer held (it is served into a closed socket, which goes nowhere).
      req.socket.on('close', release);
    });
  }

  private counterOf(name: string, agent: string): Counter {
    let byAgent = this.counters.get(name);
    if (!byAgent) this.counters.set(name, (byAgent = new Map()));
    let counter = byAgent.get(agent);
    if (!counter) byAgent.set(agent, (counter = { total: 0, injected: 0, byRoute: new Map() }));
    return counter;
  }

  private faultsOf(name: string): ClusterFaults {
    let faults = this.state.get(name);
    if (!faults) {
      faults = { latencyMs: this.defaultLatencyMs, logCuts: [] };
      this.state.set(name, faults);
    }
    return faults;
  }

  private cluster(name: string): SimCluster {
    const found = this.clusters().find((c) => c.name === name);
    if (!found) throw new FaultError(`no simulated cluster named "${name}" (known: ${this.clusters().map((c) => c.name).join(', ')})`, 404);
    return found;
  }

  private targets(name: string | undefined): readonly SimCluster[] {
    return name === undefined ? this.clusters() : [this.cluster(name)];
  }
}

/** The Status a real API server sends for these codes. */
function apiError(fault: ErrorFault): ApiError {
  const retryAfter = fault.retryAfterSeconds ?? (fault.status === 429 ? 1 : undefined);
  const headers = retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : undefined;
  const details = retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : undefined;
  switch (fault.status) {
    case 429:
      return new ApiError(429, 'TooManyRequests', 'Too many requests, please try again later.', details, headers);
    case 503:
      return new ApiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request', details, headers);
    default:
      return new ApiError(500, 'InternalError', 'Internal error occurred: injected fault (meshdeck sim)', details, headers);
  }
}
