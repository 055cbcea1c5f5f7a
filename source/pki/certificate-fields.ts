import { createHash, type X509Certificate } from 'node:crypto';
import { Type, bytesOf, children, fromDer, isContext, isUniversal, oidOf, OID, toDer, type Asn1 } from './asn1.js';

/** What Node's X509Certificate does not expose: extensions read from the DER. */
export interface CertificateFields {
  /** The subject Name exactly as encoded (becomes the issuer of certificates this one signs). */
  subjectDer: Buffer;
  /** basicConstraints, when present. */
  basicConstraints?: { ca: boolean; pathLength?: number; critical: boolean };
  /** keyUsage bit names, when the extension is present. */
  keyUsage?: KeyUsageName[];
  subjectKeyId?: Buffer;
  authorityKeyId?: Buffer;
  /** The key identifier RFC 5280 method 1 gives: SHA-1 of the subjectPublicKey bits. */
  computedKeyId: Buffer;
}

export const KEY_USAGE_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'] as const;
export type KeyUsageName = (typeof KEY_USAGE_BITS)[number];

const cache = new WeakMap<X509Certificate, CertificateFields>();

/** Reads a certificate's extensions; throws on DER that is not a certificate. */
export function certificateFields(cert: X509Certificate): CertificateFields {
  const cached = cache.get(cert);
  if (cached) return cached;
  const fields = readFields(cert.raw);
  cache.set(cert, fields);
  return fields;
}

function readFields(der: Buffer): CertificateFields {
  const tbs = children(fromDer(der))[0];
  if (!tbs) throw new Error('not a certificate');
  const parts = children(tbs);
  // version [0] is optional; serial, signature, issuer, validity, subject, subjectPublicKeyInfo follow.
  const offset = parts[0] && isContext(parts[0], 0) ? 1 : 0;
  const subject = parts[offset + 4];
  const spki = parts[offset + 5];
  if (!subject || !spki) throw new Error('not a certificate');
  const publicKeyBits = children(spki)[1];
  const fields: CertificateFields = {
    subjectDer: toDer(subject),
    computedKeyId: createHash('sha1').update(publicKeyBits ? bytesOf(publicKeyBits).subarray(1) : Buffer.alloc(0)).digest(),
  };
  const extensions = parts.find((p) => isContext(p, 3));
  for (const extension of extensions ? children(children(extensions)[0] ?? extensions) : []) readExtension(extension, fields);
  return fields;
}

function readExtension(extension: Asn1, fields: CertificateFields): void {
  const [id, second, third] = children(extension);
  if (!id || !second) return;
  const critical = isUniversal(second, Type.BOOLEAN) ? bytesOf(second)[0] !== 0 : false;
  const valueNode = isUniversal(second, Type.BOOLEAN) ? third : second;
  if (!valueNode) return;
  const value = fromDer(bytesOf(valueNode));
  switch (oidOf(id)) {
    case OID.basicConstraints: {
      let ca = false;
      let pathLength: number | undefined;
      for (const item of children(value)) {
        if (isUniversal(item, Type.BOOLEAN)) ca = bytesOf(item)[0] !== 0;
        else if (isUniversal(item, Type.INTEGER)) pathLength = bytesOf(item).readUIntBE(0, Math.min(6, bytesOf(item).length));
      }
      fields.basicConstraints = { ca, critical, ...(pathLength !== undefined ? { pathLength } : {}) };
      break;
    }
    case OID.keyUsage: {
      const bytes = bytesOf(value).subarray(1);
      fields.keyUsage = KEY_USAGE_BITS.filter((_, bit) => ((bytes[Math.floor(bit / 8)] ?? 0) & (0x80 >> bit % 8)) !== 0);
      break;
    }
    case OID.subjectKeyIdentifier:
      fields.subjectKeyId = bytesOf(value);
      break;
    case OID.authorityKeyIdentifier: {
      const keyId = children(value).find((item) => isContext(item, 0));
      if (keyId) fields.authorityKeyId = bytesOf(keyId);
      break;
    }
    default:
      break;
  }
}
