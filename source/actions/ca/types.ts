import type { ClusterTransport } from '../../kube/transport.js';
import type { CertificateSummary } from '../../pki/fingerprint.js';
import type { ReviewablePlan, ReviewStep } from '../plan.js';

/** What the CA engine needs of a cluster's API: JSON over HTTPS (ClusterTransport, or anything like it). */
export type KubeApi = Pick<ClusterTransport, 'request' | 'requestJson'>;

export const ISTIO_NAMESPACE = 'istio-system';
export const CACERTS_SECRET = 'cacerts';
export const SELF_SIGNED_SECRET = 'istio-ca-secret';
export const ROOT_CONFIGMAP = 'istio-ca-root-cert';

/** How meshdeck marks the `cacerts` secrets it creates (and so may replace without --force). */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'meshdeck';
export const ROOT_ANNOTATION = 'meshdeck.io/root-fingerprint';
export const INSTALLED_AT_ANNOTATION = 'meshdeck.io/installed-at';
export const SOURCE_ANNOTATION = 'meshdeck.io/source';
/** The pod-template annotation `kubectl rollout restart` sets. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/** A secret as it appears in a plan: names, subjects and fingerprints, never key contents. */
export interface SecretSummary {
  namespace: string;
  name: string;
  resourceVersion?: string;
  managedByMeshdeck: boolean;
  keys: string[];
  /** The certificates of each certificate file, in file order. */
  certificates: ({ file: string } & CertificateSummary)[];
  /** The private key, named by type and the SHA-256 of its public half. */
  privateKey?: { file: string; type: string; publicKeyFingerprint: string };
}

export interface StepState {
  /** One line for people. */
  summary: string;
  secret?: SecretSummary;
  /** The root the object holds or should hold (verify steps). */
  root?: CertificateSummary;
}

export type StepVerb = 'backup' | 'create' | 'replace' | 'restart' | 'verify';

/** One step of a plan: serialisable, so the CLI's `--output json` and the cockpit show the same thing. */
export interface PlanStep extends ReviewStep {
  id: string;
  cluster: string;
  verb: StepVerb;
  /** `secret istio-system/cacerts`, `deployment istio-system/istiod`, a backup file path, ... */
  target: string;
  before: StepState | null;
  after: StepState | null;
  /** What changes, line by line (key names and fingerprints only). */
  diff: string[];
  /** Whether the step can be undone (a replaced secret can be restored from its backup file). */
  undoable: boolean;
  /** The object must still be at this version when the step runs. */
  precondition?: { resourceVersion: string };
}

export interface PlanCluster {
  cluster: string;
  /** Where the files came from (a directory), for display. */
  source: string;
  /** The root the new `cacerts` chains to. */
  root: CertificateSummary;
  /** The intermediate istiod will sign with. */
  intermediate: CertificateSummary;
}

export interface Plan extends ReviewablePlan {
  kind: 'ca-install';
  /** "install cacerts in east, west" */
  title: string;
  version: 1;
  createdAt: string;
  clusters: PlanCluster[];
  steps: PlanStep[];
  /** Why the plan must not be applied (a foreign cacerts without --force, no istio-system, bad files). */
  blocked: { cluster: string; reason: string }[];
  /** What the user should know (restart needed, sample CA, how workloads pick up certificates). */
  notes: { cluster: string; message: string }[];
}

export type ClusterCaSource = 'cacerts' | 'istio-ca-secret' | 'none';
