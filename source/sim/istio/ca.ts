import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { registerSecret } from '../secret-registry.js';
import forge from 'node-forge';

/** The four files of Istio's plugged-in CA (`cacerts` secret keys). */
export interface CaBundle {
  caCertPem: string;
  caKeyPem: string;
  certChainPem: string;
  rootCertPem: string;
}

export interface KeyedCertificate {
  certPem: string;
  keyPem: string;
}

const DAY = 24 * 3600 * 1000;

/**
 * A root CA as Istio's `tools/certs` Makefiles make one (O=Istio, CN=Root CA, ten years). Keys are
 * 2048-bit rather than the Makefile's 4096 so a scenario starts in milliseconds, not seconds.
 */
export function makeRootCa(options: { organization?: string; commonName?: string; days?: number } = {}): KeyedCertificate {
  const keys = rsaKeyPair();
  const subject = [
    { name: 'organizationName', value: options.organization ?? 'Istio' },
    { name: 'commonName', value: options.commonName ?? 'Root CA' },
  ];
  const cert = baseCertificate(keys.publicKey, options.days ?? 3650);
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, keyEncipherment: true, keyCertSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signCertificate(cert, keys.privateKeyPem);
  return { certPem: certificateToPem(cert), keyPem: keys.privateKeyPem };
}

/**
 * An intermediate CA for one cluster, signed by `root`, with Istio's conventions: subject
 * O=Istio, CN=Intermediate CA, L=<cluster>; SAN istiod.istio-system.svc; two years; and the
 * `cacerts` layout (cert-chain.pem = intermediate + root).
 */
export function makeIntermediateCa(root: KeyedCertificate, cluster: string, days = 730): CaBundle {
  const keys = rsaKeyPair();
  const rootCert = forge.pki.certificateFromPem(root.certPem);
  const cert = baseCertificate(keys.publicKey, days);
  cert.setSubject([
    { name: 'organizationName', value: 'Istio' },
    { name: 'commonName', value: 'Intermediate CA' },
    { name: 'localityName', value: cluster },
  ]);
  cert.setIssuer(rootCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, keyEncipherment: true, keyCertSign: true, critical: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'istiod.istio-system.svc' }] },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: rootCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  signCertificate(cert, root.keyPem);
  const caCertPem = certificateToPem(cert);
  return { caCertPem, caKeyPem: keys.privateKeyPem, certChainPem: caCertPem + root.certPem, rootCertPem: root.certPem };
}

/** The root istiod makes for itself when no `cacerts` is plugged in: subject O=<trust domain>, ten years. */
export function makeSelfSignedIstiodCa(trustDomain: string): KeyedCertificate {
  const keys = rsaKeyPair();
  const subject = [{ name: 'organizationName', value: trustDomain }];
  const cert = baseCertificate(keys.publicKey, 3650);
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signCertificate(cert, keys.privateKeyPem);
  return { certPem: certificateToPem(cert), keyPem: keys.privateKeyPem };
}

/** The PEM blocks of one file, each ending in a newline. */
export function splitPems(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)?.map((pem) => `${pem}\n`) ?? [];
}

export interface CertificateInfo {
  fingerprint: string;
  subject: string;
  issuer: string;
  selfIssued: boolean;
  x509: X509Certificate;
}

const infoCache = new Map<string, CertificateInfo>();

/** Parsed facts about one PEM certificate (cached: the same PEMs are compared over and over). */
export function certificateInfo(pem: string): CertificateInfo {
  const cached = infoCache.get(pem);
  if (cached) return cached;
  const x509 = new X509Certificate(pem);
  const info = { fingerprint: x509.fingerprint256, subject: x509.subject, issuer: x509.issuer, selfIssued: x509.subject === x509.issuer, x509 };
  if (infoCache.size > 500) infoCache.clear();
  infoCache.set(pem, info);
  return info;
}

/** The value of one attribute (CN, O, ...) of a Node `subject`/`issuer` string. */
export function nameAttribute(name: string, attribute: string): string | undefined {
  for (const line of name.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && line.slice(0, eq) === attribute) return line.slice(eq + 1);
  }
  return undefined;
}

function baseCertificate(publicKey: forge.pki.rsa.PublicKey, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + days * DAY);
  return cert;
}

// Node generates and signs natively (far faster than forge's pure-JS big integers); forge only
// assembles the certificate. This is what forge's cert.sign does, with the signature made by Node.
function signCertificate(cert: forge.pki.Certificate, privateKeyPem: string): void {
  const oid = forge.pki.oids['sha256WithRSAEncryption']!;
  cert.siginfo.algorithmOid = oid;
  cert.signatureOid = oid;
  // getTBSCertificate is public in node-forge but missing from its type definitions.
  const tbsCertificate = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  (cert as unknown as { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate = tbsCertificate;
  const tbs = forge.asn1.toDer(tbsCertificate).getBytes();
  cert.signature = sign('sha256', Buffer.from(tbs, 'binary'), createPrivateKey(privateKeyPem)).toString('binary');
}

function rsaKeyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  registerSecret('key', privateKey);
  return { publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey, privateKeyPem: privateKey };
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

// forge writes CRLF line ends; openssl and Istio's tools write LF.
function certificateToPem(cert: forge.pki.Certificate): string {
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
}
