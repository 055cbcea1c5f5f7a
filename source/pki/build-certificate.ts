import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import * as der from './asn1.js';
import { KEY_USAGE_BITS, type KeyUsageName } from './certificate-fields.js';
import { signAsync, signatureScheme } from './keys.js';

export interface NameAttribute {
  type: 'C' | 'O' | 'OU' | 'L' | 'CN';
  value: string;
}

export interface CertificateSpec {
  subject: NameAttribute[];
  publicKey: KeyObject;
  /** Who signs: the certificate's own key (a root), or an issuer's name, key identifier and key. */
  issuer: { self: KeyObject } | { nameDer: Buffer; keyId: Buffer; privateKey: KeyObject };
  notBefore: Date;
  notAfter: Date;
  /** A CA certificate (basicConstraints CA:TRUE, critical), with an optional path length. */
  ca: { pathLength?: number };
  keyUsage: KeyUsageName[];
  dnsNames?: string[];
}

export class UnsupportedKeyError extends Error {}

const ATTRIBUTE_OIDS: Record<NameAttribute['type'], string> = { C: der.OID.countryName, O: der.OID.organizationName, OU: der.OID.organizationalUnitName, L: der.OID.localityName, CN: der.OID.commonName };

/**
 * Assembles an X.509 v3 certificate with node-forge's ASN.1 module and signs its TBSCertificate with
 * Node's crypto (on the thread pool). node-forge alone cannot: it signs only with RSA, in pure
 * JavaScript (which would block the event loop for RSA 4096), and cannot read ECDSA keys at all.
 * Names are UTF8String (as openssl writes them with `utf8 = yes`, Istio's tools/certs setting).
 */
export async function buildCertificate(spec: CertificateSpec): Promise<string> {
  const signer = 'self' in spec.issuer ? spec.issuer.self : spec.issuer.privateKey;
  const scheme = signatureScheme(signer);
  if ('unsupported' in scheme) throw new UnsupportedKeyError(scheme.unsupported);
  const spkiDer = spec.publicKey.export({ type: 'spki', format: 'der' });
  const spki = der.fromDer(spkiDer);
  const keyId = subjectKeyId(spki);
  const subject = nameOf(spec.subject);
  const issuerName = 'self' in spec.issuer ? subject : der.fromDer(spec.issuer.nameDer);
  const authorityKeyId = 'self' in spec.issuer ? keyId : spec.issuer.keyId;
  const algorithm = der.sequence(scheme.rsa ? [der.oid(scheme.oid), der.nul()] : [der.oid(scheme.oid)]);

  const extensions = [
    extension(der.OID.basicConstraints, true, der.sequence([der.bool(true), ...(spec.ca.pathLength !== undefined ? [der.integer(spec.ca.pathLength)] : [])])),
    extension(der.OID.keyUsage, true, der.namedBits(spec.keyUsage.map((name) => KEY_USAGE_BITS.indexOf(name)))),
    ...(spec.dnsNames && spec.dnsNames.length > 0 ? [extension(der.OID.subjectAltName, false, der.sequence(spec.dnsNames.map((name) => der.implicitPrimitive(2, name))))] : []),
    extension(der.OID.subjectKeyIdentifier, false, der.octets(keyId)),
    extension(der.OID.authorityKeyIdentifier, false, der.sequence([der.implicitPrimitive(0, authorityKeyId.toString('binary'))])),
  ];
  const tbs = der.sequence([
    der.explicit(0, der.integer(2)),
    der.integerBytes(serialNumber()),
    algorithm,
    issuerName,
    der.sequence([der.time(spec.notBefore), der.time(spec.notAfter)]),
    subject,
    spki,
    der.explicit(3, der.sequence(extensions)),
  ]);
  const tbsDer = der.toDer(tbs);
  const signature = await signAsync(scheme.digest, tbsDer, signer);
  const certificate = der.toDer(der.sequence([tbs, algorithm, der.bitString(signature)]));
  return toPem(certificate);
}

function nameOf(attributes: NameAttribute[]): der.Asn1 {
  return der.sequence(attributes.map((a) => der.set([der.sequence([der.oid(ATTRIBUTE_OIDS[a.type]), a.type === 'C' ? der.printable(a.value) : der.utf8(a.value)])])));
}

function extension(id: string, critical: boolean, value: der.Asn1): der.Asn1 {
  return der.sequence([der.oid(id), ...(critical ? [der.bool(true)] : []), der.octets(der.toDer(value))]);
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's bits (what openssl's `hash` does). */
function subjectKeyId(spki: der.Asn1): Buffer {
  const bits = der.children(spki)[1];
  return createHash('sha1').update(bits ? der.bytesOf(bits).subarray(1) : Buffer.alloc(0)).digest();
}

/** 16 random bytes, positive and minimally encoded (first byte 0x40..0x7f). */
function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x3f) | 0x40;
  return bytes;
}

function toPem(certificate: Buffer): string {
  const lines = certificate.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
