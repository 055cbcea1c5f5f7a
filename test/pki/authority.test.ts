import { X509Certificate, createPrivateKey } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIntermediateCa, createRootCa, type CacertsBundle, type KeyedCertificate } from '../../source/pki/authority.js';
import { certificateFields } from '../../source/pki/certificate-fields.js';
import { certText, openssl, tempFiles } from './openssl.js';

const DAY = 24 * 3600 * 1000;

/** `openssl verify -CAfile root-cert.pem -untrusted cert-chain.pem ca-cert.pem`, as the issue asks. */
function opensslVerify(bundle: CacertsBundle): { code: number; output: string } {
  const dir = tempFiles({ 'root-cert.pem': bundle.rootCertPem, 'cert-chain.pem': bundle.certChainPem, 'ca-cert.pem': bundle.caCertPem });
  return openssl(['verify', '-x509_strict', '-CAfile', join(dir, 'root-cert.pem'), '-untrusted', join(dir, 'cert-chain.pem'), join(dir, 'ca-cert.pem')]);
}

describe('root and intermediate CAs with Istio conventions (tools/certs)', () => {
  let root: KeyedCertificate;
  let east: CacertsBundle;
  const now = new Date();

  beforeAll(async () => {
    root = await createRootCa({ key: { type: 'rsa', bits: 2048 }, now });
    east = await createIntermediateCa(root, { cluster: 'east', key: { type: 'rsa', bits: 2048 }, now });
  });

  it('makes a chain that openssl verifies (strict X.509 mode)', () => {
    const result = opensslVerify(east);
    expect(result.output.trim()).toMatch(/ca-cert\.pem: OK$/);
    expect(result.code).toBe(0);
  });

  it("makes a chain Node's X509Certificate verifies link by link", () => {
    const rootCert = new X509Certificate(root.certPem);
    const ca = new X509Certificate(east.caCertPem);
    expect(rootCert.ca).toBe(true);
    expect(ca.ca).toBe(true);
    expect(rootCert.verify(rootCert.publicKey)).toBe(true);
    expect(ca.checkIssued(rootCert)).toBe(true);
    expect(ca.verify(rootCert.publicKey)).toBe(true);
    expect(ca.checkPrivateKey(createPrivateKey(east.caKeyPem))).toBe(true);
    expect(rootCert.checkPrivateKey(createPrivateKey(root.keyPem))).toBe(true);
  });

  it('gives the root O=Istio, CN=Root CA, ten years, CA:TRUE critical, keyCertSign and cRLSign, SHA-256', () => {
    const cert = new X509Certificate(root.certPem);
    expect(cert.subject).toBe('O=Istio\nCN=Root CA');
    expect(cert.issuer).toBe(cert.subject);
    expect(Math.round((Date.parse(cert.validTo) - now.getTime()) / DAY)).toBe(3650);
    const text = certText(root.certPem);
    expect(text).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
    expect(text).toMatch(/Public-Key: \(2048 bit\)/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE\n/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
    expect(text).toMatch(/X509v3 Subject Key Identifier/);
  });

  it('gives the intermediate O=Istio, CN=Intermediate CA, L=<cluster>, pathlen 0, SAN istiod.istio-system.svc, two years', () => {
    const cert = new X509Certificate(east.caCertPem);
    expect(cert.subject).toBe('O=Istio\nCN=Intermediate CA\nL=east');
    expect(cert.issuer).toBe('O=Istio\nCN=Root CA');
    expect(cert.subjectAltName).toBe('DNS:istiod.istio-system.svc');
    expect(Math.round((Date.parse(cert.validTo) - now.getTime()) / DAY)).toBe(730);
    expect(certificateFields(cert).basicConstraints).toEqual({ ca: true, pathLength: 0, critical: true });
    const text = certText(east.caCertPem);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(text).toMatch(/X509v3 Subject Alternative Name:\s+DNS:istiod\.istio-system\.svc/);
    // The authority key identifier names the root's subject key identifier.
    expect(certificateFields(cert).authorityKeyId).toEqual(certificateFields(new X509Certificate(root.certPem)).subjectKeyId);
  });

  it('lays out cacerts as Istio does: cert-chain.pem is ca-cert.pem then root-cert.pem, keys in PKCS#1', () => {
    expect(east.certChainPem).toBe(east.caCertPem + east.rootCertPem);
    expect(east.rootCertPem).toBe(root.certPem);
    expect(east.caKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(root.keyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
  });

  it('makes ECDSA P-256 roots and intermediates (signed with ecdsa-with-SHA256) that openssl verifies', async () => {
    const ecRoot = await createRootCa({ key: { type: 'ecdsa' } });
    const ecEast = await createIntermediateCa(ecRoot, { cluster: 'east', key: { type: 'ecdsa' } });
    expect(opensslVerify(ecEast).code).toBe(0);
    expect(ecRoot.keyPem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    const text = certText(ecEast.caCertPem);
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
    expect(text).toMatch(/NIST CURVE: P-256/);
    // An ECDSA root can sign an RSA intermediate, and the other way round.
    expect(opensslVerify(await createIntermediateCa(ecRoot, { cluster: 'west', key: { type: 'rsa', bits: 2048 } })).code).toBe(0);
    expect(opensslVerify(await createIntermediateCa(root, { cluster: 'west', key: { type: 'ecdsa' } })).code).toBe(0);
  });

  it('writes names as UTF8String, so any organisation name works', async () => {
    const named = await createRootCa({ key: { type: 'ecdsa' }, organization: 'Müller & Söhne (Ops)', commonName: 'Mesh Root' });
    expect(new X509Certificate(named.certPem).subject).toBe('O=Müller & Söhne (Ops)\nCN=Mesh Root');
    expect(openssl(['asn1parse'], named.certPem).output).toMatch(/UTF8STRING\s+:M/);
  });

  it('makes RSA 4096 keys by default without blocking the event loop', async () => {
    let longestGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const t = performance.now();
      longestGap = Math.max(longestGap, t - last);
      last = t;
    }, 5);
    const big = await createRootCa({ key: { type: 'rsa' } });
    clearInterval(timer);
    expect(certText(big.certPem)).toMatch(/Public-Key: \(4096 bit\)/);
    // Generation takes a second or more; the timer kept firing throughout.
    expect(longestGap).toBeLessThan(250);
  });
});
