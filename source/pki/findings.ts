export type Severity = 'error' | 'warning' | 'info';

export type FindingCode =
  | 'missing-file'
  | 'unreadable-file'
  | 'empty-file'
  | 'no-pem'
  | 'truncated-pem'
  | 'malformed-pem'
  | 'wrong-pem-type'
  | 'encrypted-key'
  | 'unsupported-key'
  | 'key-mismatch'
  | 'weak-key'
  | 'not-ca'
  | 'key-usage'
  | 'path-length'
  | 'expired'
  | 'expires-soon'
  | 'not-yet-valid'
  | 'extra-certificates'
  | 'chain-order'
  | 'chain-broken'
  | 'bad-signature'
  | 'root-not-self-signed'
  | 'root-mismatch'
  | 'root-bundle'
  | 'sample-ca'
  | 'no-root-key'
  | 'not-a-ca-directory'
  | 'cluster-unreachable'
  | 'no-istio'
  | 'forbidden'
  | 'not-loaded'
  | 'roots-differ'
  | 'shared-root'
  | 'no-root';

/** One result of a check, phrased for a person: what is wrong with which file or object, and what to do. */
export interface Finding {
  severity: Severity;
  code: FindingCode;
  /** The file (a path) or object (`east: istio-system/cacerts`) the finding is about. */
  where: string;
  message: string;
}

export function finding(severity: Severity, code: FindingCode, where: string, message: string): Finding {
  return { severity, code, where, message };
}

export const hasErrors = (findings: readonly Finding[]): boolean => findings.some((f) => f.severity === 'error');

/** `where: message`, the one line a CLI prints. */
export function formatFinding(f: Finding): string {
  return f.where ? `${f.where}: ${f.message}` : f.message;
}

/** A check that must pass before meshdeck goes on (loading a root to sign with, reading --from). */
export class PkiError extends Error {
  constructor(readonly findings: Finding[]) {
    super(formatFinding(findings.find((f) => f.severity === 'error') ?? findings[0]!));
  }
}
