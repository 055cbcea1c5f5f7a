import type { SimCluster } from '../cluster/sim-cluster.js';
import { K } from '../controllers/kinds.js';
import { CONTROL_PLANE_CLUSTERS_ANNOTATION, ISTIO_NAMESPACE, NETWORK_LABEL } from './constants.js';
import type { InstallIdentity } from './mesh-config.js';
import type { LoadedCa } from './ca-loading.js';
import { computeTrust, type ClusterTrust } from './trust-model.js';

export type IstioRole = 'primary' | 'remote';

/** Hooks the installation wires up so that a mesh-wide change reaches every cluster's loops. */
export interface MemberHooks {
  /** Called (synchronously, cheaply) when anything trust depends on may have changed. */
  trustChanged(): void;
  /** The CA the newest running istiod of a primary loaded at its start. */
  activeCa(): LoadedCa | undefined;
}

/** One cluster's Istio installation, as the simulator knows it. */
export class IstioMember {
  constructor(
    readonly cluster: SimCluster,
    readonly mesh: IstioMesh,
    readonly role: IstioRole,
    readonly identity: InstallIdentity,
    /** For remotes: the cluster ID of the primary that runs their control plane. */
    readonly primaryClusterId: string | undefined,
    readonly hooks: MemberHooks,
  ) {}

  get clusterId(): string {
    return this.identity.clusterId;
  }

  /** The network, as labelled on istio-system now (users relabel), else as installed. */
  get network(): string {
    const namespace = this.cluster.store.get(K.namespaces, undefined, ISTIO_NAMESPACE);
    return namespace?.metadata.labels?.[NETWORK_LABEL] ?? this.identity.network;
  }

  /** For remotes: the primary named by istio-system's `topology.istio.io/controlPlaneClusters` annotation. */
  primary(): IstioMember | undefined {
    if (this.role !== 'remote') return undefined;
    const namespace = this.cluster.store.get(K.namespaces, undefined, ISTIO_NAMESPACE);
    const annotated = namespace?.metadata.annotations?.[CONTROL_PLANE_CLUSTERS_ANNOTATION];
    const ids = annotated ? annotated.split(',').map((id) => id.trim()) : [this.primaryClusterId ?? ''];
    for (const id of ids) {
      const found = id === '*' ? this.mesh.members.find((m) => m.role === 'primary') : this.mesh.byClusterId(id);
      if (found && found.role === 'primary') return found;
    }
    return undefined;
  }
}

const members = new WeakMap<SimCluster, IstioMember>();

/** The Istio installation of a simulated cluster, if it has one. */
export function istioOf(cluster: SimCluster): IstioMember | undefined {
  return members.get(cluster);
}

/**
 * The clusters of one simulated mesh. The simulated clusters run in one process, so the mesh can
 * look across them (which root a primary's istiod signs with, which cluster a remote secret's
 * server address is); what crosses clusters over the network (remote secrets) really goes over HTTPS.
 */
export class IstioMesh {
  readonly members: IstioMember[] = [];
  private version = 0;
  private cache: { version: number; trust: Map<IstioMember, ClusterTrust> } | undefined;

  add(member: IstioMember): void {
    if (members.has(member.cluster)) throw new Error(`cluster ${member.cluster.name} already has Istio installed`);
    members.set(member.cluster, member);
    this.members.push(member);
    this.invalidate();
  }

  byClusterId(id: string): IstioMember | undefined {
    return this.members.find((m) => m.clusterId === id);
  }

  /** The member whose API server answers at `server` (a kubeconfig's https://host:port). */
  byServer(server: string): IstioMember | undefined {
    const wanted = normaliseServer(server);
    if (!wanted) return undefined;
    return this.members.find((m) => normaliseServer(m.cluster.address()) === wanted);
  }

  /** Something trust depends on changed: recompute lazily, and let every member re-check its proxies. */
  invalidate(): void {
    this.version++;
    for (const member of this.members) member.hooks.trustChanged();
  }

  trust(member: IstioMember): ClusterTrust {
    if (!this.cache || this.cache.version !== this.version) this.cache = { version: this.version, trust: computeTrust(this) };
    return this.cache.trust.get(member) ?? { summary: '' };
  }
}

function normaliseServer(server: string): string | undefined {
  try {
    const url = new URL(server);
    const host = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname;
    return `${host}:${url.port || '443'}`;
  } catch {
    return undefined;
  }
}

