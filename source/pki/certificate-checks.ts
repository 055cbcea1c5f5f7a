import type { KeyObject, X509Certificate } from 'node:crypto';
import { certificateFields } from './certificate-fields.js';
import { finding, type Finding } from './findings.js';
import { describeKey } from './keys.js';
import type { CertificateSummary } from './fingerprint.js';

const DAY_MS = 24 * 3600 * 1000;
export const EXPIRY_WARNING_DAYS = 30;

/**
 * "O=Istio, CN=Root CA": a subject or issuer on one line. Node escapes most control characters in
 * names; the rest (C1 controls, Unicode line separators) are escaped here, so a certificate cannot
 * break a finding's line or drive the terminal it is printed on.
 */
export function oneLineName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.split('\n').join(', ').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function summarize(cert: X509Certificate): CertificateSummary {
  return { fingerprint: cert.fingerprint256, subject: oneLineName(cert.subject), issuer: oneLineName(cert.issuer), notAfter: new Date(cert.validTo).toISOString() };
}

/** The first four bytes of a fingerprint, enough to tell roots apart in a message. */
export function shortFp(fingerprint: string): string {
  return `${fingerprint.split(':').slice(0, 4).join(':')}…`;
}

export function selfSigned(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && cert.verify(cert.publicKey);
}

/** Whether `issuer` signed `child` (names chain and the signature verifies). */
export function issuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  return child.issuer === issuer.subject && child.verify(issuer.publicKey);
}

/** How a certificate is named in a message: "the certificate (O=Istio, CN=Root CA)" or "certificate 2 (...)". */
export function label(cert: X509Certificate, index?: number): string {
  return `${index === undefined ? 'the certificate' : `certificate ${index + 1}`} (${oneLineName(cert.subject)})`;
}

/** Dates: an error when expired or not valid yet, a warning within 30 days of the end. */
export function checkValidity(cert: X509Certificate, where: string, what: string, now: Date, advice: string): Finding[] {
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  if (notAfter.getTime() <= now.getTime()) return [finding('error', 'expired', where, `${what} expired on ${day(notAfter)}; ${advice}`)];
  if (notBefore.getTime() > now.getTime()) return [finding('error', 'not-yet-valid', where, `${what} is not valid until ${notBefore.toISOString()}; check this machine's clock, or wait`)];
  const left = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  if (left < EXPIRY_WARNING_DAYS) return [finding('warning', 'expires-soon', where, `${what} expires in ${left} day${left === 1 ? '' : 's'} (${day(notAfter)}); ${advice}`)];
  return [];
}

/** CA:TRUE and, when keyUsage is present, keyCertSign: what signing certificates needs. */
export function checkCaFlags(cert: X509Certificate, where: string, what: string, role: string): Finding[] {
  const fields = certificateFields(cert);
  if (!fields.basicConstraints?.ca) return [finding('error', 'not-ca', where, `${what} is not a CA certificate (basicConstraints CA:TRUE is missing), so it cannot ${role}; use a CA certificate, such as one made by 'meshdeck ca root'`)];
  if (fields.keyUsage && !fields.keyUsage.includes('keyCertSign')) return [finding('error', 'key-usage', where, `${what} may not sign certificates (its keyUsage lacks keyCertSign), so it cannot ${role}`)];
  return [];
}

/**
 * Path length: a CA with pathlen N may have at most N CA certificates below it in a path. `below` is
 * how many CA certificates sit under this one down to ca-cert.pem (which only signs workloads).
 */
export function checkPathLength(cert: X509Certificate, below: number, where: string, what: string): Finding[] {
  const limit = certificateFields(cert).basicConstraints?.pathLength;
  if (limit === undefined || limit >= below) return [];
  return [finding('error', 'path-length', where, `${what} has pathlen:${limit} but ${below} CA certificate${below === 1 ? '' : 's'} below it, so workload certificates will not verify; reissue it with a larger path length (or none)`)];
}

export function checkKeyStrength(key: KeyObject, where: string, what: string): Finding[] {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType === 'rsa' && bits !== undefined && bits < 2048) return [finding('warning', 'weak-key', where, `${what} has a ${describeKey(key)} key, weaker than the 2048-bit minimum; make a new CA with 'meshdeck ca root'`)];
  return [];
}
