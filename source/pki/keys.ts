import { createHash, createPublicKey, generateKeyPair, sign, type KeyObject } from 'node:crypto';

export type KeyType = 'rsa' | 'ecdsa';
export const RSA_KEY_SIZES = [2048, 3072, 4096] as const;
export const DEFAULT_RSA_BITS = 4096;

export interface KeySpec {
  type: KeyType;
  /** RSA modulus length (2048, 3072 or 4096); ECDSA keys are always P-256. */
  bits?: number;
}

export interface GeneratedKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKCS#1 (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`): the forms every Istio release reads. */
  privateKeyPem: string;
}

/**
 * A new key pair, generated natively on libuv's thread pool (never blocking the event loop: the
 * cockpit's spinner keeps moving while RSA 4096 takes a second or two).
 */
export function generateKey(spec: KeySpec): Promise<GeneratedKey> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, publicKey: KeyObject, privateKey: KeyObject) => {
      if (error) return reject(error);
      const format = spec.type === 'rsa' ? 'pkcs1' : 'sec1';
      resolve({ privateKey, publicKey, privateKeyPem: privateKey.export({ type: format, format: 'pem' }).toString() });
    };
    if (spec.type === 'rsa') generateKeyPair('rsa', { modulusLength: spec.bits ?? DEFAULT_RSA_BITS, publicExponent: 0x10001 }, done);
    else generateKeyPair('ec', { namedCurve: 'prime256v1' }, done);
  });
}

/** "RSA 4096", "ECDSA P-256", ... for messages and plans. */
export function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') return `${key.asymmetricKeyType === 'rsa' ? 'RSA' : 'RSA-PSS'} ${details.modulusLength ?? '?'}`;
  if (key.asymmetricKeyType === 'ec') return `ECDSA ${CURVE_NAMES[details.namedCurve ?? ''] ?? details.namedCurve ?? '?'}`;
  return (key.asymmetricKeyType ?? 'unknown').toUpperCase();
}

const CURVE_NAMES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** How a key signs certificates: the digest and the signature algorithm OID, or why it cannot. */
export function signatureScheme(key: KeyObject): { digest: 'sha256' | 'sha384'; oid: string; rsa: boolean } | { unsupported: string } {
  if (key.asymmetricKeyType === 'rsa') return { digest: 'sha256', oid: '1.2.840.113549.1.1.11', rsa: true };
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return { digest: 'sha256', oid: '1.2.840.10045.4.3.2', rsa: false };
    if (curve === 'secp384r1') return { digest: 'sha384', oid: '1.2.840.10045.4.3.3', rsa: false };
  }
  return { unsupported: `${describeKey(key)} keys cannot sign here (meshdeck signs with RSA, ECDSA P-256 or P-384 keys)` };
}

/** Signs on the thread pool (Node's callback form of crypto.sign). */
export function signAsync(digest: string, data: Buffer, key: KeyObject): Promise<Buffer> {
  return new Promise((resolve, reject) => sign(digest, data, key, (error, signature) => (error ? reject(error) : resolve(signature))));
}

/** SHA-256 of a key's public half (SPKI DER) as hex pairs: names a private key without revealing it. */
export function publicKeyFingerprint(key: KeyObject): string {
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return (createHash('sha256').update(spki).digest('hex').toUpperCase().match(/../g) ?? []).join(':');
}
