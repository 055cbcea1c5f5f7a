import type { KeyObject, X509Certificate } from 'node:crypto';
import { finding, type Finding } from './findings.js';
import { parseCertificates, parsePrivateKey } from './pem.js';
import { checkCaFlags, checkKeyStrength, checkValidity, label, oneLineName, summarize } from './certificate-checks.js';
import { isIstioSample, SAMPLE_CA_ADVICE } from './sample-ca.js';
import { describeKey, publicKeyFingerprint, signatureScheme } from './keys.js';
import type { CertificateSummary } from './fingerprint.js';

export type RootFile = 'root-cert.pem' | 'root-key.pem';

export interface RootMaterial {
  files: Partial<Record<RootFile, string>>;
  where(file: RootFile): string;
}

export interface RootReport {
  findings: Finding[];
  root?: CertificateSummary;
  key?: { publicKeyFingerprint: string; type: string };
  sample: boolean;
  /** Parsed, for signing with (only when there is no error). */
  parsed?: { certificate: X509Certificate; key?: KeyObject };
}

const NEW_ROOT = "make a new one with 'meshdeck ca root'";

/**
 * A root CA directory (root-cert.pem, root-key.pem): one self-signed CA certificate that may sign
 * certificates, in its validity period, and the key that matches it. With `needKey`, a missing key
 * is an error (signing intermediates); otherwise a note (roots are often kept offline).
 */
export function checkRoot(material: RootMaterial, now: Date, options: { needKey: boolean }): RootReport {
  const findings: Finding[] = [];
  const report: RootReport = { findings, sample: false };
  const certText = material.files['root-cert.pem'];
  const keyText = material.files['root-key.pem'];
  let cert: X509Certificate | undefined;
  let key: KeyObject | undefined;
  if (certText === undefined) {
    findings.push(finding('error', 'missing-file', material.where('root-cert.pem'), `is missing; a root directory holds root-cert.pem and root-key.pem (${NEW_ROOT})`));
  } else {
    const parsed = parseCertificates(certText, material.where('root-cert.pem'));
    if ('problem' in parsed) findings.push(parsed.problem);
    else if (parsed.certificates.length > 1) findings.push(finding('error', 'extra-certificates', material.where('root-cert.pem'), `holds ${parsed.certificates.length} certificates; a root directory holds exactly one root certificate`));
    else cert = parsed.certificates[0];
  }
  if (keyText === undefined) {
    if (options.needKey) findings.push(finding('error', 'missing-file', material.where('root-key.pem'), 'is missing; signing intermediates needs the root key next to root-cert.pem'));
    else findings.push(finding('info', 'no-root-key', material.where('root-key.pem'), 'is not there (fine when the root key is kept offline)'));
  } else {
    const parsed = parsePrivateKey(keyText, material.where('root-key.pem'));
    if ('problem' in parsed) findings.push(parsed.problem);
    else key = parsed.key;
  }
  const where = material.where('root-cert.pem');
  if (cert) {
    report.root = summarize(cert);
    if (cert.subject !== cert.issuer || !cert.verify(cert.publicKey)) {
      findings.push(finding('error', 'root-not-self-signed', where, `${label(cert)} is not a root (it is not self-signed: issued by ${oneLineName(cert.issuer)}); point at the directory of the root CA`));
    }
    findings.push(...checkCaFlags(cert, where, label(cert), 'issue intermediates'), ...checkValidity(cert, where, label(cert), now, NEW_ROOT));
    if (isIstioSample(cert)) {
      report.sample = true;
      findings.push(finding('warning', 'sample-ca', where, SAMPLE_CA_ADVICE));
    }
  }
  if (key) {
    report.key = { publicKeyFingerprint: publicKeyFingerprint(key), type: describeKey(key) };
    findings.push(...checkKeyStrength(key, material.where('root-key.pem'), 'the root'));
    const scheme = signatureScheme(key);
    if (options.needKey && 'unsupported' in scheme) findings.push(finding('error', 'unsupported-key', material.where('root-key.pem'), `cannot be used: ${scheme.unsupported}`));
    if (cert && !cert.checkPrivateKey(key)) findings.push(finding('error', 'key-mismatch', material.where('root-key.pem'), `does not match root-cert.pem (${describeKey(key)} key of another key pair); use the key that was made together with root-cert.pem`));
  }
  if (cert && !findings.some((f) => f.severity === 'error')) report.parsed = { certificate: cert, ...(key ? { key } : {}) };
  return report;
}
