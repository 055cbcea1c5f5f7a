import { createPrivateKey } from 'node:crypto';
import type { CacertsBundle } from '../../pki/authority.js';
import { summarizePem } from '../../pki/fingerprint.js';
import { describeKey, publicKeyFingerprint } from '../../pki/keys.js';
import { shortFp } from '../../pki/certificate-checks.js';
import { CACERTS_SECRET, ISTIO_NAMESPACE, MANAGED_BY_LABEL, MANAGED_BY_VALUE, type SecretSummary } from './types.js';
import type { LiveSecret } from './live-state.js';

const CERT_FILES = ['ca-cert.pem', 'cert-chain.pem', 'root-cert.pem'] as const;
const KEY_FILES = new Set(['ca-key.pem', 'root-key.pem', 'key.pem', 'tls.key']);

export function bundleData(bundle: CacertsBundle): Record<string, string> {
  return { 'ca-cert.pem': bundle.caCertPem, 'ca-key.pem': bundle.caKeyPem, 'cert-chain.pem': bundle.certChainPem, 'root-cert.pem': bundle.rootCertPem };
}

/** Key names, certificate subjects and fingerprints of `cacerts`-shaped data; a key only by its public half. */
export function summarizeSecretData(data: Record<string, string>, meta: { resourceVersion?: string; managedByMeshdeck: boolean; name?: string }): SecretSummary {
  const certificates: SecretSummary['certificates'] = [];
  for (const file of CERT_FILES) {
    if (data[file] === undefined) continue;
    for (const cert of summarizePem(data[file]!)) certificates.push({ file, ...cert });
  }
  let privateKey: SecretSummary['privateKey'];
  const keyFile = Object.keys(data).find((k) => KEY_FILES.has(k));
  if (keyFile) {
    try {
      const key = createPrivateKey(data[keyFile]!);
      privateKey = { file: keyFile, type: describeKey(key), publicKeyFingerprint: publicKeyFingerprint(key) };
    } catch {
      privateKey = { file: keyFile, type: 'unreadable', publicKeyFingerprint: '' };
    }
  }
  return {
    namespace: ISTIO_NAMESPACE,
    name: meta.name ?? CACERTS_SECRET,
    ...(meta.resourceVersion ? { resourceVersion: meta.resourceVersion } : {}),
    managedByMeshdeck: meta.managedByMeshdeck,
    keys: Object.keys(data).sort(),
    certificates,
    ...(privateKey ? { privateKey } : {}),
  };
}

export function summarizeLiveSecret(secret: LiveSecret, name = CACERTS_SECRET): SecretSummary {
  return summarizeSecretData(secret.data, { resourceVersion: secret.resourceVersion, managedByMeshdeck: isManaged(secret), name });
}

export function isManaged(secret: LiveSecret): boolean {
  return secret.labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

/** "O=Istio, CN=Root CA (SHA-256 63:72:7A:17…)" */
export function certLine(cert: { subject: string; fingerprint: string }): string {
  return `${cert.subject} (SHA-256 ${shortFp(cert.fingerprint)})`;
}

/** What changed between two secrets, per key: never the values, only what identifies them. */
export function secretDiff(before: SecretSummary | undefined, after: SecretSummary): string[] {
  const lines: string[] = [];
  const certsOf = (s: SecretSummary | undefined, file: string) => (s?.certificates ?? []).filter((c) => c.file === file);
  for (const key of [...new Set([...(before?.keys ?? []), ...after.keys])].sort()) {
    const had = before?.keys.includes(key) ?? false;
    const has = after.keys.includes(key);
    if (KEY_FILES.has(key)) {
      const old = before?.privateKey?.file === key ? before.privateKey : undefined;
      const next = after.privateKey?.file === key ? after.privateKey : undefined;
      if (!had) lines.push(`+ ${key}: ${next?.type ?? 'key'}, public key SHA-256 ${shortFp(next?.publicKeyFingerprint ?? '')} (contents never shown)`);
      else if (!has) lines.push(`- ${key}`);
      else if (old?.publicKeyFingerprint !== next?.publicKeyFingerprint) lines.push(`~ ${key}: ${old?.type ?? '?'} ${shortFp(old?.publicKeyFingerprint ?? '')} → ${next?.type ?? '?'} ${shortFp(next?.publicKeyFingerprint ?? '')} (contents never shown)`);
      continue;
    }
    const oldCerts = certsOf(before, key).map(certLine).join(' + ');
    const newCerts = certsOf(after, key).map(certLine).join(' + ');
    if (!had) lines.push(`+ ${key}: ${newCerts || '(no certificate)'}`);
    else if (!has) lines.push(`- ${key}: ${oldCerts}`);
    else if (oldCerts !== newCerts) lines.push(`~ ${key}: ${oldCerts || '(no certificate)'} → ${newCerts || '(no certificate)'}`);
  }
  return lines;
}
