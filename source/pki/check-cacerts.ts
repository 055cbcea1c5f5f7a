import type { KeyObject, X509Certificate } from 'node:crypto';
import { finding, type Finding } from './findings.js';
import { parseCertificates, parsePrivateKey } from './pem.js';
import { checkCaFlags, checkKeyStrength, checkPathLength, checkValidity, issuedBy, label, oneLineName, selfSigned, shortFp, summarize } from './certificate-checks.js';
import { isIstioSample, SAMPLE_CA_ADVICE } from './sample-ca.js';
import { describeKey, publicKeyFingerprint } from './keys.js';
import type { CertificateSummary } from './fingerprint.js';

export const CACERTS_FILES = ['ca-cert.pem', 'ca-key.pem', 'cert-chain.pem', 'root-cert.pem'] as const;
export type CacertsFile = (typeof CACERTS_FILES)[number];

/** The files of a plugged-in CA as read from a directory or a `cacerts` secret (undefined: missing). */
export interface CacertsMaterial {
  files: Partial<Record<CacertsFile, string>>;
  /** How findings name a file: a path, or `east: istio-system/cacerts ca-key.pem`. */
  where(file: CacertsFile): string;
}

export interface CacertsReport {
  findings: Finding[];
  caCert?: CertificateSummary;
  /** The certificates of root-cert.pem. */
  roots: CertificateSummary[];
  /** The root ca-cert.pem chains to (through cert-chain.pem), when it does. */
  chainRoot?: CertificateSummary;
  /** SHA-256 of the signing key's public half, and its type ("RSA 4096"): identify it without showing it. */
  key?: { publicKeyFingerprint: string; type: string };
  sample: boolean;
}

const RENEW = "make a new intermediate with 'meshdeck ca intermediate'";

/**
 * Everything istiod needs of a plugged-in CA, and what breaks cross-cluster trust when it is wrong:
 * the four files, the key matching ca-cert.pem, CA flags and path lengths, dates, cert-chain.pem in
 * order (ca-cert.pem first, each certificate followed by its issuer), every signature along it, and
 * root-cert.pem really holding the chain's root. Istio's sample CA is flagged.
 */
export function checkCacerts(material: CacertsMaterial, now: Date): CacertsReport {
  const findings: Finding[] = [];
  const at = (file: CacertsFile) => material.where(file);
  for (const file of CACERTS_FILES) {
    if (material.files[file] === undefined) findings.push(finding('error', 'missing-file', at(file), `is missing; a plugged-in CA needs ca-cert.pem, ca-key.pem, cert-chain.pem and root-cert.pem (${RENEW})`));
  }
  const certs = (file: CacertsFile): X509Certificate[] | undefined => {
    const text = material.files[file];
    if (text === undefined) return undefined;
    const parsed = parseCertificates(text, at(file));
    if ('problem' in parsed) {
      findings.push(parsed.problem);
      return undefined;
    }
    return parsed.certificates;
  };
  const caCerts = certs('ca-cert.pem');
  const chain = certs('cert-chain.pem');
  const roots = certs('root-cert.pem');
  let key: KeyObject | undefined;
  const keyText = material.files['ca-key.pem'];
  if (keyText !== undefined) {
    const parsed = parsePrivateKey(keyText, at('ca-key.pem'));
    if ('problem' in parsed) findings.push(parsed.problem);
    else key = parsed.key;
  }
  const ca = caCerts?.[0];
  const report: CacertsReport = { findings, roots: (roots ?? []).map(summarize), sample: false };
  if (ca) report.caCert = summarize(ca);
  if (key) report.key = { publicKeyFingerprint: publicKeyFingerprint(key), type: describeKey(key) };

  const checked = new Set<string>();
  const checkCa = (cert: X509Certificate, where: string, what: string, role: string, advice: string) => {
    if (checked.has(cert.fingerprint256)) return;
    checked.add(cert.fingerprint256);
    findings.push(...checkCaFlags(cert, where, what, role), ...checkValidity(cert, where, what, now, advice));
  };

  if (ca) {
    if (caCerts!.length > 1) findings.push(finding('warning', 'extra-certificates', at('ca-cert.pem'), `holds ${caCerts!.length} certificates; istiod signs with the first only, so put its issuers into cert-chain.pem instead`));
    checkCa(ca, at('ca-cert.pem'), label(ca), 'sign workload certificates', RENEW);
    if (key) {
      findings.push(...checkKeyStrength(key, at('ca-key.pem'), 'the key'));
      if (!ca.checkPrivateKey(key)) findings.push(finding('error', 'key-mismatch', at('ca-key.pem'), `does not match ca-cert.pem (${describeKey(key)} key of another key pair); use the key that was made together with ca-cert.pem`));
    }
  }
  for (const [index, root] of (roots ?? []).entries()) {
    const what = roots!.length > 1 ? label(root, index) : label(root);
    if (!selfSigned(root)) {
      findings.push(finding('error', 'root-not-self-signed', at('root-cert.pem'), `${what} is not a root (it is not self-signed: issued by ${oneLineName(root.issuer)}); root-cert.pem must hold the root CA's certificate`));
      continue;
    }
    checkCa(root, at('root-cert.pem'), what, 'issue intermediates', "make a new root with 'meshdeck ca root' and new intermediates from it");
  }
  if (roots && roots.length > 1) findings.push(finding('info', 'root-bundle', at('root-cert.pem'), `holds ${roots.length} roots (a trust bundle, as during a root rotation)`));

  const path = chain ?? (ca ? [ca] : undefined);
  if (ca && path) findings.push(...checkChain(ca, path, chain !== undefined, roots, at, report, checkCa));
  const everything = [...(caCerts ?? []), ...(chain ?? []), ...(roots ?? [])];
  if (everything.some(isIstioSample)) {
    report.sample = true;
    const sampleFile = (roots ?? []).some(isIstioSample) ? 'root-cert.pem' : 'ca-cert.pem';
    findings.push(finding('warning', 'sample-ca', at(sampleFile), SAMPLE_CA_ADVICE));
  }
  return report;
}

