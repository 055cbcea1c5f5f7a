import { X509Certificate } from 'node:crypto';

export interface CertificateSummary {
  /** SHA-256 of the DER, upper-case hex pairs joined by ':' (as openssl prints it). */
  fingerprint: string;
  subject: string;
  issuer: string;
  notAfter: string;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM bundle; malformed blocks are skipped (the caller reports "no certificate"). */
export function summarizePem(pem: string): CertificateSummary[] {
  const out: CertificateSummary[] = [];
  for (const block of pem.match(PEM_BLOCK) ?? []) {
    try {
      const cert = new X509Certificate(block);
      out.push({ fingerprint: cert.fingerprint256, subject: cert.subject.replace(/\n/g, ', '), issuer: cert.issuer.replace(/\n/g, ', '), notAfter: new Date(cert.validTo).toISOString() });
    } catch {
      // not a certificate we can read
    }
  }
  return out;
}
