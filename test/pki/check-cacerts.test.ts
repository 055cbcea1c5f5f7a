import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIntermediateCa, createRootCa, type CacertsBundle, type KeyedCertificate } from '../../source/pki/authority.js';
import { buildCertificate } from '../../source/pki/build-certificate.js';
import { checkCacerts, type CacertsFile } from '../../source/pki/check-cacerts.js';
import { generateKey } from '../../source/pki/keys.js';
import type { Finding } from '../../source/pki/findings.js';
import { openssl, tempFiles } from './openssl.js';

const SAMPLE_DIR = join(import.meta.dirname, '..', 'fixtures', 'istio-sample-certs');
const sample = (file: string) => readFileSync(join(SAMPLE_DIR, file), 'utf8');
const RSA = { type: 'rsa' as const, bits: 2048 };

function files(bundle: CacertsBundle): Record<CacertsFile, string> {
  return { 'ca-cert.pem': bundle.caCertPem, 'ca-key.pem': bundle.caKeyPem, 'cert-chain.pem': bundle.certChainPem, 'root-cert.pem': bundle.rootCertPem };
}

function check(input: Partial<Record<CacertsFile, string>>, at = new Date()) {
  return checkCacerts({ files: input, where: (file) => `certs/${file}` }, at);
}

const errors = (findings: Finding[]) => findings.filter((f) => f.severity === 'error');

