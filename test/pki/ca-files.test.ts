import { createPrivateKey } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIntermediateCa, createRootCa, type CacertsBundle, type KeyedCertificate } from '../../source/pki/authority.js';
import { cacertsFiles, CaFileError, directoryLayout, loadCacertsDir, loadRootCa, rootFiles, writeCaFiles } from '../../source/pki/ca-files.js';
import { PkiError } from '../../source/pki/findings.js';
import { openssl, tempFiles } from './openssl.js';

const RSA = { type: 'rsa' as const, bits: 2048 };
const mode = (path: string) => statSync(path).mode & 0o777;
const fresh = () => mkdtempSync(join(tmpdir(), 'meshdeck-ca-files-'));

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('CA files: modes, no silent overwrites, and one-line errors naming the file', () => {
  let root: KeyedCertificate;
  let east: CacertsBundle;

  beforeAll(async () => {
    root = await createRootCa({ key: RSA });
    east = await createIntermediateCa(root, { cluster: 'east', key: RSA });
  });

  it('writes keys 0600 and certificates 0644 into a new 0700 directory', () => {
    const dir = join(fresh(), 'deep', 'root');
    writeCaFiles(dir, rootFiles(root), { force: false });
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, '..'))).toBe(0o700);
    expect(mode(join(dir, 'root-key.pem'))).toBe(0o600);
    expect(mode(join(dir, 'root-cert.pem'))).toBe(0o644);
    writeCaFiles(join(dir, 'east'), cacertsFiles(east), { force: false });
    expect(mode(join(dir, 'east', 'ca-key.pem'))).toBe(0o600);
    expect(readFileSync(join(dir, 'east', 'cert-chain.pem'), 'utf8')).toBe(east.caCertPem + root.certPem);
  });

  it('never overwrites without force, and writes nothing when one file is in the way', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'root-key.pem'), 'precious');
    const error = thrown(() => writeCaFiles(dir, rootFiles(root), { force: false }));
    expect(error).toBeInstanceOf(CaFileError);
    expect(error.message).toBe(`${join(dir, 'root-key.pem')} already exists; meshdeck never overwrites CA files: pass --force to replace them, or pick another directory`);
    expect(readFileSync(join(dir, 'root-key.pem'), 'utf8')).toBe('precious');
    expect(() => readFileSync(join(dir, 'root-cert.pem'))).toThrow();
    writeCaFiles(dir, rootFiles(root), { force: true });
    expect(readFileSync(join(dir, 'root-key.pem'), 'utf8')).toBe(root.keyPem);
    expect(mode(join(dir, 'root-key.pem'))).toBe(0o600);
  });

  it('refuses to put keys into a directory other users can read', () => {
    const dir = join(fresh(), 'open');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    expect(thrown(() => writeCaFiles(dir, rootFiles(root), { force: false })).message).toBe(
      `${dir} is mode 0755, open to other users; private keys go only into 0700 directories: run chmod 700 ${dir}, or pick a new directory`,
    );
  });

  it('loads a root for signing, and says in one line what is wrong with a bad one', async () => {
    const good = tempFiles({ 'root-cert.pem': root.certPem, 'root-key.pem': root.keyPem });
    expect(loadRootCa(good, new Date()).root.certPem).toBe(root.certPem);

    const missing = join(fresh(), 'nope');
    expect(thrown(() => loadRootCa(missing, new Date())).message).toBe(`${missing} does not exist; pass the directory that holds root-cert.pem and root-key.pem (made by 'meshdeck ca root')`);

    const noKey = tempFiles({ 'root-cert.pem': root.certPem });
    expect(thrown(() => loadRootCa(noKey, new Date())).message).toBe(`${join(noKey, 'root-key.pem')}: is missing; signing intermediates needs the root key next to root-cert.pem`);

    const other = await createRootCa({ key: { type: 'ecdsa' } });
    const mismatched = tempFiles({ 'root-cert.pem': root.certPem, 'root-key.pem': other.keyPem });
    expect(thrown(() => loadRootCa(mismatched, new Date())).message).toBe(`${join(mismatched, 'root-key.pem')}: does not match root-cert.pem (ECDSA P-256 key of another key pair); use the key that was made together with root-cert.pem`);

    const encrypted = tempFiles({ 'root-cert.pem': root.certPem, 'root-key.pem': createPrivateKey(root.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString() });
    expect(thrown(() => loadRootCa(encrypted, new Date())).message).toMatch(new RegExp(`^${join(encrypted, 'root-key.pem')}: is encrypted with a passphrase`));

    const intermediate = tempFiles({ 'root-cert.pem': east.caCertPem, 'root-key.pem': east.caKeyPem });
    expect(thrown(() => loadRootCa(intermediate, new Date())).message).toBe(
      `${join(intermediate, 'root-cert.pem')}: the certificate (O=Istio, CN=Intermediate CA, L=east) is not a root (it is not self-signed: issued by O=Istio, CN=Root CA); point at the directory of the root CA`,
    );

    const truncated = tempFiles({ 'root-cert.pem': root.certPem.slice(0, 300), 'root-key.pem': root.keyPem });
    expect(thrown(() => loadRootCa(truncated, new Date()))).toBeInstanceOf(PkiError);
    expect(thrown(() => loadRootCa(truncated, new Date())).message).toBe(`${join(truncated, 'root-cert.pem')}: is truncated: the CERTIFICATE that starts on line 1 has no END line; copy the whole file again`);
  });

  it('refuses a root that is not a CA, or expired', async () => {
    const dir = fresh();
    const made = openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'root-key.pem'), '-out', join(dir, 'root-cert.pem'), '-days', '30', '-subj', '/CN=Leaf', '-addext', 'basicConstraints=critical,CA:FALSE']);
    expect(made.code, made.output).toBe(0);
    expect(thrown(() => loadRootCa(dir, new Date(Date.now() + 5000))).message).toBe(
      `${join(dir, 'root-cert.pem')}: the certificate (CN=Leaf) is not a CA certificate (basicConstraints CA:TRUE is missing), so it cannot issue intermediates; use a CA certificate, such as one made by 'meshdeck ca root'`,
    );
    const old = await createRootCa({ key: RSA, now: new Date(Date.now() - 20 * 24 * 3600 * 1000), days: 10 });
    const expired = tempFiles({ 'root-cert.pem': old.certPem, 'root-key.pem': old.keyPem });
    expect(thrown(() => loadRootCa(expired, new Date())).message).toMatch(new RegExp(`^${join(expired, 'root-cert.pem')}: the certificate \\(O=Istio, CN=Root CA\\) expired on \\d{4}-\\d\\d-\\d\\d; make a new one with 'meshdeck ca root'$`));
  });

  it('loads a cacerts directory only when it passes every check', () => {
    const dir = tempFiles({ 'ca-cert.pem': east.caCertPem, 'ca-key.pem': east.caKeyPem, 'cert-chain.pem': east.certChainPem, 'root-cert.pem': east.rootCertPem });
    expect(loadCacertsDir(dir, new Date()).bundle).toEqual(east);
    const broken = tempFiles({ 'ca-cert.pem': east.caCertPem, 'ca-key.pem': east.caKeyPem, 'root-cert.pem': east.rootCertPem });
    expect(thrown(() => loadCacertsDir(broken, new Date())).message).toMatch(new RegExp(`^${join(broken, 'cert-chain.pem')}: is missing`));
  });

  it('tells the layouts apart: a root, a root with cluster subdirectories, one cluster, nothing', () => {
    const tree = fresh();
    writeCaFiles(tree, rootFiles(root), { force: false });
    expect(directoryLayout(tree)).toEqual({ kind: 'root', clusters: [] });
    writeCaFiles(join(tree, 'west'), cacertsFiles(east), { force: false });
    writeCaFiles(join(tree, 'east'), cacertsFiles(east), { force: false });
    expect(directoryLayout(tree)).toEqual({ kind: 'root', clusters: ['east', 'west'] });
    expect(directoryLayout(join(tree, 'east'))).toEqual({ kind: 'cacerts' });
    expect(directoryLayout(fresh())).toEqual({ kind: 'none' });
  });
});
