import type { ClusterTransport } from '../../kube/transport.js';
import type { GatewayKind, PortEdit, PortFinding, ProxyContainer, ServicePort } from '../../mesh/gateway-ports/index.js';
import type { ReviewablePlan, ReviewStep } from '../plan.js';

/** What the gateway-port engine needs of a cluster's API: JSON over HTTPS (ClusterTransport, or anything like it). */
export type KubeApi = Pick<ClusterTransport, 'request' | 'requestJson'>;

export type Json = Record<string, unknown>;

/** A gateway as the user names it: `namespace/name` of its Service (or of its Deployment). */
export interface GatewayRef {
  namespace: string;
  name: string;
}

export interface LiveService {
  namespace: string;
  name: string;
  resourceVersion: string;
  type: string;
  selector: Record<string, string>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ports: ServicePort[];
}

/** A workload whose pods the Service selects (the gateway Deployment). */
export interface LiveWorkload {
  kind: 'Deployment';
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  podLabels: Record<string, string>;
  container?: ProxyContainer;
}

/** An Istio Gateway that selects the gateway's pods, with its servers as stored (to patch them). */
export interface LiveGateway {
  namespace: string;
  name: string;
  resourceVersion: string;
  /** `networking.istio.io/v1`, ... : the version it was read (and is patched) at. */
  apiVersion: string;
  selector: Record<string, string>;
  servers: Json[];
}

/** One gateway of one cluster, read before planning: everything the checks and the plan depend on. */
export interface GatewayLiveState {
  cluster: string;
  service: LiveService;
  workloads: LiveWorkload[];
  pods: { name: string; ready: boolean; labels: Record<string, string> }[];
  gateways: LiveGateway[];
  /** The Istio networking API version the cluster serves; undefined when it has no Gateway CRD. */
  gatewayApiVersion?: string;
  /** Other Services in the namespace that select the same pods. */
  siblings: { name: string; ports: ServicePort[] }[];
  /** Node ports of the cluster's other Services; undefined when they may not be listed. */
  nodePortsInUse?: Record<string, string>;
  /** Whether the cluster runs istiod (a remote's gateways take Gateways from its primary); undefined when unknown. */
  istiod?: boolean;
  /** What could not be read, and so was not checked. */
  notes: string[];
}

/** Who owns the gateway's objects, and so undoes a direct edit on the next upgrade. */
export interface Management {
  manager: 'helm' | 'istio-operator' | 'none';
  /** The labels and annotations that told. */
  evidence: string[];
  /** Helm: the release and its namespace. */
  release?: string;
  releaseNamespace?: string;
  /** Helm: `gateway` (service.ports), `istio-ingress` or `istio-egress` (gateways.<name>.ports). */
  chart?: 'gateway' | 'istio-ingress' | 'istio-egress';
  /** istioctl / operator: the IstioOperator that owns it, when named. */
  operatorResource?: string;
  /** The IstioOperator component list the gateway belongs to. */
  component: 'ingressGateways' | 'egressGateways';
}

export type SnippetFormat = 'helm-gateway' | 'helm-istio-ingress' | 'helm-istio-egress' | 'istio-operator';

/** A values file (or IstioOperator overlay) that makes the ports survive an upgrade. */
export interface ValuesSnippet {
  format: SnippetFormat;
  /** One line: what it is for and how to use it. */
  title: string;
  /** The file's text, YAML with a comment header. */
  yaml: string;
  /** What the snippet cannot express, if anything. */
  notes: string[];
}

export interface UpgradeSafety {
  management: Management;
  /** The warning shown when the gateway is managed: a direct edit is reverted on upgrade. */
  warning?: string;
  snippets: ValuesSnippet[];
  /** The snippet that fits the manager (`--values-out` writes it). */
  preferred: SnippetFormat;
}

export interface PortPlanStep extends ReviewStep {
  verb: 'patch' | 'verify';
  object: 'service' | 'gateway' | 'endpoints';
  /** API path of the object. */
  path: string;
  /** The object must still be at this version when the step runs. */
  precondition?: { resourceVersion: string };
  /** The JSON merge patch (apply adds the precondition as metadata.resourceVersion). */
  patch?: Json;
  before?: { summary: string };
  after?: { summary: string };
}

export interface GatewayPortPlan extends ReviewablePlan {
  kind: 'gateway-ports';
  version: 1;
  title: string;
  createdAt: string;
  cluster: string;
  gateway: { namespace: string; name: string; kind: GatewayKind; service: string; workload?: string };
  edit: PortEdit;
  /** The choices the plan was made with (planned again with them after a conflict). */
  options: { updateGateways: boolean; confirmCritical: boolean };
  /** The Service's ports as read, and as the plan leaves them. */
  before: ServicePort[];
  after: ServicePort[];
  /** Checks of the ports after the edit; `introduced` marks those the edit brings in. */
  findings: (PortFinding & { introduced: boolean })[];
  /** Problems of the current ports the edit clears. */
  resolved: PortFinding[];
  upgrade: UpgradeSafety;
  steps: PortPlanStep[];
  blocked: { cluster: string; reason: string }[];
  notes: { cluster: string; message: string }[];
}
