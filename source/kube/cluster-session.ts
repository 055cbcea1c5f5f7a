import type { CredentialConfig } from './context-credentials.js';
import { ClusterTransport } from './transport.js';
import { Reflector, type ReflectorState } from './reflector.js';
import { WATCHED_KINDS, type ExtraKindId, type KindId } from './watched-kinds.js';
import { projectFor } from './project.js';
import { describeError, retryAfterMs } from './errors.js';
import { describeIstiodDebugError, readIstiodDebug } from './istiod-debug.js';
import type { ConnectionState, KubeObject } from './types.js';
import { summarizePem, type CertificateSummary } from '../pki/fingerprint.js';

export interface RemoteClusterStatus {
  id: string;
  syncStatus: string;
  /** `istio-system/<secret>` the cluster was registered from; empty for istiod's own cluster. */
  secretName?: string;
}

/** One watched kind of one cluster: the objects and a version that changes whenever they do. */
export interface KindCache {
  version: number;
  items: ReadonlyMap<string, KubeObject>;
}

export interface ClusterSnapshot {
  name: string;
  server: string;
  state: ConnectionState;
  error?: string;
  retryAt?: number;
  lastEventAt?: number;
  kubernetesVersion?: string;
  /** Per kind: the objects and a version that changes whenever they do. The doctor's kinds may be absent. */
  kinds: Record<KindId, KindCache> & Partial<Record<ExtraKindId, KindCache>>;
  rootCertificate?: CertificateSummary;
  /** Remote clusters as istiod reports them (/debug/clusterz); undefined when not asked or not reachable. */
  istiodClusters?: RemoteClusterStatus[];
  /** Why istiod's /debug/clusterz could not be read (istiod runs here), in one line. */
  istiodError?: string;
  /** What the credentials may not read (403), e.g. "secrets in istio-system"; those caches stay empty. */
  forbidden?: string[];
}

export interface ClusterSessionOptions {
  silenceMs?: number;
  now?: () => number;
  onChange(): void;
  /**
   * Why this context cannot be used at all (its kubeconfig entry could not be loaded). The session
   * then asks nothing and shows the cluster down with this one-line reason, instead of failing the
   * whole cockpit.
   */
  setupError?: string;
}

/** Everything meshdeck knows about one context: its own transport (credentials never shared) and watches. */
export class ClusterSession {
  private readonly transport: ClusterTransport;
  private readonly reflectors = new Map<KindId | ExtraKindId, Reflector>();
  private versionText: string | undefined;
  private versionError: string | undefined;
  private istiodClusters: RemoteClusterStatus[] | undefined;
  private istiodError: string | undefined;
  /** Whether istiod's clusterz was asked (or found unnecessary) after the deployments were listed. */
  private istiodChecked = false;
  private rootCache: { pem: string; summary: CertificateSummary | undefined } | undefined;
  private readonly lastStates = new Map<Reflector, ReflectorState>();
  private wakeVersion: (() => void) | undefined;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private readonly now: () => number;

  constructor(
    readonly name: string,
    config: CredentialConfig,
    private readonly options: ClusterSessionOptions,
  ) {
    this.transport = new ClusterTransport(config);
    this.now = options.now ?? Date.now;
    for (const kind of WATCHED_KINDS) {
      this.reflectors.set(
        kind.id as KindId | ExtraKindId,
        new Reflector(this.transport, kind, {
          silenceMs: options.silenceMs ?? 90_000,
          pageSize: 500,
          watchTimeoutSeconds: 300,
          now: this.now,
          onChange: () => this.reflectorChanged(),
          project: projectFor(kind.id),
        }),
      );
    }
  }

  get server(): string {
    return this.transport.server;
  }

  /** This cluster's own connection, for streams the caches do not cover (logs). */
  get http(): ClusterTransport {
    return this.transport;
  }

  start(): void {
    if (this.options.setupError) return;
    void this.fetchVersion();
    for (const reflector of this.reflectors.values()) reflector.start();
    this.schedule(() => this.pollIstiod(), 1_000, 10_000);
  }

  stop(): void {
    this.stopped = true;
    for (const reflector of this.reflectors.values()) reflector.stop();
    for (const timer of this.timers) clearTimeout(timer);
    this.wakeVersion?.();
  }

  /**
   * How far a one-shot reader (meshdeck doctor) can trust the snapshot: `settled` once every kind is
   * listed, absent or failing, the version asked, and istiod's clusterz read where istiod runs;
   * `istiod` when only the clusterz read is missing (see refreshIstiod); else `pending`.
   */
  settlement(): 'pending' | 'istiod' | 'settled' {
    if (this.options.setupError) return 'settled';
    if (this.versionText === undefined && this.versionError === undefined) return 'pending';
    if ([...this.reflectors.values()].some((r) => r.status.state === 'connecting')) return 'pending';
    return this.istiodChecked || this.reflectors.get('deployments')!.status.state !== 'synced' ? 'settled' : 'istiod';
  }

  /** Asks istiod's /debug/clusterz now rather than at the next poll. */
  refreshIstiod(): Promise<void> {
    return this.pollIstiod();
  }

  /** Reads one object in full (for the detail view); the caches hold trimmed copies. */
  getRaw(path: string): Promise<string> {
    return this.transport.request(path, { timeoutMs: 10_000 });
  }

