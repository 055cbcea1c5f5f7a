import { ClusterSession, type ClusterSnapshot } from './cluster-session.js';
import type { ContextEntry } from './kubeconfig.js';
import { contextCredentials, needsClientNode } from './context-credentials.js';

export interface MeshSessionOptions {
  /** Listeners hear about changes at most once per this interval, however many events arrive. */
  frameMs?: number;
  silenceMs?: number;
  /** client-node, for contexts whose credentials need it (MeshSession.open loads it only then). */
  clientNode?: typeof import('@kubernetes/client-node');
}

/**
 * All clusters of the cockpit. Watch events land in per-cluster caches; listeners are told at most
 * once per frame, so the screen's cost depends on the frame rate, not on the event rate.
 */
export class MeshSession {
  readonly clusters: ClusterSession[];
  private readonly listeners = new Set<() => void>();
  private pending: NodeJS.Timeout | undefined;
  private revision = 0;
  private readonly frameMs: number;

  /** A session whose contexts are all ready to use: client-node is loaded first if one of them needs it. */
  static async open(contexts: ContextEntry[], options: MeshSessionOptions = {}): Promise<MeshSession> {
    const clientNode = options.clientNode ?? (contexts.some(needsClientNode) ? await import('@kubernetes/client-node') : undefined);
    return new MeshSession(contexts, { ...options, ...(clientNode ? { clientNode } : {}) });
  }

  constructor(contexts: ContextEntry[], options: MeshSessionOptions = {}) {
    this.frameMs = options.frameMs ?? 100;
    this.clusters = contexts.map((entry) => {
      const { config, setupError } = contextCredentials(entry, options.clientNode);
      return new ClusterSession(entry.name, config, { onChange: () => this.changed(), ...(options.silenceMs ? { silenceMs: options.silenceMs } : {}), ...(setupError ? { setupError } : {}) });
    });
  }

  start(): void {
    for (const cluster of this.clusters) cluster.start();
  }

  stop(): void {
    clearTimeout(this.pending);
    for (const cluster of this.clusters) cluster.stop();
  }

  /** A number that changes whenever any cluster's data does (for useSyncExternalStore). */
  getRevision = (): number => this.revision;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot(): ClusterSnapshot[] {
    return this.clusters.map((cluster) => cluster.snapshot());
  }

  /**
   * Resolves true once every cluster has settled (listed every kind or failed, and read istiod's
   * clusterz where istiod runs), or false when `timeoutMs` passes first. For one-shot readers.
   */
  async waitUntilSettled(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const asked = new Set<ClusterSession>();
    for (;;) {
      let settled = true;
      for (const cluster of this.clusters) {
        const state = cluster.settlement();
        if (state === 'settled') continue;
        settled = false;
        if (state === 'istiod' && !asked.has(cluster)) {
          asked.add(cluster);
          void cluster.refreshIstiod();
        }
      }
      if (settled) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, left)));
    }
  }

  cluster(name: string): ClusterSession | undefined {
    return this.clusters.find((c) => c.name === name);
  }

  private changed(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.revision++;
      for (const listener of this.listeners) listener();
    }, this.frameMs);
  }
}
