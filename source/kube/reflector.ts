import type { ClusterTransport } from './transport.js';
import type { KubeObject, WatchedKind } from './types.js';
import { ResourceCache } from './resource-cache.js';
import { Backoff } from './backoff.js';
import { describeError, KubeRequestError, retryAfterMs } from './errors.js';

/** `forbidden`: the credentials may not list or watch this kind (403); the cluster itself is fine. */
export type ReflectorState = 'connecting' | 'synced' | 'absent' | 'forbidden' | 'failing';

export interface ReflectorStatus {
  state: ReflectorState;
  error?: string;
  /** When the next attempt is due (ms since epoch), while failing. */
  retryAt?: number;
  lastEventAt?: number;
}

export interface ReflectorOptions {
  /** A watch that sends nothing (not even a bookmark) for this long is restarted. */
  silenceMs: number;
  pageSize: number;
  /** Asked of the server so it ends watches itself now and then; we then resume from the last version. */
  watchTimeoutSeconds: number;
  now(): number;
  onChange(): void;
  /** Trims an object to what meshdeck needs before it is kept. */
  project(object: KubeObject): KubeObject;
}

/** How often a kind the credentials may not read (403) is asked again. */
const FORBIDDEN_RETRY_MS = 60_000;

/** A watch that ends sooner than this without any event counts as failed. */
const SHORT_WATCH_MS = 1_000;

interface ListResponse {
  metadata?: { resourceVersion?: string; continue?: string };
}

/**
 * list + watch for one kind, like client-go's reflector: pages the initial list, watches from its
 * resourceVersion with bookmarks, resumes after a closed stream, relists after 410 Gone, restarts a
 * watch that went silent, and backs off with jitter when the server fails.
 */
export class Reflector {
  readonly cache = new ResourceCache();
  status: ReflectorStatus = { state: 'connecting' };
  private resourceVersion = '';
  private stopped = false;
  private abort: AbortController | undefined;
  private readonly backoff = new Backoff();
  private wake: (() => void) | undefined;
  /** Until when the server asked not to be asked again (Retry-After); retryNow() does not cut it short. */
  private notBefore = 0;