  snapshot(): ClusterSnapshot {
    const pods = this.reflectors.get('pods')!.status;
    const failing = [...this.reflectors.values()].filter((r) => r.status.state === 'failing');
    const synced = [...this.reflectors.values()].some((r) => r.status.state === 'synced');
    let state: ConnectionState;
    if (this.options.setupError) state = 'down';
    else if (failing.length > 0 || this.versionError) state = pods.lastEventAt ? 'stale' : 'down';
    else if (synced && pods.state === 'synced') state = 'synced';
    else state = 'connecting';
    const error = this.options.setupError ?? this.versionError ?? failing[0]?.status.error;
    const retryAt = failing[0]?.status.retryAt;
    const kinds = {} as ClusterSnapshot['kinds'];
    for (const [id, reflector] of this.reflectors) kinds[id] = { version: reflector.cache.version, items: reflector.cache.items };
    const forbidden = [...new Set([...this.reflectors.values()].filter((r) => r.status.state === 'forbidden').map((r) => resourceName(r.kind.path)))];
    const root = this.rootCertificate();
    return {
      name: this.name,
      server: this.transport.server,
      state,
      ...(error ? { error } : {}),
      ...(retryAt ? { retryAt } : {}),
      ...(pods.lastEventAt ? { lastEventAt: pods.lastEventAt } : {}),
      ...(this.versionText ? { kubernetesVersion: this.versionText } : {}),
      kinds,
      ...(root ? { rootCertificate: root } : {}),
      ...(this.istiodClusters ? { istiodClusters: this.istiodClusters } : {}),
      ...(this.istiodError ? { istiodError: this.istiodError } : {}),
      ...(forbidden.length > 0 ? { forbidden } : {}),
    };
  }

  private rootCertificate(): CertificateSummary | undefined {
    const configMap = this.reflectors.get('istioConfigMaps')!.cache.items.get('istio-system/istio-ca-root-cert');
    const pem = (configMap?.['data'] as Record<string, string> | undefined)?.['root-cert.pem'];
    if (!pem) return undefined;
    if (this.rootCache?.pem !== pem) this.rootCache = { pem, summary: summarizePem(pem)[0] };
    return this.rootCache.summary;
  }

  private async fetchVersion(): Promise<void> {
    const backoffMs = [1000, 2000, 5000, 10_000, 30_000];
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const version = await this.transport.requestJson<{ gitVersion?: string }>('/version', { timeoutMs: 10_000 });
        this.versionText = version.gitVersion;
        this.versionError = undefined;
        this.options.onChange();
        return;
      } catch (error) {
        this.versionError = describeError(error);
        this.options.onChange();
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            this.wakeVersion = undefined;
            resolve();
          };
          const timer = setTimeout(done, Math.max(backoffMs[Math.min(attempt, backoffMs.length - 1)]!, retryAfterMs(error)));
          this.timers.push(timer);
          this.wakeVersion = done;
        });
      }
    }
  }

  /**
   * When one kind gets through again after failing, the cluster is back: the kinds still waiting out
   * their own backoff, and the /version request, retry now. Otherwise each waited up to 30 s on its own
   * schedule and the cluster stayed stale (or down) long after it answered again. Only a failing →
   * synced transition wakes them, so a kind that keeps failing (403) is not retried on every event.
   */
  private reflectorChanged(): void {
    let recovered = false;
    for (const reflector of this.reflectors.values()) {
      const state = reflector.status.state;
      if (this.lastStates.get(reflector) === 'failing' && state === 'synced') recovered = true;
      this.lastStates.set(reflector, state);
    }
    if (recovered) {
      for (const reflector of this.reflectors.values()) if (reflector.status.state === 'failing') reflector.retryNow();
      this.wakeVersion?.();
    }
    this.options.onChange();
  }

  // istiod's own view of remote clusters; only primaries run istiod, so others skip the call.
  private async pollIstiod(): Promise<void> {
    const deployments = this.reflectors.get('deployments')!;
    const listed = deployments.status.state === 'synced';
    const istiod = deployments.cache.items.get('istio-system/istiod');
    if (!istiod) {
      this.istiodClusters = undefined;
      this.istiodError = undefined;
      if (listed) this.istiodChecked = true;
      return;
    }
    try {
      // istiod's ClusterDebugInfo serializes as {id, secretName, syncStatus}.
      // Through a port-forward to istiod's pod (istiod serves /debug there); the service proxy only if that is not allowed.
      const body = await readIstiodDebug<{ id?: string; secretName?: string; syncStatus?: string }[]>(this.transport, '/debug/clusterz', { timeoutMs: 5_000 });
      const next = (Array.isArray(body) ? body : []).map((entry) => ({ id: String(entry.id ?? ''), syncStatus: String(entry.syncStatus ?? 'unknown'), secretName: String(entry.secretName ?? '') }));
      if (JSON.stringify(next) !== JSON.stringify(this.istiodClusters) || this.istiodError !== undefined) {
        this.istiodClusters = next;
        this.istiodError = undefined;
        this.options.onChange();
      }
    } catch (error) {
      const why = describeIstiodDebugError(error, '/debug/clusterz');
      if (this.istiodClusters !== undefined || this.istiodError !== why) {
        this.istiodClusters = undefined;
        this.istiodError = why;
        this.options.onChange();
      }
    } finally {
      if (listed) this.istiodChecked = true;
    }
  }

  private schedule(task: () => Promise<void>, firstMs: number, everyMs: number): void {
    const run = async () => {
      if (this.stopped) return;
      await task();
      if (!this.stopped) this.timers.push(setTimeout(run, everyMs));
    };
    this.timers.push(setTimeout(run, firstMs));
  }
}

/** A collection path as a person names it: /api/v1/namespaces/istio-system/secrets → "secrets in istio-system". */
function resourceName(path: string): string {
  const parts = path.split('/').filter(Boolean);
  const resource = parts[parts.length - 1] ?? path;
  const group = parts[0] === 'apis' ? parts[1] : undefined;
  const namespace = parts.indexOf('namespaces') >= 0 ? parts[parts.indexOf('namespaces') + 1] : undefined;
  return `${resource}${group ? `.${group}` : ''}${namespace ? ` in ${namespace}` : ''}`;
}
