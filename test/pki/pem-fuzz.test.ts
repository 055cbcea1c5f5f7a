import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCertificates, parsePrivateKey } from '../../source/pki/pem.js';
import { summarizePem } from '../../source/pki/fingerprint.js';
import { checkCacerts, CACERTS_FILES, type CacertsFile } from '../../source/pki/check-cacerts.js';
import { checkRoot } from '../../source/pki/check-root.js';
import { createIntermediateCa, createRootCa, type CacertsBundle, type KeyedCertificate } from '../../source/pki/authority.js';
import type { Finding } from '../../source/pki/findings.js';

const SAMPLE_DIR = join(import.meta.dirname, '..', 'fixtures', 'istio-sample-certs');
const sample = (file: string) => readFileSync(join(SAMPLE_DIR, file), 'utf8');
/** Istio's published sample CA (samples/certs): real files made by other tools than meshdeck. */
const SAMPLE = { caCert: sample('ca-cert.pem'), caKey: sample('ca-key.pem'), chain: sample('cert-chain.pem'), root: sample('root-cert.pem') };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const PROBLEM_CODES = new Set(['empty-file', 'no-pem', 'truncated-pem', 'malformed-pem', 'wrong-pem-type', 'encrypted-key']);

/** The base64 of every key block, cut in pieces: no finding or report may hold any of them. */
function keyPieces(...pems: string[]): string[] {
  const pieces: string[] = [];
  for (const pem of pems) {
    for (const block of pem.matchAll(/-----BEGIN [A-Z ]*PRIVATE KEY-----([\s\S]*?)-----END/g)) {
      const body = block[1]!.replace(/\s+/g, '').replace(/^Proc-Type.*?DEK-Info:[^\n]*/s, '');
      for (let i = 0; i + 16 <= body.length; i += 16) pieces.push(body.slice(i, i + 16));
    }
  }
  return pieces;
}

function checkFinding(f: Finding, secrets: string[] = []): void {
  expect(f.message, JSON.stringify(f.message)).not.toMatch(CONTROL);
  expect(f.where).not.toMatch(CONTROL);
  expect(f.message.length).toBeGreaterThan(0);
  for (const piece of secrets) expect(f.message).not.toContain(piece);
}

const pemNoise = fc.oneof(
  fc.constantFrom('-----BEGIN CERTIFICATE-----\n', '-----END CERTIFICATE-----\n', '-----BEGIN PRIVATE KEY-----\n', '-----BEGIN ENCRYPTED PRIVATE KEY-----\n', 'Proc-Type: 4,ENCRYPTED\n', '\r\n', '\n', ' ', '=', '==', '*', 'A', '/', '+', '\u0000', '\u001b[2J'),
  fc.string({ maxLength: 6 }),
);
/** A PEM text with pieces put in, characters changed, lines dropped or cut short. */
const damaged = (base: string) =>
  fc
    .array(
      fc.oneof(
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: pemNoise }),
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), to: fc.constantFrom('A', 'z', '0', '+', '/', '=', '-', '!') }),
        fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((edits) => {
      let text = base;
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        if (e.kind === 'insert') text = text.slice(0, at) + e.text + text.slice(at);
        else if (e.kind === 'flip') text = text.slice(0, at) + e.to + text.slice(at + 1);
        else if (e.kind === 'cut') text = text.slice(0, at);
        else {
          const lines = text.split('\n');
          lines.splice(e.at % Math.max(1, lines.length), 1);
          text = lines.join('\n');
        }
      }
      return text;
    });

