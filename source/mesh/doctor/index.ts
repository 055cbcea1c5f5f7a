import type { MeshModel } from '../model.js';
import { SEVERITY_ORDER, type Check, type DoctorSnapshot, type Finding } from './types.js';
import { checkClusters } from './clusters.js';
import { checkTrust } from './trust.js';
import { checkRemoteSecrets } from './remote-secrets.js';
import { checkMeshIdentity } from './mesh-identity.js';
import { checkEastWest } from './east-west.js';
import { checkGateways } from './gateways.js';
import { checkProxies } from './proxies.js';
import { checkRouting } from './routing.js';

export type { Check, DoctorSnapshot, Finding, ProxyLogEvidence, Severity } from './types.js';
export { DOCTOR_CODES, type DoctorCode } from './codes.js';

/** Every family of checks, in the order their findings are listed within one severity and cluster. */
export const CHECKS: readonly Check[] = [checkClusters, checkTrust, checkRemoteSecrets, checkMeshIdentity, checkEastWest, checkGateways, checkProxies, checkRouting];

/**
 * Runs every check over all clusters together. Findings come sorted by severity (errors first), then
 * by cluster in the snapshots' order, then by code and object. Pure: the clock is `now`.
 */
export function runDoctor(snapshots: DoctorSnapshot[], model: MeshModel, now: number): Finding[] {
  const findings = CHECKS.flatMap((check) => check(snapshots, model, now));
  const order = new Map(snapshots.map((s, i) => [s.name, i]));
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return findings.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (order.get(a.cluster) ?? order.size) - (order.get(b.cluster) ?? order.size) ||
      cmp(a.code, b.code) ||
      cmp(a.object, b.object),
  );
}

/**
 * A stable key per finding for the cockpit's rows: `cluster/code/object`, with `#2`, `#3` ... for further
 * findings of one code on one object (rare: a secret holding several clusters), in runDoctor's order.
 */
export function findingKeys(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const base = `${f.cluster}/${f.code}/${f.object}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

/** Errors, warnings and infos in a list of findings (for the cockpit header). */
export function countFindings(findings: readonly Finding[]): Record<Finding['severity'], number> {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
