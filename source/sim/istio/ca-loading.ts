import { createPrivateKey } from 'node:crypto';
import type { KubeObject } from '../objects.js';
import { certificateInfo, nameAttribute, splitPems, type CertificateInfo } from './ca.js';

/** The CA an istiod loaded at its start: what it signs with and the root bundle it publishes. */
export interface LoadedCa {
  source: 'cacerts' | 'istio-ca-secret';
  /** What istio-ca-root-cert holds (root-cert.pem; for a self-signed CA its ca-cert.pem). */
  bundlePem: string;
  /** SHA-256 fingerprints of the roots in the bundle. */
  trusted: Set<string>;
  /** Fingerprint of the root the signing certificate chains to. */
  issuerRoot: string;
  /** The root's common name (or organisation), for messages. */
  issuerRootName: string;
}

export type CaLoad = { ca: LoadedCa } | { error: string };

function decoded(secret: KubeObject, key: string): string {
  const value = ((secret['data'] as Record<string, string> | undefined) ?? {})[key];
  return value ? Buffer.from(value, 'base64').toString('utf8') : '';
}

/** The trust roots of a `cacerts`-shaped secret alone (a remote's), without checking the signing key. */
export function rootsOf(secret: KubeObject): { bundlePem: string; trusted: Set<string> } | undefined {
  const bundlePem = decoded(secret, 'root-cert.pem');
  const roots = parse(splitPems(bundlePem));
  if (!roots || roots.length === 0) return undefined;
  return { bundlePem, trusted: new Set(roots.map((r) => r.fingerprint)) };
}

/**
 * Loads a plugged-in CA the way istiod does at start-up: ca-cert.pem, ca-key.pem and root-cert.pem
 * are required, the key must match the certificate, and the certificate must chain (through
 * cert-chain.pem) to a root in root-cert.pem. Any failure stops istiod from starting.
 */
export function loadPluggedCa(secret: KubeObject): CaLoad {
  const missing = ['ca-cert.pem', 'ca-key.pem', 'root-cert.pem'].filter((key) => !decoded(secret, key).trim());
  if (missing.length > 0) return { error: `failed to create an istiod CA: failed to create CA KeyCertBundle: ${missing.join(', ')} is missing from the cacerts secret` };
  return load('cacerts', decoded(secret, 'ca-cert.pem'), decoded(secret, 'ca-key.pem'), decoded(secret, 'cert-chain.pem'), decoded(secret, 'root-cert.pem'));
}

/** Loads istiod's own self-signed CA (istio-ca-secret: the root is ca-cert.pem). */
export function loadSelfSignedCa(secret: KubeObject): CaLoad {
  const caCert = decoded(secret, 'ca-cert.pem');
  return load('istio-ca-secret', caCert, decoded(secret, 'ca-key.pem'), decoded(secret, 'cert-chain.pem'), decoded(secret, 'root-cert.pem') || caCert);
}

function load(source: LoadedCa['source'], caCertPem: string, caKeyPem: string, chainPem: string, rootPem: string): CaLoad {
  const fail = (reason: string): CaLoad => ({ error: `failed to create an istiod CA: failed to create CA KeyCertBundle (${reason})` });
  const signing = parse(splitPems(caCertPem))?.[0];
  const chain = parse(splitPems(chainPem));
  const roots = parse(splitPems(rootPem));
  if (!signing || !chain || !roots || roots.length === 0) return fail('failed to parse cert PEM: invalid PEM encoded certificate');
  try {
    if (!signing.x509.checkPrivateKey(createPrivateKey(caKeyPem))) return fail('the cert does not match the key');
  } catch {
    return fail('failed to parse private key PEM');
  }
  const root = chainToRoot(signing, chain, roots);
  if (!root) return fail('cannot verify the cert with the provided root chain and cert pool with error: x509: certificate signed by unknown authority');
  return {
    ca: {
      source,
      bundlePem: rootPem,
      trusted: new Set(roots.map((r) => r.fingerprint)),
      issuerRoot: root.fingerprint,
      issuerRootName: nameAttribute(root.subject, 'CN') ?? nameAttribute(root.subject, 'O') ?? root.subject,
    },
  };
}

function chainToRoot(start: CertificateInfo, chain: CertificateInfo[], roots: CertificateInfo[]): CertificateInfo | undefined {
  let current = start;
  for (let depth = 0; depth < 8; depth++) {
    const root = roots.find((r) => signedBy(current, r));
    if (root) return root;
    const next = chain.find((c) => c.fingerprint !== current.fingerprint && signedBy(current, c));
    if (!next) return undefined;
    current = next;
  }
  return undefined;
}

function signedBy(cert: CertificateInfo, issuer: CertificateInfo): boolean {
  if (cert.fingerprint === issuer.fingerprint) return cert.selfIssued && cert.x509.verify(cert.x509.publicKey);
  return cert.x509.checkIssued(issuer.x509) && cert.x509.verify(issuer.x509.publicKey);
}

function parse(pems: string[]): CertificateInfo[] | undefined {
  try {
    return pems.map((pem) => certificateInfo(pem));
  } catch {
    return undefined;
  }
}
