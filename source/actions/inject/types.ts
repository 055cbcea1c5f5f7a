import type { ClusterTransport } from '../../kube/transport.js';
import type { ReviewablePlan, ReviewStep, StepProgress } from '../plan.js';

/** What the injection engine needs of a cluster's API: JSON over HTTPS (ClusterTransport, or anything like it). */
export type KubeApi = Pick<ClusterTransport, 'request' | 'requestJson'>;

export const INJECTION_LABEL = 'istio-injection';
export const REVISION_LABEL = 'istio.io/rev';
/** A pod's (label or annotation) opt-in or opt-out of injection. */
export const INJECT_LABEL = 'sidecar.istio.io/inject';
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
export const DEFAULT_REVISION = 'default';
/** Namespaces Istio never injects into. */
export const NEVER_INJECTED = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

export type RestartableKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';
export type WorkloadKind = RestartableKind | 'ReplicaSet' | 'Job' | 'Pod';

/** What decides injection for the next pods of a workload: its pod template. */
export interface PodTemplateFacts {
  labels: Record<string, string>;
  /** `sidecar.istio.io/inject` as an annotation (the label is in `labels`). */
  injectAnnotation?: string;
  /** The template already lists istio-proxy (istioctl kube-inject): new pods have it whatever the labels. */
  manualSidecar: boolean;
}

export interface PodFacts {
  name: string;
  sidecar: boolean;
  ready: boolean;
  terminating: boolean;
}

/** One workload of the namespace, with its pods. */
export interface WorkloadState {
  kind: WorkloadKind;
  name: string;
  /** For restartable kinds: the object's version when read (the precondition of a restart). */
  resourceVersion?: string;
  /** For restartable kinds: metadata.generation when read (moves with the spec only, not with status). */
  generation?: number;
  /** For restartable kinds: what the next pods are made from. */
  template?: PodTemplateFacts;
  /** The label selector of its pods (restartable kinds), as `k=v,k2=v2`. */
  selector?: string;
  /** A StatefulSet or DaemonSet with updateStrategy OnDelete: a rollout restart replaces no pod. */
  onDelete?: boolean;
  pods: PodFacts[];
}

/** One namespace of one cluster, as read before planning: everything the plan depends on. */
export interface NamespaceState {
  cluster: string;
  namespace: string;
  /** False when the namespace does not exist in this cluster. */
  exists: boolean;
  resourceVersion?: string;
  labels: Record<string, string>;
  /**
   * The revision new injection should use: `default` (istio-injection=enabled) or a revision
   * (istio.io/rev=<rev>); undefined when the cluster has neither istiod nor an injector.
   */
  revision?: string;
  /** Revisions whose injector is installed, and revision tags (tag → revision). */
  revisions: string[];
  tags: Record<string, string>;
  workloads: WorkloadState[];
}

export type StepVerb = 'label' | 'restart' | 'verify';

export interface LabelChange {
  set: Record<string, string>;
  remove: string[];
}

/** One step of an injection plan: serialisable, the same for `--output json` and the cockpit. */
export interface InjectStep extends ReviewStep {
  verb: StepVerb;
  namespace: string;
  before: string | null;
  after: string | null;
  /** label: the change to the namespace's labels. */
  labels?: LabelChange;
  /** restart: the workload. */
  workload?: { kind: RestartableKind; name: string };
  /** restart: whether its new pods should run istio-proxy. verify: per workload. */
  expectSidecar?: boolean;
  /** verify: the workloads restarted before it, and what their new pods should run. */
  checks?: { kind: RestartableKind; name: string; expectSidecar: boolean }[];
  /**
   * The object must still be at this version when the step runs. For a restart, a newer version with
   * the same `generation` (only status moved: pods became ready) passes; the write then carries it.
   */
  precondition?: { resourceVersion: string; generation?: number };
}

export interface InjectPlan extends ReviewablePlan {
  kind: 'inject';
  version: 1;
  title: string;
  /** enable / disable injection, or restart workloads only. */
  action: 'enable' | 'disable' | 'restart';
  namespace: string;
  /** Clusters in the order they are applied, one at a time. */
  clusters: string[];
  steps: InjectStep[];
}

/** The shared progress event (stepId, state, message), with the step itself. */
export interface InjectProgress extends StepProgress {
  step: InjectStep;
  message: string;
  /** A later report of a running step (rollout still under way). */
  waiting?: boolean;
}

export interface InjectStepResult {
  id: string;
  cluster: string;
  verb: StepVerb;
  target: string;
  status: 'done' | 'failed' | 'skipped';
  message: string;
}

export interface InjectApplyResult {
  ok: boolean;
  steps: InjectStepResult[];
}

/** Thrown for a plan that says it must not be applied. */
export class InjectPlanBlockedError extends Error {}
