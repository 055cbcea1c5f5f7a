import forge from 'node-forge';

// Small DER helpers over node-forge's asn1 module: certificates are assembled from these nodes and
// their DER handed to Node's crypto for signing, so RSA and ECDSA share one code path.

const { asn1 } = forge;
export type Asn1 = forge.asn1.Asn1;
const U = asn1.Class.UNIVERSAL;
const CTX = asn1.Class.CONTEXT_SPECIFIC;

export const OID = {
  commonName: '2.5.4.3',
  countryName: '2.5.4.6',
  localityName: '2.5.4.7',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  subjectAltName: '2.5.29.17',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
} as const;

export const sequence = (items: Asn1[]): Asn1 => asn1.create(U, asn1.Type.SEQUENCE, true, items);
export const set = (items: Asn1[]): Asn1 => asn1.create(U, asn1.Type.SET, true, items);
export const oid = (id: string): Asn1 => asn1.create(U, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
export const nul = (): Asn1 => asn1.create(U, asn1.Type.NULL, false, '');
export const bool = (value: boolean): Asn1 => asn1.create(U, asn1.Type.BOOLEAN, false, String.fromCharCode(value ? 0xff : 0x00));
export const integer = (value: number): Asn1 => asn1.create(U, asn1.Type.INTEGER, false, asn1.integerToDer(value).getBytes());
/** A positive INTEGER from big-endian bytes whose first byte is below 0x80 and not zero (minimal DER). */
export const integerBytes = (bytes: Buffer): Asn1 => asn1.create(U, asn1.Type.INTEGER, false, bytes.toString('binary'));
export const octets = (bytes: Buffer): Asn1 => asn1.create(U, asn1.Type.OCTETSTRING, false, bytes.toString('binary'));
export const utf8 = (text: string): Asn1 => asn1.create(U, asn1.Type.UTF8, false, forge.util.encodeUtf8(text));
export const printable = (text: string): Asn1 => asn1.create(U, asn1.Type.PRINTABLESTRING, false, text);
/** A BIT STRING holding whole bytes (a signature, a public key). */
export const bitString = (bytes: Buffer): Asn1 => asn1.create(U, asn1.Type.BITSTRING, false, `\u0000${bytes.toString('binary')}`);
export const explicit = (tag: number, inner: Asn1): Asn1 => asn1.create(CTX, tag, true, [inner]);
export const implicitPrimitive = (tag: number, bytes: string): Asn1 => asn1.create(CTX, tag, false, bytes);

/** UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280, 4.1.2.5). */
export function time(date: Date): Asn1 {
  return date.getUTCFullYear() < 2050 ? asn1.create(U, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date)) : asn1.create(U, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

/** A named BIT STRING (key usage): bit 0 is the most significant bit of the first byte; trailing zero bits dropped (DER). */
export function namedBits(bits: number[]): Asn1 {
  if (bits.length === 0) return asn1.create(U, asn1.Type.BITSTRING, false, '\u0000');
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[Math.floor(bit / 8)]! |= 0x80 >> bit % 8;
  const unused = 7 - (highest % 8);
  return asn1.create(U, asn1.Type.BITSTRING, false, String.fromCharCode(unused) + bytes.toString('binary'));
}

export const toDer = (node: Asn1): Buffer => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
export const fromDer = (der: Buffer): Asn1 => asn1.fromDer(forge.util.createBuffer(der.toString('binary')));

export function children(node: Asn1): Asn1[] {
  return Array.isArray(node.value) ? node.value : [];
}

export function bytesOf(node: Asn1): Buffer {
  return typeof node.value === 'string' ? Buffer.from(node.value, 'binary') : toDer(node).subarray(0);
}

export function oidOf(node: Asn1): string {
  return asn1.derToOid(node.value as string);
}

export function isContext(node: Asn1, tag: number): boolean {
  return node.tagClass === CTX && node.type === tag;
}

export function isUniversal(node: Asn1, type: forge.asn1.Type): boolean {
  return node.tagClass === U && node.type === type;
}

export const Type = asn1.Type;