  constructor(
    private readonly transport: ClusterTransport,
    readonly kind: WatchedKind,
    private readonly options: ReflectorOptions,
  ) {}

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    this.wake?.();
  }

  /** Skips a pending backoff wait (e.g. the user asked for a retry), but not a wait the server asked for. */
  retryNow(): void {
    if (this.options.now() < this.notBefore) return;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.list();
        // stop() may have come while the list was in flight; a watch started now would never be aborted.
        if (this.stopped) return;
        await this.watch();
        this.backoff.reset();
      } catch (error) {
        if (this.stopped) return;
        if (error instanceof KubeRequestError && error.status === 410) {
          this.resourceVersion = '';
          continue;
        }
        if (error instanceof KubeRequestError && error.status === 403) {
          // A read-only user (Kubernetes' own 'view' role) may not read secrets: that is not an outage.
          // Asked again now and then, in case the permission is granted.
          this.cache.clear();
          this.resourceVersion = '';
          this.setStatus({ state: 'forbidden', error: describeError(error) });
          await this.sleep(FORBIDDEN_RETRY_MS);
          continue;
        }
        if (error instanceof KubeRequestError && error.status === 404 && this.kind.optional) {
          this.cache.clear();
          this.setStatus({ state: 'absent' });
          await this.sleep(60_000);
          continue;
        }
        // A server that says when to come back (429, 503 with Retry-After) is not asked sooner.
        const serverWait = retryAfterMs(error);
        const delay = Math.max(this.backoff.next(), serverWait);
        this.notBefore = serverWait > 0 ? this.options.now() + serverWait : 0;
        this.setStatus({ state: 'failing', error: describeError(error), retryAt: this.options.now() + delay, ...(this.status.lastEventAt ? { lastEventAt: this.status.lastEventAt } : {}) });
        await this.sleep(delay);
      }
    }
  }

  private async list(): Promise<void> {
    const items: KubeObject[] = [];
    let continueToken = '';
    let version = '';
    do {
      const query = new URLSearchParams({ limit: String(this.options.pageSize) });
      if (continueToken) query.set('continue', continueToken);
      if (this.kind.labelSelector) query.set('labelSelector', this.kind.labelSelector);
      const page = await this.transport.requestList<ListResponse>(`${this.kind.path}?${query}`, (item) => items.push(this.options.project(item as KubeObject)), { timeoutMs: 30_000 });
      continueToken = page.metadata?.continue ?? '';
      version = page.metadata?.resourceVersion ?? version;
    } while (continueToken);
    this.cache.replace(items);
    this.resourceVersion = version;
    this.setStatus({ state: 'synced', lastEventAt: this.options.now() });
  }

  private async watch(): Promise<void> {
    const query = new URLSearchParams({
      watch: 'true',
      allowWatchBookmarks: 'true',
      resourceVersion: this.resourceVersion,
      timeoutSeconds: String(this.options.watchTimeoutSeconds),
    });
    if (this.kind.labelSelector) query.set('labelSelector', this.kind.labelSelector);
    const abort = new AbortController();
    this.abort = abort;
    let silentTimer: NodeJS.Timeout | undefined;
    let silent = false;
    const armWatchdog = () => {
      clearTimeout(silentTimer);
      silentTimer = setTimeout(() => {
        silent = true;
        abort.abort();
      }, this.options.silenceMs);
    };
    armWatchdog();
    let gone: KubeRequestError | undefined;
    let received = 0;
    let opened = false;
    const openedAt = this.options.now();
    try {
      await this.transport.stream(
        `${this.kind.path}?${query}`,
        (line) => {
          armWatchdog();
          let event: { type: string; object: KubeObject & { code?: number; message?: string } };
          try {
            event = JSON.parse(line);
          } catch {
            return;
          }
          received++;
          this.status.lastEventAt = this.options.now();
          if (event.type === 'ERROR') {
            const code = event.object.code ?? 500;
            gone = new KubeRequestError(event.object.message ?? 'watch error', code);
            abort.abort();
            return;
          }
          const version = event.object?.metadata?.resourceVersion;
          if (version) this.resourceVersion = version;
          if (event.type === 'BOOKMARK') return;
          if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') {
            this.cache.apply(event.type, event.type === 'DELETED' ? event.object : this.options.project(event.object));
            if (this.status.state !== 'synced') this.setStatus({ state: 'synced', lastEventAt: this.options.now() });
            this.options.onChange();
          }
        },
        {
          signal: abort.signal,
          // The server answered: the cluster is reachable again. Without this a reflector that had been
          // failing stayed 'failing' after the cluster came back until some object changed, and a quiet
          // kind (namespaces, Istio config) kept the whole cluster 'stale' indefinitely.
          onOpen: () => {
            opened = true;
            if (this.status.state !== 'synced') this.setStatus({ state: 'synced', lastEventAt: this.options.now() });
          },
        },
      );
    } catch (error) {
      // The watchdog's abort of a request that was never answered surfaces as a reset connection.
      if (!silent || opened || this.stopped) throw error;
    } finally {
      clearTimeout(silentTimer);
      this.abort = undefined;
    }
    if (gone) throw gone;
    // A watch request the server never answered (a proxy or load balancer that black-holes it) is a
    // failure with its own reason, not a quiet restart: the cluster shows stale and the retries back off.
    // Before, the watchdog's abort was reported as "connection reset", which sent people to the network.
    if (silent && !opened && !this.stopped) throw new KubeRequestError(`the API server did not answer a watch within ${Math.round(this.options.silenceMs / 1000)} s`);
    if (silent && !this.stopped) this.setStatus({ ...this.status, state: 'synced' });
    // As client-go's reflector does ("very short watch"): a watch the server ends at once without a single
    // event is a failure, so the loop backs off instead of reconnecting as fast as the network allows
    // (the flood of watch requests in kubernetes-client/javascript#1933).
    if (!silent && !this.stopped && received === 0 && this.options.now() - openedAt < SHORT_WATCH_MS) {
      throw new KubeRequestError('the API server ended the watch at once without sending anything');
    }
  }

  private setStatus(status: ReflectorStatus): void {
    this.status = status;
    this.options.onChange();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}
