import type { ClusterSnapshot } from '../kube/cluster-session.js';
import type { KubeObject } from '../kube/types.js';

export type { ClusterSnapshot, KubeObject };

export type ClusterRole = 'primary' | 'remote' | 'standalone' | 'no istio' | 'unknown';

export interface ClusterRow {
  key: string;
  cluster: string;
  state: ClusterSnapshot['state'];
  /** Why the API is not reachable, and when the next try is. */
  problem?: string;
  kubernetesVersion?: string;
  istioVersion?: string;
  role: ClusterRole;
  /** For remotes: the primaries they name in topology.istio.io/controlPlaneClusters. */
  controlPlanes?: string[];
  meshId?: string;
  clusterId?: string;
  network?: string;
  rootFingerprint?: string;
  rootSubject?: string;
  /** Remote secrets this cluster holds, with istiod's sync status where known. */
  remoteSecrets: { clusterId: string; secret: string; status: string }[];
  pods: number;
}

export type GatewayKind = 'ingress' | 'east-west' | 'egress' | 'gateway';

export interface GatewayRow {
  key: string;
  cluster: string;
  namespace: string;
  name: string;
  kind: GatewayKind;
  ready: number;
  desired: number;
  serviceType?: string;
  address?: string;
  /** e.g. ['80→8080/http2', '443→8443/https', '15443/tls'] */
  ports: string[];
  /** namespace/name of Istio Gateway resources that select this gateway's pods. */
  boundGateways: string[];
  labels: Record<string, string>;
}

export type SidecarState = 'injected' | 'partial' | 'missing' | 'disabled' | 'none';

export interface WorkloadRow {
  key: string;
  cluster: string;
  namespace: string;
  name: string;
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'Pod' | 'ReplicaSet';
  version?: string;
  ready: number;
  total: number;
  sidecar: SidecarState;
  restarts: number;
  /** Pod keys (namespace/name) behind this workload, for logs and details. */
  pods: string[];
}

export interface MeshSummary {
  errors?: number;
  warnings?: number;
  clustersUp: number;
  clustersTotal: number;
  gatewaysReady: number;
  gatewaysTotal: number;
  workloadsWithoutSidecar: number;
  distinctRoots: number;
}

/** A doctor finding as a table row (the key is stable while the finding stays). */
export interface FindingRow {
  key: string;
  code: string;
  severity: 'error' | 'warning' | 'info';
  cluster: string;
  object: string;
  message: string;
  fix: string;
}

/** A service row as the services pane shows it: `cluster` lists the clusters that have it (for :ctx). */
export type ServicePaneRow = import('./services.js').ServiceRow & { cluster: string };
