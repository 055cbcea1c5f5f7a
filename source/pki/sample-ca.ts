import type { X509Certificate } from 'node:crypto';

/**
 * Istio's published sample CA, istio/istio `samples/certs/` (commit 86c9f01f): its private keys are
 * public, so any mesh that uses it trusts everyone who copied the sample. SHA-256 fingerprints of
 * root-cert.pem ("C=US, ST=California, L=Sunnyvale, O=Istio, OU=Test, CN=Root CA") and of
 * ca-cert.pem / cert-chain.pem ("... O=Istio, CN=Istio CA").
 */
export const ISTIO_SAMPLE_FINGERPRINTS: ReadonlyMap<string, string> = new Map([
  ['63:72:7A:17:85:CA:B4:7A:CE:C5:C2:4C:C0:66:9C:20:82:4E:8A:E1:AC:28:07:9A:4D:2F:8C:83:05:92:E7:B0', 'root'],
  ['F8:67:17:4E:4A:31:F1:79:2F:8C:03:54:A2:3F:8F:04:9B:D4:01:97:29:CD:2E:E5:79:D6:70:33:06:5B:2D:C2', 'intermediate'],
]);

// The sample directory also has alternative roots (root-cert-alt.pem, ...) with the same test
// subject; they are recognised by the sample's e-mail address.
const SAMPLE_EMAIL = 'emailAddress=testrootca@istio.io';

/** Whether a certificate is (or was issued by) Istio's sample CA. */
export function isIstioSample(cert: X509Certificate): boolean {
  if (ISTIO_SAMPLE_FINGERPRINTS.has(cert.fingerprint256)) return true;
  return cert.subject.split('\n').includes(SAMPLE_EMAIL) || cert.issuer.split('\n').includes(SAMPLE_EMAIL);
}

export const SAMPLE_CA_ADVICE = "is Istio's sample CA (samples/certs): its private key is published, so it is not for production; make your own root with 'meshdeck ca root'";
