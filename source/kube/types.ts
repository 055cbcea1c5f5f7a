/** Kubernetes objects as plain JSON, trimmed to what meshdeck reads (see project.ts). */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** One resource kind meshdeck watches, and where it lives. */
export interface WatchedKind {
  id: string;
  /** Collection path without query, e.g. /api/v1/pods or /apis/networking.istio.io/v1/gateways. */
  path: string;
  labelSelector?: string;
  /** Istio kinds are absent on clusters without Istio; a 404 then means "none", not "broken". */
  optional?: boolean;
}

export type ConnectionState = 'connecting' | 'synced' | 'stale' | 'down';