describe('checkCacerts: what a bad cacerts breaks, one line per problem, naming the file', () => {
  let root: KeyedCertificate;
  let otherRoot: KeyedCertificate;
  let east: CacertsBundle;
  let west: CacertsBundle;

  beforeAll(async () => {
    [root, otherRoot] = await Promise.all([createRootCa({ key: RSA }), createRootCa({ key: RSA })]);
    [east, west] = await Promise.all([createIntermediateCa(root, { cluster: 'east', key: RSA }), createIntermediateCa(root, { cluster: 'west', key: RSA })]);
  });

  it('passes a chain meshdeck made, and reports its root, intermediate and key (by public fingerprint only)', () => {
    const report = check(files(east));
    expect(report.findings).toEqual([]);
    expect(report.caCert?.subject).toBe('O=Istio, CN=Intermediate CA, L=east');
    expect(report.chainRoot?.subject).toBe('O=Istio, CN=Root CA');
    expect(report.key?.type).toBe('RSA 2048');
    expect(report.key?.publicKeyFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(JSON.stringify(report)).not.toContain('PRIVATE KEY');
    expect(report.sample).toBe(false);
  });

  it.each([
    ['a missing file', () => ({ ...files(east), 'ca-key.pem': undefined }), 'missing-file', 'certs/ca-key.pem: is missing; a plugged-in CA needs ca-cert.pem, ca-key.pem, cert-chain.pem and root-cert.pem'],
    ['an empty file', () => ({ ...files(east), 'root-cert.pem': '\n' }), 'empty-file', 'certs/root-cert.pem: is empty'],
    ['a file with no PEM in it', () => ({ ...files(east), 'ca-cert.pem': 'hello\n' }), 'no-pem', 'certs/ca-cert.pem: holds no PEM certificate'],
    ['a truncated PEM', () => ({ ...files(east), 'ca-cert.pem': east.caCertPem.slice(0, 500) }), 'truncated-pem', 'certs/ca-cert.pem: is truncated: the CERTIFICATE that starts on line 1 has no END line'],
    ['a PEM whose base64 is damaged', () => ({ ...files(east), 'cert-chain.pem': east.certChainPem.replace(/\n[A-Za-z]/, '\n*') }), 'malformed-pem', 'certs/cert-chain.pem: certificate 1 (line 1) is not valid base64'],
    ['a PEM that is not a certificate inside', () => ({ ...files(east), 'ca-cert.pem': east.caCertPem.replace(/\n[A-Za-z0-9+/]{64}\n/, '\n' + 'A'.repeat(64) + '\n') }), 'malformed-pem', 'certs/ca-cert.pem: the certificate is malformed'],
    ['files swapped', () => ({ ...files(east), 'ca-cert.pem': east.caKeyPem, 'ca-key.pem': east.caCertPem }), 'wrong-pem-type', 'certs/ca-cert.pem: holds a RSA PRIVATE KEY, not a certificate'],
    ['a key encrypted with a passphrase (PKCS#8)', () => ({ ...files(east), 'ca-key.pem': createPrivateKey(east.caKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString() }), 'encrypted-key', 'certs/ca-key.pem: is encrypted with a passphrase; istiod reads only unencrypted keys'],
    ['a key encrypted the traditional way (Proc-Type)', () => ({ ...files(east), 'ca-key.pem': createPrivateKey(east.caKeyPem).export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'secret' }).toString() }), 'encrypted-key', 'certs/ca-key.pem: is encrypted'],
    ['the key of another intermediate', () => ({ ...files(east), 'ca-key.pem': west.caKeyPem }), 'key-mismatch', 'certs/ca-key.pem: does not match ca-cert.pem (RSA 2048 key of another key pair)'],
    ['cert-chain.pem with the root first', () => ({ ...files(east), 'cert-chain.pem': east.rootCertPem + east.caCertPem }), 'chain-order', 'certs/cert-chain.pem: is out of order: ca-cert.pem is certificate 2, but it must come first'],
    ["cert-chain.pem of another cluster", () => ({ ...files(east), 'cert-chain.pem': west.certChainPem }), 'chain-order', 'certs/cert-chain.pem: does not start with ca-cert.pem (it starts with O=Istio, CN=Intermediate CA, L=west)'],
    ['root-cert.pem of another root', () => ({ ...files(east), 'root-cert.pem': otherRoot.certPem }), 'root-mismatch', 'certs/root-cert.pem: is not the root of the chain: cert-chain.pem ends at O=Istio, CN=Root CA (SHA-256'],
    ['root-cert.pem of another root, cert-chain.pem without the root', () => ({ ...files(east), 'cert-chain.pem': east.caCertPem, 'root-cert.pem': otherRoot.certPem }), 'bad-signature', 'certs/root-cert.pem: holds a root named like the issuer of the last certificate of cert-chain.pem'],
    ['root-cert.pem holding the intermediate', () => ({ ...files(east), 'root-cert.pem': east.caCertPem }), 'root-not-self-signed', 'certs/root-cert.pem: the certificate (O=Istio, CN=Intermediate CA, L=east) is not a root (it is not self-signed'],
  ])('reports %s', (_name, input, code, message) => {
    const report = check(input() as Partial<Record<CacertsFile, string>>);
    const found = errors(report.findings);
    expect(found.map((f) => f.code)).toContain(code);
    const text = found.map((f) => `${f.where}: ${f.message}`);
    expect(text.some((line) => line.startsWith(message)), text.join('\n')).toBe(true);
    for (const line of text) expect(line).not.toContain('\n');
  });

  it('names a root that was made again under the same name (same subject, another key)', async () => {
    const again = await createRootCa({ key: RSA });
    const report = check({ ...files(east), 'cert-chain.pem': east.caCertPem, 'root-cert.pem': again.certPem });
    expect(errors(report.findings)).toEqual([expect.objectContaining({ code: 'bad-signature', where: 'certs/root-cert.pem', message: expect.stringContaining('with another key') })]);
  });

  it('reports an expired intermediate as an error and one that expires within 30 days as a warning', async () => {
    const past = new Date(Date.now() - 400 * 24 * 3600 * 1000);
    const oldRoot = await createRootCa({ key: RSA, now: past });
    const expired = await createIntermediateCa(oldRoot, { cluster: 'east', key: RSA, now: past, days: 30 });
    expect(errors(check(files(expired)).findings)).toEqual([expect.objectContaining({ code: 'expired', where: 'certs/ca-cert.pem', message: expect.stringMatching(/^the certificate \(O=Istio, CN=Intermediate CA, L=east\) expired on \d{4}-\d\d-\d\d; make a new intermediate/) })]);
    const soon = await createIntermediateCa(root, { cluster: 'east', key: RSA, days: 10 });
    const report = check(files(soon));
    expect(errors(report.findings)).toEqual([]);
    expect(report.findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'expires-soon', message: expect.stringMatching(/expires in (9|10) days/) })]);
  });

  it('reports an expired root, and certificates that are not valid yet', async () => {
    const past = new Date(Date.now() - 400 * 24 * 3600 * 1000);
    const oldRoot = await createRootCa({ key: RSA, now: past, days: 100 });
    const bundle = await createIntermediateCa(oldRoot, { cluster: 'east', key: RSA, now: past, days: 50 });
    expect(errors(check(files(bundle)).findings).map((f) => [f.code, f.where])).toEqual([
      ['expired', 'certs/ca-cert.pem'],
      ['expired', 'certs/root-cert.pem'],
    ]);
    expect(errors(check(files(east), new Date(Date.now() - 3600_000)).findings).map((f) => f.code)).toContain('not-yet-valid');
  });

  it('reports an intermediate that is not a CA (made with openssl: CA:FALSE)', () => {
    const dir = tempFiles({ 'root-cert.pem': root.certPem, 'root-key.pem': root.keyPem, 'ext.cnf': 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n' });
    const key = openssl(['genrsa', '2048']).output;
    const keyDir = tempFiles({ 'key.pem': key });
    const csr = openssl(['req', '-new', '-key', join(keyDir, 'key.pem'), '-subj', '/O=Istio/CN=Not a CA']).output;
    const leaf = openssl(['x509', '-req', '-days', '30', '-CA', join(dir, 'root-cert.pem'), '-CAkey', join(dir, 'root-key.pem'), '-CAcreateserial', '-extfile', join(dir, 'ext.cnf')], csr).output;
    const report = check({ 'ca-cert.pem': leaf, 'ca-key.pem': key, 'cert-chain.pem': leaf + root.certPem, 'root-cert.pem': root.certPem });
    expect(errors(report.findings)).toEqual([
      expect.objectContaining({ code: 'not-ca', where: 'certs/ca-cert.pem', message: expect.stringContaining('is not a CA certificate (basicConstraints CA:TRUE is missing), so it cannot sign workload certificates') }),
    ]);
  });

  it('reports a root whose path length forbids the intermediate below it', async () => {
    const key = await generateKey(RSA);
    const certPem = await buildCertificate({ subject: [{ type: 'CN', value: 'Tight Root' }], publicKey: key.publicKey, issuer: { self: key.privateKey }, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 1e10), ca: { pathLength: 0 }, keyUsage: ['keyCertSign'] });
    const tight = await createIntermediateCa({ certPem, keyPem: key.privateKeyPem }, { cluster: 'east', key: RSA });
    expect(errors(check(files(tight)).findings)).toEqual([expect.objectContaining({ code: 'path-length', where: 'certs/cert-chain.pem', message: expect.stringContaining('has pathlen:0 but 1 CA certificate below it') })]);
  });

  it("flags Istio's sample CA (the real samples/certs files) as not for production, with no errors", () => {
    const report = check({ 'ca-cert.pem': sample('ca-cert.pem'), 'ca-key.pem': sample('ca-key.pem'), 'cert-chain.pem': sample('cert-chain.pem'), 'root-cert.pem': sample('root-cert.pem') });
    expect(report.sample).toBe(true);
    expect(report.findings).toEqual([
      { severity: 'warning', code: 'sample-ca', where: 'certs/root-cert.pem', message: "is Istio's sample CA (samples/certs): its private key is published, so it is not for production; make your own root with 'meshdeck ca root'" },
    ]);
    expect(report.chainRoot?.fingerprint).toBe('63:72:7A:17:85:CA:B4:7A:CE:C5:C2:4C:C0:66:9C:20:82:4E:8A:E1:AC:28:07:9A:4D:2F:8C:83:05:92:E7:B0');
    // Only the sample intermediate, under a root of our own: still flagged.
    expect(check({ ...files(east), 'ca-cert.pem': sample('ca-cert.pem') }).sample).toBe(true);
  });

  it('notes a root bundle (several roots, as during a rotation) without failing', () => {
    const report = check({ ...files(east), 'root-cert.pem': otherRoot.certPem + root.certPem });
    expect(errors(report.findings)).toEqual([]);
    expect(report.findings).toEqual([expect.objectContaining({ severity: 'info', code: 'root-bundle' })]);
  });
});
