import type { Finding, Severity } from './types.js';

export interface CodeInfo {
  /** Usual severity; a few codes vary (noted in `severity` text of the README). */
  severity: Severity;
  title: string;
}

/** Every finding code the doctor emits. Codes are stable: never renumber, only add. */
export const DOCTOR_CODES = {
  'MD-CLUSTER-001': { severity: 'error', title: 'API server cannot be reached' },
  'MD-CLUSTER-002': { severity: 'warning', title: 'API server has not answered every list yet' },
  'MD-CLUSTER-003': { severity: 'info', title: 'the credentials may not read some kinds; their checks were skipped' },
  'MD-TRUST-001': { severity: 'error', title: 'roots of trust differ between joined clusters' },
  'MD-TRUST-002': { severity: 'error', title: "Istio's sample CA is in use" },
  'MD-TRUST-003': { severity: 'warning', title: 'CA certificate expires within 30 days (error: expired)' },
  'MD-TRUST-004': { severity: 'warning', title: 'no cacerts on a primary of a multi-cluster mesh' },
  'MD-REMOTE-001': { severity: 'error', title: 'istiod does not report a remote cluster synced' },
  'MD-REMOTE-002': { severity: 'error', title: "remote secret's cluster ID differs from the remote's own" },
  'MD-REMOTE-003': { severity: 'warning', title: "remote secret's server is a loopback address" },
  'MD-REMOTE-004': { severity: 'error', title: 'duplicate cluster ID' },
  'MD-REMOTE-005': { severity: 'error', title: 'remote cluster with no remote secret in any primary' },
  'MD-REMOTE-006': { severity: 'info', title: "istiod's /debug/clusterz could not be read" },
  'MD-MESH-001': { severity: 'error', title: 'mesh ID differs between joined clusters' },
  'MD-MESH-002': { severity: 'warning', title: 'trust domain differs between joined clusters' },
  'MD-NET-001': { severity: 'warning', title: 'network label missing on a multi-network mesh' },
  'MD-EW-001': { severity: 'error', title: 'no east-west gateway on a network of a multi-network mesh' },
  'MD-EW-002': { severity: 'error', title: 'east-west gateway Service lacks 15443 (or 15012/15017 for remotes)' },
  'MD-EW-003': { severity: 'error', title: 'no Gateway exposes 15443 with AUTO_PASSTHROUGH' },
  'MD-GW-001': { severity: 'error', title: 'Gateway port not on the gateway Service (IST0162)' },
  'MD-GW-002': { severity: 'warning', title: 'Gateway selector matches no pods' },
  'MD-GW-003': { severity: 'warning', title: 'two Gateways claim the same port and host on one gateway' },
  'MD-INJ-001': { severity: 'warning', title: 'pods without sidecar where injection is asked (restart them)' },
  'MD-PROXY-001': { severity: 'error', title: 'proxies not ready, certificate errors in their logs' },
  'MD-PROXY-002': { severity: 'warning', title: 'proxies not ready (error for gateways)' },
  'MD-PROXY-003': { severity: 'warning', title: "proxy version differs from istiod's" },
  'MD-CFG-001': { severity: 'warning', title: 'VirtualService routes to a host that exists in no cluster' },
  'MD-CFG-002': { severity: 'warning', title: 'DestinationRule subset matches no pods in any cluster' },
} as const satisfies Record<string, CodeInfo>;

export type DoctorCode = keyof typeof DOCTOR_CODES;

/** A finding with its code's usual severity unless told otherwise. */
export function finding(code: DoctorCode, cluster: string, object: string, message: string, fix: string, severity: Severity = DOCTOR_CODES[code].severity): Finding {
  return { code, severity, cluster, object, message, fix };
}
