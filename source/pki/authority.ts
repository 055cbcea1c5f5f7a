import { X509Certificate, createPrivateKey } from 'node:crypto';
import { buildCertificate, type NameAttribute } from './build-certificate.js';
import { certificateFields } from './certificate-fields.js';
import { generateKey, type KeySpec } from './keys.js';

// Istio's conventions, from istio/istio tools/certs/common.mk and Makefile.selfsigned.mk:
// root O=Istio, CN=Root CA, 3650 days, RSA 4096; intermediate O=Istio, CN=Intermediate CA,
// L=<cluster>, 730 days, pathlen:0, SAN DNS:istiod.istio-system.svc; both SHA-256, CA:true critical,
// keyUsage critical, subjectKeyIdentifier; cert-chain.pem = ca-cert.pem + root-cert.pem.
export const ISTIO_DEFAULTS = {
  organization: 'Istio',
  rootCommonName: 'Root CA',
  rootDays: 3650,
  intermediateCommonName: 'Intermediate CA',
  intermediateDays: 730,
  istiodDnsName: 'istiod.istio-system.svc',
} as const;

const DAY_MS = 24 * 3600 * 1000;
/** Certificates start a few minutes back, so a cluster whose clock is slightly behind accepts them at once. */
const BACKDATE_MS = 5 * 60 * 1000;
// Istio's Makefiles ask for digitalSignature, nonRepudiation, keyEncipherment, keyCertSign. A CA needs
// keyCertSign (and cRLSign for revocation lists); keyEncipherment is meaningless for ECDSA keys.
const CA_KEY_USAGE = ['digitalSignature', 'keyCertSign', 'cRLSign'] as const;

export interface KeyedCertificate {
  certPem: string;
  keyPem: string;
}

/** The four files of a plugged-in CA, as keys of the `cacerts` secret. */
export interface CacertsBundle {
  caCertPem: string;
  caKeyPem: string;
  certChainPem: string;
  rootCertPem: string;
}

export interface RootOptions {
  key: KeySpec;
  organization?: string;
  commonName?: string;
  days?: number;
  now?: Date;
}

export interface IntermediateOptions {
  cluster: string;
  key: KeySpec;
  organization?: string;
  days?: number;
  now?: Date;
}

/** A self-signed root CA (`root-cert.pem`, `root-key.pem`). */
export async function createRootCa(options: RootOptions): Promise<KeyedCertificate> {
  const key = await generateKey(options.key);
  const now = options.now ?? new Date();
  const certPem = await buildCertificate({
    subject: [
      { type: 'O', value: options.organization ?? ISTIO_DEFAULTS.organization },
      { type: 'CN', value: options.commonName ?? ISTIO_DEFAULTS.rootCommonName },
    ],
    publicKey: key.publicKey,
    issuer: { self: key.privateKey },
    ...validity(now, options.days ?? ISTIO_DEFAULTS.rootDays),
    ca: {},
    keyUsage: [...CA_KEY_USAGE],
  });
  return { certPem, keyPem: key.privateKeyPem };
}

/**
 * An intermediate CA for one cluster, signed by `root`, and its `cacerts` files. The caller has
 * checked the root (see loadRootCa); this only needs it to be a certificate with its key.
 */
export async function createIntermediateCa(root: KeyedCertificate, options: IntermediateOptions): Promise<CacertsBundle> {
  const rootCert = new X509Certificate(root.certPem);
  const rootFields = certificateFields(rootCert);
  const key = await generateKey(options.key);
  const now = options.now ?? new Date();
  const subject: NameAttribute[] = [
    { type: 'O', value: options.organization ?? ISTIO_DEFAULTS.organization },
    { type: 'CN', value: ISTIO_DEFAULTS.intermediateCommonName },
    { type: 'L', value: options.cluster },
  ];
  const caCertPem = await buildCertificate({
    subject,
    publicKey: key.publicKey,
    issuer: { nameDer: rootFields.subjectDer, keyId: rootFields.subjectKeyId ?? rootFields.computedKeyId, privateKey: createPrivateKey(root.keyPem) },
    ...validity(now, options.days ?? ISTIO_DEFAULTS.intermediateDays),
    ca: { pathLength: 0 },
    keyUsage: [...CA_KEY_USAGE],
    dnsNames: [ISTIO_DEFAULTS.istiodDnsName],
  });
  const rootCertPem = normalizePem(root.certPem);
  return { caCertPem, caKeyPem: key.privateKeyPem, certChainPem: caCertPem + rootCertPem, rootCertPem };
}

function validity(now: Date, days: number): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: new Date(now.getTime() + days * DAY_MS) };
}

/** LF line ends and one trailing newline, so concatenated files stay well-formed. */
export function normalizePem(pem: string): string {
  return `${pem.replace(/\r\n/g, '\n').trimEnd()}\n`;
}