type CheckCa = (cert: X509Certificate, where: string, what: string, role: string, advice: string) => void;

function checkChain(ca: X509Certificate, chain: X509Certificate[], fromFile: boolean, roots: X509Certificate[] | undefined, at: (f: CacertsFile) => string, report: CacertsReport, checkCa: CheckCa): Finding[] {
  const out: Finding[] = [];
  const where = at('cert-chain.pem');
  const rebuild = 'rebuild it with: cat ca-cert.pem root-cert.pem > cert-chain.pem';
  if (fromFile) {
    if (chain.length === 0) return out;
    if (chain[0]!.fingerprint256 !== ca.fingerprint256) {
      const position = chain.findIndex((c) => c.fingerprint256 === ca.fingerprint256);
      out.push(
        position > 0
          ? finding('error', 'chain-order', where, `is out of order: ca-cert.pem is certificate ${position + 1}, but it must come first, followed by its issuers up to the root; ${rebuild}`)
          : finding('error', 'chain-order', where, `does not start with ca-cert.pem (it starts with ${oneLineName(chain[0]!.subject)}); ${rebuild}`),
      );
      return out;
    }
  }
  for (let i = 0; i + 1 < chain.length; i++) {
    const child = chain[i]!;
    const parent = chain[i + 1]!;
    if (selfSigned(child)) {
      out.push(finding('error', 'chain-order', where, `is out of order: ${label(child, i)} is a root but is followed by more certificates; the root comes last; ${rebuild}`));
      return out;
    }
    if (child.issuer !== parent.subject) {
      const elsewhere = chain.findIndex((c, j) => j !== i + 1 && issuedBy(child, c));
      out.push(
        elsewhere >= 0
          ? finding('error', 'chain-order', where, `is out of order: ${label(child, i)} is followed by ${label(parent, i + 1)}, which did not issue it (certificate ${elsewhere + 1} did); each certificate must be followed by its issuer; ${rebuild}`)
          : finding('error', 'chain-broken', where, `is broken: ${label(child, i)} was issued by ${oneLineName(child.issuer)}, but is followed by ${label(parent, i + 1)}; ${rebuild}`),
      );
      return out;
    }
    if (!child.verify(parent.publicKey)) {
      out.push(finding('error', 'bad-signature', where, `${label(child, i)} does not verify with the key of ${label(parent, i + 1)} (same name, another key: was the issuer made again?); issue the intermediate again from the root you use`));
      return out;
    }
    checkCa(parent, where, label(parent, i + 1), 'issue the certificates below it', 'renew it');
    out.push(...checkPathLength(parent, i + 1, where, label(parent, i + 1)));
  }
  const last = chain[chain.length - 1]!;
  if (!roots || roots.length === 0) return out;
  const rootsWhere = at('root-cert.pem');
  const names = roots.map((r) => `${oneLineName(r.subject)} (SHA-256 ${shortFp(r.fingerprint256)})`).join(', ');
  if (selfSigned(last)) {
    if (!roots.some((r) => r.fingerprint256 === last.fingerprint256)) {
      out.push(finding('error', 'root-mismatch', rootsWhere, `is not the root of the chain: cert-chain.pem ends at ${oneLineName(last.subject)} (SHA-256 ${shortFp(last.fingerprint256)}), root-cert.pem holds ${names}; copy the root-cert.pem of the root that issued this intermediate`));
    } else {
      report.chainRoot = summarize(last);
    }
    return out;
  }
  const root = roots.find((r) => issuedBy(last, r));
  if (root) {
    report.chainRoot = summarize(root);
    out.push(...checkPathLength(root, chain.length, rootsWhere, label(root)));
    return out;
  }
  const sameName = roots.find((r) => r.subject === last.issuer);
  const whatLast = fromFile ? `the last certificate of cert-chain.pem (${oneLineName(last.subject)})` : `ca-cert.pem (${oneLineName(last.subject)})`;
  out.push(
    sameName
      ? finding('error', 'bad-signature', rootsWhere, `holds a root named like the issuer of ${whatLast}, but with another key (SHA-256 ${shortFp(sameName.fingerprint256)}): the root was made again; copy the root-cert.pem that issued this intermediate, or issue a new intermediate`)
      : finding('error', 'root-mismatch', rootsWhere, `is not the root of the chain: ${whatLast} was issued by ${oneLineName(last.issuer)}, root-cert.pem holds ${names}; copy the root-cert.pem of the root that issued this intermediate`),
  );
  return out;
}
