import type { StoreEvent } from '../../store/object-store.js';
import { Controller, type ControllerContext } from '../../controllers/controller.js';
import { K } from '../../controllers/kinds.js';
import { ISTIO_NAMESPACE } from '../constants.js';
import { isRemoteSecret, remoteSecretEntries, type RemoteSecretEntry } from './remote-secrets.js';
import { probeRemote } from './remote-probe.js';
import { readRemoteServices } from './remote-services.js';
import type { KubeObject } from '../../objects.js';

export type RemoteSyncState = 'syncing' | 'synced' | 'timeout' | 'error';

/** What a primary's istiod knows about one remote cluster. */
export interface RemoteClusterStatus {
  clusterId: string;
  /** `istio-system/<secret name>`. */
  secretName: string;
  server?: string;
  state: RemoteSyncState;
  error?: string;
  /** When the last connection attempt finished (ISO time). */
  lastChecked?: string;
}

interface Tracked {
  entry: RemoteSecretEntry;
  status: RemoteClusterStatus;
  inFlight: boolean;
  /** The remote's Services as istiod's registry has them (none until listed, or when listing fails). */
  services?: KubeObject[];
}

/** One remote cluster's contribution to istiod's service registry. */
export interface RemoteRegistry {
  clusterId: string;
  services: KubeObject[];
}

export interface SecretControllerOptions {
  /** How long one connection attempt may take. */
  timeoutMs: number;
  /** How often every remote cluster is checked again. */
  recheckMs: number;
}

/**
 * istiod's multicluster secret controller: reads remote secrets (label istio/multiCluster=true in
 * istio-system; each data key is a cluster ID holding a kubeconfig), really connects to each
 * cluster with its kubeconfig, and records synced / timeout / error. Like istiod, it skips a
 * secret naming its own cluster ID and a cluster ID another secret already registered.
 */
export class RemoteSecretController extends Controller {
  private readonly bySecret = new Map<string, Map<string, Tracked>>();

  constructor(
    ctx: ControllerContext,
    private readonly localClusterId: string,
    private readonly options: SecretControllerOptions,
  ) {
    super(ctx);
    for (const secret of ctx.store.list(K.secrets, ISTIO_NAMESPACE)) if (isRemoteSecret(secret)) this.queue.add(secret.metadata.name!);
    this.scheduleRecheck();
  }

  onEvent(event: StoreEvent): void {
    if (event.def !== K.secrets || event.object.metadata.namespace !== ISTIO_NAMESPACE) return;
    if (isRemoteSecret(event.object) || isRemoteSecret(event.previous)) this.queue.add(event.object.metadata.name!);
  }

  /** Every registered remote cluster, by secret name then cluster ID. */
  statuses(): RemoteClusterStatus[] {
    return [...this.bySecret.keys()].sort().flatMap((secret) => [...this.bySecret.get(secret)!.values()].sort((a, b) => a.status.clusterId.localeCompare(b.status.clusterId)).map((t) => ({ ...t.status })));
  }

  /** The Services of every remote cluster istiod reads (a cluster whose lists fail adds none). */
  registries(): RemoteRegistry[] {
    return [...this.bySecret.values()].flatMap((clusters) => [...clusters.values()].flatMap((t) => (t.services ? [{ clusterId: t.status.clusterId, services: t.services }] : [])));
  }

  protected reconcile(name: string): void {
    const secret = this.ctx.store.get(K.secrets, ISTIO_NAMESPACE, name);
    const secretName = `${ISTIO_NAMESPACE}/${name}`;
    const before = this.bySecret.get(secretName) ?? new Map<string, Tracked>();
    const after = new Map<string, Tracked>();
    const entries = secret && isRemoteSecret(secret) ? remoteSecretEntries(secret) : [];
    for (const entry of entries) {
      if (entry.clusterId === this.localClusterId) continue;
      if (this.registeredElsewhere(entry.clusterId, secretName)) continue;
      const previous = before.get(entry.clusterId);
      if (previous && previous.entry.hash === entry.hash) {
        after.set(entry.clusterId, previous);
        continue;
      }
      const tracked: Tracked = { entry, inFlight: false, status: { clusterId: entry.clusterId, secretName, ...(entry.access ? { server: entry.access.server } : {}), state: 'syncing' } };
      after.set(entry.clusterId, tracked);
      this.check(tracked);
    }
    if (after.size > 0) this.bySecret.set(secretName, after);
    else this.bySecret.delete(secretName);
    // A cluster ID this secret gave up may be waiting in another secret that lost the race for it.
    if ([...before.keys()].some((id) => !after.has(id))) {
      for (const other of this.ctx.store.list(K.secrets, ISTIO_NAMESPACE)) if (other.metadata.name !== name && isRemoteSecret(other)) this.queue.add(other.metadata.name!);
    }
  }

  private registeredElsewhere(clusterId: string, secretName: string): boolean {
    for (const [other, clusters] of this.bySecret) if (other !== secretName && clusters.has(clusterId)) return true;
    return false;
  }

  private check(tracked: Tracked): void {
    if (tracked.inFlight) return;
    if (!tracked.entry.access) {
      tracked.status = { ...tracked.status, state: 'error', error: tracked.entry.error ?? 'no kubeconfig', lastChecked: this.ctx.now().toISOString() };
      return;
    }
    tracked.inFlight = true;
    const access = tracked.entry.access;
    void probeRemote(access, this.options.timeoutMs)
      .then(async (result) => {
        // The registry is filled only from a cluster istiod reaches; a failed list empties it, as a
        // reflector that cannot list leaves its informer without objects.
        const listed = result.status === 'synced' ? await readRemoteServices(access, this.options.timeoutMs) : undefined;
        return { result, listed };
      })
      .then(({ result, listed }) => {
        tracked.inFlight = false;
        const { error: _previousError, ...rest } = tracked.status;
        tracked.status = { ...rest, state: result.status, ...(result.error ? { error: result.error } : listed && 'error' in listed ? { error: listed.error } : {}), lastChecked: this.ctx.now().toISOString() };
        tracked.services = listed && 'services' in listed ? listed.services : undefined;
      });
  }

  private scheduleRecheck(): void {
    this.ctx.later(this.options.recheckMs, () => {
      for (const clusters of this.bySecret.values()) for (const tracked of clusters.values()) this.check(tracked);
      this.scheduleRecheck();
    });
  }
}