describe('PEM parsing: certificates or one problem, never a throw', () => {
  it('reads the Istio sample CA files', () => {
    for (const pem of [SAMPLE.caCert, SAMPLE.chain, SAMPLE.root]) {
      const parsed = parseCertificates(pem, 'f');
      expect('certificates' in parsed && parsed.certificates.length).toBeGreaterThan(0);
    }
    expect('key' in parsePrivateKey(SAMPLE.caKey, 'f')).toBe(true);
  });

  it('any text as a certificate file', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), damaged(SAMPLE.caCert), damaged(SAMPLE.chain), damaged(SAMPLE.caKey)), (text) => {
        const parsed = parseCertificates(text, 'certs/ca-cert.pem');
        if ('problem' in parsed) {
          expect(PROBLEM_CODES.has(parsed.problem.code)).toBe(true);
          checkFinding(parsed.problem, keyPieces(SAMPLE.caKey));
        } else {
          expect(parsed.certificates.length).toBeGreaterThan(0);
          for (const cert of parsed.certificates) expect(cert).toBeInstanceOf(X509Certificate);
        }
        expect(() => summarizePem(text)).not.toThrow();
      }),
      { numRuns: 1_500 },
    );
  });

  it('any text as a key file: a key or one problem, never a byte of the key in the message', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), damaged(SAMPLE.caKey), damaged(SAMPLE.caCert)), (text) => {
        const parsed = parsePrivateKey(text, 'certs/ca-key.pem');
        if ('problem' in parsed) {
          expect(PROBLEM_CODES.has(parsed.problem.code)).toBe(true);
          checkFinding(parsed.problem, keyPieces(SAMPLE.caKey, text));
        }
      }),
      { numRuns: 1_500 },
    );
  });

  it('a certificate file cut anywhere before its last END line is truncated or malformed, never read as another certificate', () => {
    const end = SAMPLE.chain.lastIndexOf('-----END CERTIFICATE-----');
    const whole = (parseCertificates(SAMPLE.chain, 'f') as { certificates: X509Certificate[] }).certificates.map((c) => c.fingerprint256);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: end + '-----END CERTIFICATE-----'.length - 1 }), (at) => {
        const parsed = parseCertificates(SAMPLE.chain.slice(0, at), 'certs/cert-chain.pem');
        if ('certificates' in parsed) {
          // Only whole blocks can be read, and they are the file's own certificates.
          for (const cert of parsed.certificates) expect(whole).toContain(cert.fingerprint256);
          expect(parsed.certificates.length).toBeLessThan(whole.length + 1);
        } else {
          expect(['truncated-pem', 'malformed-pem', 'no-pem', 'empty-file']).toContain(parsed.problem.code);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('encrypted keys are named as such, whichever way they were encrypted', () => {
    const key = createPrivateKey(SAMPLE.caKey);
    const pkcs8 = key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString();
    const traditional = key.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'secret' }).toString();
    expect(traditional).toContain('Proc-Type: 4,ENCRYPTED');
    for (const pem of [pkcs8, traditional, pkcs8.replace(/\n/g, '\r\n')]) {
      const parsed = parsePrivateKey(pem, 'certs/ca-key.pem');
      expect('problem' in parsed && parsed.problem.code).toBe('encrypted-key');
      checkFinding((parsed as { problem: Finding }).problem, keyPieces(pem));
    }
  });
});

