import type { ClusterTransport } from '../../kube/transport.js';
import type { ReviewablePlan, ReviewStep } from '../plan.js';

/** What the join engine needs of a cluster's API: JSON over HTTPS (ClusterTransport, or anything like it). */
export type KubeApi = Pick<ClusterTransport, 'request' | 'requestJson'>;

export const ISTIO_NAMESPACE = 'istio-system';

// Keys Istio reads, as Istio spells them.
export const CONTROL_PLANE_CLUSTERS_ANNOTATION = 'topology.istio.io/controlPlaneClusters';
export const NETWORK_LABEL = 'topology.istio.io/network';
export const MULTICLUSTER_SECRET_LABEL = 'istio/multiCluster';
export const CLUSTER_ANNOTATION = 'networking.istio.io/cluster';

// The names istioctl and Istio's charts use.
export const READER_SERVICE_ACCOUNT = 'istio-reader-service-account';
/** The long-lived token Secret `istioctl create-remote-secret` makes on Kubernetes 1.24+. */
export const READER_TOKEN_SECRET = `${READER_SERVICE_ACCOUNT}-istio-remote-secret-token`;
export const READER_CLUSTER_ROLE = `istio-reader-clusterrole-${ISTIO_NAMESPACE}`;
export const REMOTE_SECRET_PREFIX = 'istio-remote-secret-';
export const EASTWEST_SERVICE = 'istio-eastwestgateway';
/** The objects of Istio's samples/multicluster/expose-istiod.yaml and expose-services.yaml. */
export const ISTIOD_GATEWAY = 'istiod-gateway';
export const ISTIOD_VIRTUAL_SERVICE = 'istiod-vs';
export const CROSS_NETWORK_GATEWAY = 'cross-network-gateway';

// How meshdeck marks what it creates.
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'meshdeck';
/** On every object join creates: the cluster name of the remote it was created for. */
export const JOIN_CLUSTER_ANNOTATION = 'meshdeck.io/join-cluster';
/** On the remote's istio-system: what join did to it (JSON `JoinRecord`), so unjoin can undo exactly that. */
export const JOIN_RECORD_ANNOTATION = 'meshdeck.io/join';

export type ObjectKind = 'Namespace' | 'ServiceAccount' | 'ClusterRole' | 'ClusterRoleBinding' | 'Secret' | 'Gateway' | 'VirtualService';

export interface ObjectRef {
  kind: ObjectKind;
  name: string;
  namespace?: string;
}

/** What join changed on the remote's istio-system: the values it replaced (null: the key was absent). */
export interface JoinRecord {
  primary: string;
  clusterName: string;
  createdNamespace: boolean;
  previous: { controlPlaneClusters?: string | null; network?: string | null };
}

/** A pass/fail line of the preflight; warnings do not block. */
export interface PreflightCheck {
  id: string;
  status: 'pass' | 'warn' | 'fail';
  message: string;
}

/** The settings a join uses, from the flags or from what the clusters say. */
export interface JoinSettings {
  /** Context names. */
  primary: string;
  remote: string;
  /** The remote's cluster ID: the remote secret's data key and name suffix, and the remote's clusterName. */
  clusterName: string;
  secretName: string;
  network: string;
  meshId: string;
  primaryClusterId: string;
  primaryNetwork: string;
  /** The remote API server address written into the remote secret. */
  remoteApiServer: string;
  multiNetwork: boolean;
  /** The primary's east-west gateway address: the remote's remotePilotAddress. */
  discoveryAddress?: string;
  /** What the remote's own Istio installation calls itself, if it has one. */
  remoteIstioClusterId?: string;
  /** The primary's istiod Service (istiod, or istiod-<rev>). */
  istiodService: string;
  outDir: string;
}

export type StepVerb = 'create' | 'patch' | 'replace' | 'delete' | 'write' | 'verify';

/** One step of a join or unjoin plan: serialisable, the same for `--output json` and the cockpit. */
export interface JoinStep extends ReviewStep {
  verb: StepVerb;
  /** Which side: the primary, the remote, or a local file. */
  side: 'primary' | 'remote' | 'local';
  ref?: ObjectRef;
  /** One line for people: what is there now and what there will be. */
  before: string | null;
  after: string | null;
  /** The body to create (never with secret values: the remote secret's token is read at apply time). */
  object?: Record<string, unknown>;
  /** patch: label and annotation changes (null removes). */
  patch?: { labels?: Record<string, string | null>; annotations?: Record<string, string | null> };
  /** write: the file's content (no secrets in it). */
  content?: string;
  /** The object must still be at this version (and uid) when the step runs. */
  precondition?: { resourceVersion: string; uid?: string };
  /** The remote secret step: where the reader token and CA are read from at apply time. */
  tokenSource?: ObjectRef;
}

export interface JoinPlan extends ReviewablePlan {
  kind: 'join' | 'unjoin';
  version: 1;
  title: string;
  createdAt: string;
  settings: JoinSettings;
  preflight: PreflightCheck[];
  /** Everything join would do is in place already. */
  alreadyJoined: boolean;
  /** The commands that install Istio's remote profile (and missing east-west gateways) with the files written. */
  commands: string[];
  steps: JoinStep[];
  blocked: { cluster: string; reason: string }[];
  notes: { cluster: string; message: string }[];
}
