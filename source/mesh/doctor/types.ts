import type { ClusterSnapshot } from '../types.js';
import type { MeshModel } from '../model.js';
import type { ProxyLogEvidence } from '../../kube/proxy-logs.js';

export type Severity = 'error' | 'warning' | 'info';

/** One problem the doctor found. `object` is `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
export interface Finding {
  /** Stable code, e.g. MD-TRUST-001 (see codes.ts and the README's "Doctor checks"). */
  code: string;
  severity: Severity;
  /** The kubeconfig context the finding is about. */
  cluster: string;
  object: string;
  message: string;
  /** A concrete next step, with the command where there is one. */
  fix: string;
}

export type { ProxyLogEvidence };

/** A cluster snapshot plus what the doctor may have sampled on top of the watches. */
export type DoctorSnapshot = ClusterSnapshot & {
  /** Certificate errors found in the logs of not-ready proxies; undefined when logs were not sampled. */
  proxyLogs?: ProxyLogEvidence[];
};

/** One family of checks: pure, with the clock passed in. */
export type Check = (snapshots: DoctorSnapshot[], model: MeshModel, now: number) => Finding[];

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