describe('checkCacerts and checkRoot with any mix of files: findings in one line each, never a key byte', () => {
  let root: KeyedCertificate;
  let other: KeyedCertificate;
  let east: CacertsBundle;
  let stranger: CacertsBundle;
  let pool: string[];

  beforeAll(async () => {
    [root, other] = await Promise.all([createRootCa({ key: { type: 'ecdsa' } }), createRootCa({ key: { type: 'ecdsa' }, organization: 'Other' })]);
    [east, stranger] = await Promise.all([createIntermediateCa(root, { cluster: 'east', key: { type: 'ecdsa' } }), createIntermediateCa(other, { cluster: 'west', key: { type: 'ecdsa' } })]);
    pool = [
      ...Object.values(SAMPLE),
      east.caCertPem,
      east.caKeyPem,
      east.certChainPem,
      east.rootCertPem,
      stranger.caCertPem,
      stranger.caKeyPem,
      stranger.certChainPem,
      other.certPem,
      other.keyPem,
      root.keyPem,
      createPrivateKey(east.caKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString(),
      stranger.caCertPem + east.caCertPem,
      east.caCertPem.slice(0, 200),
      '',
      'not a pem at all',
    ];
  });

  const secrets = () => keyPieces(SAMPLE.caKey, east.caKeyPem, stranger.caKeyPem, other.keyPem, root.keyPem);

  it('a correct set has no errors; a wrong key is named as not matching', () => {
    const files = { 'ca-cert.pem': east.caCertPem, 'ca-key.pem': east.caKeyPem, 'cert-chain.pem': east.certChainPem, 'root-cert.pem': east.rootCertPem };
    expect(checkCacerts({ files, where: (f) => `certs/${f}` }, new Date()).findings).toEqual([]);
    const wrongKey = checkCacerts({ files: { ...files, 'ca-key.pem': stranger.caKeyPem }, where: (f) => `certs/${f}` }, new Date());
    expect(wrongKey.findings.map((f) => f.code)).toEqual(['key-mismatch']);
    const rootWrongKey = checkRoot({ files: { 'root-cert.pem': root.certPem, 'root-key.pem': other.keyPem }, where: (f) => `root/${f}` }, new Date(), { needKey: true });
    expect(rootWrongKey.findings.map((f) => f.code)).toEqual(['key-mismatch']);
  });

  it('a certificate damaged inside its public key or its dates is malformed, not a crash later in a check', () => {
    const der = new X509Certificate(east.caCertPem).raw;
    const point = createPublicKey(east.caKeyPem).export({ type: 'spki', format: 'der' });
    const pemOf = (bytes: Buffer) => `-----BEGIN CERTIFICATE-----\n${bytes.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
    // The EC point (the last 65 bytes of the SubjectPublicKeyInfo) with one byte changed: no longer on the curve.
    const badKey = Buffer.from(der);
    const at = der.indexOf(point.subarray(point.length - 65));
    expect(at).toBeGreaterThan(0);
    badKey[at + 40] = badKey[at + 40]! ^ 0xff;
    // notAfter (the second UTCTime/GeneralizedTime of the validity) with a digit replaced by a NUL.
    const badDate = Buffer.from(der);
    const notBefore = der.indexOf(Buffer.from([0x17, 0x0d]));
    const notAfter = der.indexOf(Buffer.from([0x17, 0x0d]), notBefore + 2);
    expect(notAfter).toBeGreaterThan(notBefore);
    badDate[notAfter + 4] = 0;
    for (const [name, bytes] of [['public key', badKey], ['dates', badDate]] as const) {
      const parsed = parseCertificates(pemOf(bytes), 'certs/ca-cert.pem');
      expect('problem' in parsed && parsed.problem.code, name).toBe('malformed-pem');
      const report = checkCacerts({ files: { 'ca-cert.pem': pemOf(bytes), 'ca-key.pem': east.caKeyPem, 'cert-chain.pem': pemOf(bytes) + east.rootCertPem, 'root-cert.pem': east.rootCertPem }, where: (f) => `certs/${f}` }, new Date());
      expect(report.findings.map((f) => f.code), name).toContain('malformed-pem');
    }
  });

  it('checkCacerts: every slot filled with any of the files (or damaged ones, or none)', () => {
    const slot = fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 1000 }).map((i) => pool[i % pool.length]!), fc.integer({ min: 0, max: 1000 }).chain((i) => damaged(pool[i % pool.length]! || 'x')));
    fc.assert(
      fc.property(fc.tuple(slot, slot, slot, slot), fc.date({ min: new Date('2000-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }), (texts, now) => {
        const files: Partial<Record<CacertsFile, string>> = {};
        CACERTS_FILES.forEach((file, i) => {
          if (texts[i] !== undefined) files[file] = texts[i];
        });
        const report = checkCacerts({ files, where: (f) => `east: istio-system/cacerts ${f}` }, now);
        for (const f of report.findings) checkFinding(f, secrets());
        const json = JSON.stringify(report);
        for (const piece of secrets()) expect(json).not.toContain(piece);
      }),
      { numRuns: 1000 },
    );
  });

  it('checkRoot: any certificate and key file, or none', () => {
    const slot = fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 1000 }).map((i) => pool[i % pool.length]!), fc.integer({ min: 0, max: 1000 }).chain((i) => damaged(pool[i % pool.length]! || 'x')));
    fc.assert(
      fc.property(slot, slot, fc.boolean(), (cert, key, needKey) => {
        let report;
        try {
          report = checkRoot({ files: { ...(cert !== undefined ? { 'root-cert.pem': cert } : {}), ...(key !== undefined ? { 'root-key.pem': key } : {}) }, where: (f) => `root/${f}` }, new Date(), { needKey });
        } catch (error) {
          throw new Error(`checkRoot threw: ${(error as Error).stack}`);
        }
        for (const f of report.findings) checkFinding(f, secrets());
        const { parsed: _parsed, ...rest } = report;
        const json = JSON.stringify(rest);
        for (const piece of secrets()) expect(json).not.toContain(piece);
      }),
      { numRuns: 1000 },
    );
  });

  it('names with line breaks or escape sequences in a certificate stay on one line in every finding', async () => {
    const organizations = ['Acme\nInc', 'Evil\u001b]0;pwned\u0007Corp', 'Tab\there', 'Line\u2028Sep', 'C1\u009b2J'];
    for (const organization of organizations) {
      const odd = await createRootCa({ key: { type: 'ecdsa' }, organization, now: new Date(Date.now() - 400 * 24 * 3600 * 1000), days: 1 });
      const report = checkRoot({ files: { 'root-cert.pem': odd.certPem, 'root-key.pem': other.keyPem }, where: (f) => `root/${f}` }, new Date(), { needKey: true });
      expect(report.findings.length).toBeGreaterThan(0);
      for (const f of report.findings) checkFinding(f);
      const bundle = await createIntermediateCa(odd, { cluster: 'east', key: { type: 'ecdsa' }, organization });
      const cacerts = checkCacerts({ files: { 'ca-cert.pem': bundle.caCertPem, 'ca-key.pem': stranger.caKeyPem, 'cert-chain.pem': stranger.caCertPem + bundle.caCertPem, 'root-cert.pem': other.certPem }, where: (f) => `c/${f}` }, new Date());
      expect(cacerts.findings.length).toBeGreaterThan(0);
      for (const f of cacerts.findings) checkFinding(f);
      for (const summary of [cacerts.caCert, ...cacerts.roots]) {
        expect(summary?.subject ?? '').not.toMatch(CONTROL);
        expect(summary?.issuer ?? '').not.toMatch(CONTROL);
      }
    }
  });
});
