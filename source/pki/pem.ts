import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { finding, type Finding } from './findings.js';
import { certificateFields } from './certificate-fields.js';

interface PemBlock {
  label: string;
  body: string;
  /** Header lines such as `Proc-Type: 4,ENCRYPTED` (traditional encrypted keys). */
  headers: string[];
  line: number;
}

type Blocks = { blocks: PemBlock[] } | { problem: Finding };

/** The PEM blocks of a file, or the one problem that keeps it from being read. */
function pemBlocks(text: string, where: string, wanted: string): Blocks {
  if (text.trim() === '') return { problem: finding('error', 'empty-file', where, `is empty; it should hold a PEM ${wanted}`) };
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const blocks: PemBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const begin = /^-----BEGIN ([A-Z0-9 ]+)-----\s*$/.exec(lines[i]!.trim());
    if (!begin) continue;
    const label = begin[1]!;
    const end = lines.findIndex((line, j) => j > i && line.trim() === `-----END ${label}-----`);
    if (end < 0) return { problem: finding('error', 'truncated-pem', where, `is truncated: the ${label} that starts on line ${i + 1} has no END line; copy the whole file again`) };
    const inner = lines.slice(i + 1, end).map((l) => l.trim());
    const headers = inner.filter((l) => /^[A-Za-z-]+:/.test(l));
    blocks.push({ label, body: inner.filter((l) => l && !/^[A-Za-z-]+:/.test(l)).join(''), headers, line: i + 1 });
    i = end;
  }
  if (blocks.length === 0) {
    return { problem: finding('error', 'no-pem', where, `holds no PEM ${wanted} (no "-----BEGIN" line); if it is binary DER, convert it with openssl (for example: openssl x509 -inform der -in FILE -out FILE.pem)`) };
  }
  return { blocks };
}

function decodeBody(block: PemBlock): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(block.body) || block.body.length % 4 !== 0 || block.body.length === 0) return undefined;
  return Buffer.from(block.body, 'base64');
}

/** Every certificate in a PEM file, or why the file cannot be used. */
export function parseCertificates(text: string, where: string): { certificates: X509Certificate[] } | { problem: Finding } {
  const parsed = pemBlocks(text, where, 'certificate');
  if ('problem' in parsed) return parsed;
  const blocks = parsed.blocks.filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE');
  if (blocks.length === 0) {
    const other = parsed.blocks[0]!.label;
    return { problem: finding('error', 'wrong-pem-type', where, `holds a ${other}, not a certificate; check that the files were not swapped`) };
  }
  const certificates: X509Certificate[] = [];
  for (const [index, block] of blocks.entries()) {
    const der = decodeBody(block);
    const ordinal = blocks.length > 1 ? `certificate ${index + 1} (line ${block.line})` : 'the certificate';
    if (!der) return { problem: finding('error', 'malformed-pem', where, `${ordinal} is not valid base64; the file is damaged: copy it again`) };
    try {
      const cert = new X509Certificate(der);
      // Node reads the public key and meshdeck the extensions only when asked: a certificate damaged
      // there (one changed character in the base64) would throw later, in the middle of a check.
      // Everything the checks read is read here once, so such a file is "malformed", not a crash.
      void cert.publicKey;
      certificateFields(cert);
      // A damaged date field parses, but as a time no Date can hold.
      if (Number.isNaN(Date.parse(cert.validFrom)) || Number.isNaN(Date.parse(cert.validTo))) throw new Error('invalid validity');
      certificates.push(cert);
    } catch {
      return { problem: finding('error', 'malformed-pem', where, `${ordinal} is malformed (not a valid X.509 certificate); the file is damaged or truncated: copy it again`) };
    }
  }
  return { certificates };
}

const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);

/** The private key of a PEM file, or why it cannot be used. Never includes key material in messages. */
export function parsePrivateKey(text: string, where: string): { key: KeyObject } | { problem: Finding } {
  const parsed = pemBlocks(text, where, 'private key');
  if ('problem' in parsed) return parsed;
  const encrypted = parsed.blocks.find((b) => b.label === 'ENCRYPTED PRIVATE KEY' || b.headers.some((h) => /^Proc-Type:\s*4,ENCRYPTED/i.test(h)));
  if (encrypted) {
    return { problem: finding('error', 'encrypted-key', where, 'is encrypted with a passphrase; istiod reads only unencrypted keys: decrypt it with "openssl pkey -in FILE -out FILE.plain" and keep that file mode 0600') };
  }
  const keys = parsed.blocks.filter((b) => KEY_LABELS.has(b.label));
  if (keys.length === 0) {
    const other = parsed.blocks[0]!.label;
    return { problem: finding('error', 'wrong-pem-type', where, `holds a ${other}, not a private key; check that the files were not swapped`) };
  }
  if (keys.length > 1) return { problem: finding('error', 'malformed-pem', where, `holds ${keys.length} private keys; it must hold exactly one`) };
  const block = keys[0]!;
  const der = decodeBody(block);
  if (!der) return { problem: finding('error', 'malformed-pem', where, 'the private key is not valid base64; the file is damaged: copy it again') };
  try {
    const type = block.label === 'RSA PRIVATE KEY' ? 'pkcs1' : block.label === 'EC PRIVATE KEY' ? 'sec1' : 'pkcs8';
    return { key: createPrivateKey({ key: der, format: 'der', type }) };
  } catch {
    return { problem: finding('error', 'malformed-pem', where, 'the private key is malformed (not a valid key); the file is damaged or truncated: copy it again') };
  }
}
