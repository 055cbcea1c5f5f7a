import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meshdeck, type Run } from '../helpers/run-cli.js';
import { startTestSim, waitFor, type TestSim } from '../helpers/sim.js';
import { kubectl } from '../helpers/kubectl.js';
import { openssl } from '../pki/openssl.js';

const mode = (path: string) => statSync(path).mode & 0o777;
const noKeys = (run: Run) => expect(`${run.stdout}${run.stderr}`).not.toMatch(/PRIVATE KEY|MII[A-Za-z0-9+/]{20}/);

describe('meshdeck ca root | intermediate | verify (files)', () => {
  const work = mkdtempSync(join(tmpdir(), 'meshdeck-ca-cli-'));
  const root = join(work, 'root');

  it('makes a root: key 0600 in a 0700 directory, prints subject and fingerprint, never the key', async () => {
    const run = await meshdeck(['ca', 'root', '--out', root, '--key-size', '2048']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^meshdeck ca: root CA written to .*\/root \(directory mode 0700\)\n {2}root-cert\.pem {3}O=Istio, CN=Root CA {2}SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2} {2}until \d{4}-/);
    expect(mode(root)).toBe(0o700);
    expect(mode(join(root, 'root-key.pem'))).toBe(0o600);
    noKeys(run);
  });

  it('never overwrites without --force', async () => {
    const before = readFileSync(join(root, 'root-key.pem'), 'utf8');
    const again = await meshdeck(['ca', 'root', '--out', root, '--key-size', '2048']);
    expect(again).toEqual({ code: 1, stdout: '', stderr: `meshdeck: ${join(root, 'root-cert.pem')} already exists; meshdeck never overwrites CA files: pass --force to replace them, or pick another --out\n` });
    expect(readFileSync(join(root, 'root-key.pem'), 'utf8')).toBe(before);
    const forced = await meshdeck(['ca', 'root', '--out', root, '--key-size', '2048', '--force', '--output', 'json']);
    expect(forced.code).toBe(0);
    const json = JSON.parse(forced.stdout) as { root: { files: { path: string; mode: string }[]; key: { type: string } } };
    expect(json.root.files.map((f) => f.mode)).toEqual(['0644', '0600']);
    expect(json.root.key.type).toBe('RSA 2048');
    expect(readFileSync(join(root, 'root-key.pem'), 'utf8')).not.toBe(before);
    noKeys(forced);
  });

  it('makes intermediates for several clusters that openssl verifies against the root', async () => {
    const run = await meshdeck(['ca', 'intermediate', '--root', root, '--cluster', 'east,west', '--out', root, '--key-size', '2048']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('meshdeck ca: 2 intermediate CAs signed by O=Istio, CN=Root CA');
    for (const cluster of ['east', 'west']) {
      const dir = join(root, cluster);
      expect(readdirSync(dir).sort()).toEqual(['ca-cert.pem', 'ca-key.pem', 'cert-chain.pem', 'root-cert.pem']);
      expect(mode(dir)).toBe(0o700);
      expect(mode(join(dir, 'ca-key.pem'))).toBe(0o600);
      const verified = openssl(['verify', '-CAfile', join(root, 'root-cert.pem'), '-untrusted', join(dir, 'cert-chain.pem'), join(dir, 'ca-cert.pem')]);
      expect(verified.output.trim()).toBe(`${join(dir, 'ca-cert.pem')}: OK`);
      expect(openssl(['x509', '-noout', '-subject', '-in', join(dir, 'ca-cert.pem')]).output.trim()).toBe(`subject=O = Istio, CN = Intermediate CA, L = ${cluster}`);
    }
    noKeys(run);
  });

  it('verifies the whole tree: root, then each cluster, exit 0', async () => {
    const run = await meshdeck(['ca', 'verify', root]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout.split('\n').map((l) => l.split('  ').filter(Boolean)[0]?.trim())).toEqual(['meshdeck ca verify: ' + root, 'root', 'east', 'west', 'ok: no problems found', undefined]);
    const json = JSON.parse((await meshdeck(['ca', 'verify', join(root, 'east'), '--output', 'json'])).stdout) as { ok: boolean; checked: { kind: string }[]; findings: unknown[] };
    expect(json).toMatchObject({ ok: true, checked: [{ kind: 'cacerts' }], findings: [] });
  });

  it('exits 1 with one line per problem, naming the file', async () => {
    const dir = join(root, 'west');
    chmodSync(join(dir, 'ca-key.pem'), 0o600);
    writeFileSync(join(dir, 'ca-key.pem'), readFileSync(join(root, 'east', 'ca-key.pem')));
    writeFileSync(join(dir, 'cert-chain.pem'), readFileSync(join(dir, 'root-cert.pem'), 'utf8') + readFileSync(join(dir, 'ca-cert.pem'), 'utf8'));
    const run = await meshdeck(['ca', 'verify', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('✗'))).toEqual([
      `✗ error    ${join(dir, 'ca-key.pem')}: does not match ca-cert.pem (RSA 2048 key of another key pair); use the key that was made together with ca-cert.pem`,
      `✗ error    ${join(dir, 'cert-chain.pem')}: is out of order: ca-cert.pem is certificate 2, but it must come first, followed by its issuers up to the root; rebuild it with: cat ca-cert.pem root-cert.pem > cert-chain.pem`,
    ]);
    expect(run.stdout).toMatch(/\nfailed: 2 errors\n$/);
    noKeys(run);
    const missing = await meshdeck(['ca', 'verify', join(work, 'nope')]);
    expect(missing).toMatchObject({ code: 1, stderr: `meshdeck: ${join(work, 'nope')} does not exist; pass a directory made by meshdeck ca root or meshdeck ca intermediate\n` });
    const empty = mkdtempSync(join(tmpdir(), 'meshdeck-empty-'));
    expect((await meshdeck(['ca', 'verify', empty])).stdout).toContain(`✗ error    ${empty}: holds none of the expected files`);
  });

  it("flags Istio's sample CA as not for production (exit 0: a warning)", async () => {
    const run = await meshdeck(['ca', 'verify', join(import.meta.dirname, '..', 'fixtures', 'istio-sample-certs')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("! warning  ");
    expect(run.stdout).toContain("root-cert.pem: is Istio's sample CA (samples/certs): its private key is published, so it is not for production");
    expect(run.stdout).toMatch(/\nok: 1 warning\n$/);
  });

  it('refuses to sign with a root directory that has no key, in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdeck-nokey-'));
    writeFileSync(join(dir, 'root-cert.pem'), readFileSync(join(root, 'root-cert.pem')));
    const run = await meshdeck(['ca', 'intermediate', '--root', dir, '--cluster', 'east', '--out', join(dir, 'out'), '--key-size', '2048']);
    expect(run).toEqual({ code: 1, stdout: '', stderr: `meshdeck: ${join(dir, 'root-key.pem')}: is missing; signing intermediates needs the root key next to root-cert.pem\n` });
  });

  it.each([
    [['ca'], 'ca needs a subcommand: root, intermediate, verify or install'],
    [['ca', 'rot'], 'unknown ca subcommand "rot" (root, intermediate, verify, install)'],
    [['ca', 'root'], 'ca root needs --out'],
    [['ca', 'root', '--out', '/tmp/x', '--apply'], "--apply is not a flag of 'ca root'"],
    [['ca', 'root', '--out', '/tmp/x', '--key-type', 'dsa'], '--key-type must be rsa or ecdsa, got "dsa"'],
    [['ca', 'root', '--out', '/tmp/x', '--key-type', 'ecdsa', '--key-size', '4096'], '--key-size is for RSA keys; ECDSA keys are P-256'],
    [['ca', 'root', '--out', '/tmp/x', '--key-size', '1024'], '--key-size must be one of 2048, 3072, 4096, got 1024'],
    [['ca', 'root', '--out', '/tmp/x', '--output', 'yaml'], '--output must be text or json, got "yaml"'],
    [['ca', 'intermediate', '--root', '/tmp/r', '--cluster', 'a/b', '--out', '/tmp/x'], '--cluster "a/b" is not usable as a directory name'],
    [['ca', 'verify'], 'ca verify needs a directory (meshdeck ca verify DIR) or --context a,b'],
    [['ca', 'verify', '/tmp', '--context', 'east'], 'ca verify takes a directory or --context, not both'],
    [['ca', 'verify', '/tmp', '/var'], 'unexpected argument "/var"'],
    [['ca', 'install', '--context', 'east'], 'ca install needs --from DIR'],
  ])('exits 2 on wrong usage: %j', async (args, message) => {
    const run = await meshdeck(args);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toMatch(new RegExp(`^meshdeck: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(run.stderr.split('\n')[1]).toBe("Run 'meshdeck ca --help' for usage.");
  });

  it('lists the subcommands in its help', async () => {
    const run = await meshdeck(['ca', '--help']);
    expect(run.code).toBe(0);
    for (const sub of ['ca root --out DIR', 'ca intermediate --root DIR --cluster a,b --out DIR', 'ca verify DIR', 'ca verify --context a,b', 'ca install --context C --from DIR']) expect(run.stdout).toContain(sub);
  });
});

describe('meshdeck ca install | verify --context against the simulator', () => {
  let fresh: TestSim;
  let broken: TestSim;
  const certs = mkdtempSync(join(tmpdir(), 'meshdeck-ca-install-'));
  const cache = mkdtempSync(join(tmpdir(), 'meshdeck-ca-cache-'));
  const env = { XDG_CACHE_HOME: cache };

  beforeAll(async () => {
    [fresh, broken] = await Promise.all([startTestSim({ scenario: 'fresh', clusters: 2, podsPerCluster: 0 }), startTestSim({ scenario: 'broken', podsPerCluster: 0 })]);
    expect((await meshdeck(['ca', 'root', '--out', certs, '--key-size', '2048'])).code).toBe(0);
    expect((await meshdeck(['ca', 'intermediate', '--root', certs, '--cluster', 'east,west', '--out', certs, '--key-size', '2048'])).code).toBe(0);
  });
  afterAll(async () => {
    await Promise.all([fresh?.stop(), broken?.stop()]);
  });

  it('shows the plan without --apply and changes nothing', async () => {
    const run = await meshdeck(['ca', 'install', '--kubeconfig', fresh.kubeconfigPath, '--context', 'east', '--from', certs, '--restart'], env);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`east: install the CA of ${join(certs, 'east')}`);
    expect(lines).toContain('east: 3 steps');
    expect(lines.filter((l) => /^ {2}\d\. /.test(l))).toEqual(['  1. create   secret istio-system/cacerts', '  2. restart  deployment istio-system/istiod  (cannot be undone)', '  3. verify   configmap istio-system/istio-ca-root-cert']);
    expect(lines.at(-2)).toBe('nothing changed yet: review the plan, then run again with --apply');
    noKeys(run);
    const secret = await kubectl(fresh.kubeconfigPath, ['--context', 'east', 'get', 'secret', 'cacerts', '-n', 'istio-system']);
    expect(secret.stderr).toContain('NotFound');
  });

  it('installs with --apply --restart, then verify --context reports the shared root once both clusters have it', async () => {
    const run = await meshdeck(['ca', 'install', '--kubeconfig', fresh.kubeconfigPath, '--context', 'east', '--from', certs, '--apply', '--restart'], env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✓ done: created istio-system\/cacerts in east \(root O=Istio, CN=Root CA \(SHA-256 [0-9A-F:]+…\)\)/);
    expect(run.stdout).toContain('✓ done: restarted istiod in east; the new pods are ready');
    expect(run.stdout).toMatch(/✓ done: east distributes the new root O=Istio, CN=Root CA \(SHA-256 [0-9A-F:]+…\) in istio-ca-root-cert/);
    expect(run.stdout).toMatch(/\napplied: 3 steps done\n$/);
    noKeys(run);

    const half = await meshdeck(['ca', 'verify', '--kubeconfig', fresh.kubeconfigPath, '--context', 'east,west'], env);
    expect(half.code).toBe(1);
    expect(half.stdout).toMatch(/^CONTEXT +CA FROM +ROOT \(SHA-256\) +LOADED +NOTES\neast +cacerts +[0-9A-F:]{11} +O=Istio, CN=Root CA +yes +made by meshdeck\nwest +istio-ca-secret +[0-9A-F:]{11} +O=cluster\.local +yes\n/);
    expect(half.stdout).toContain('✗ error    the clusters do not share a root: east uses O=Istio, CN=Root CA');

    expect((await meshdeck(['ca', 'install', '--kubeconfig', fresh.kubeconfigPath, '--context', 'west', '--from', join(certs, 'west'), '--apply', '--restart'], env)).code).toBe(0);
    const both = await meshdeck(['ca', 'verify', '--kubeconfig', fresh.kubeconfigPath, '--context', 'east,west', '--output', 'json'], env);
    expect(both.code).toBe(0);
    const report = JSON.parse(both.stdout) as { ok: boolean; shared: boolean; groups: { clusters: string[] }[] };
    expect(report).toMatchObject({ ok: true, shared: true, groups: [{ clusters: ['east', 'west'] }] });
    expect((await meshdeck(['ca', 'verify', '--kubeconfig', fresh.kubeconfigPath, '--context', 'east,west'], env)).stdout).toMatch(/· note {5}east, west share the root O=Istio, CN=Root CA/);
  });

  it('does nothing the second time', async () => {
    const run = await meshdeck(['ca', 'install', '--kubeconfig', fresh.kubeconfigPath, '--context', 'east,west', '--from', certs, '--apply', '--restart'], env);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter((l) => /^(east|west): /.test(l) && !l.includes('install the CA'))).toEqual(['east: nothing to change', 'west: nothing to change']);
    expect(run.stdout).toMatch(/\nnothing to do: every cluster already has this CA\n$/);
    const json = JSON.parse((await meshdeck(['ca', 'install', '--kubeconfig', fresh.kubeconfigPath, '--context', 'east', '--from', certs, '--output', 'json'], env)).stdout) as { plan: { steps: unknown[]; blocked: unknown[] }; applied: boolean };
    expect(json).toMatchObject({ plan: { steps: [], blocked: [] }, applied: false });
  });

  it('says which context cannot be read, in one line', async () => {
    const run = await meshdeck(['ca', 'install', '--kubeconfig', fresh.kubeconfigPath, '--context', 'north', '--from', certs], env);
    expect(run).toMatchObject({ code: 1, stderr: 'meshdeck: context "north" is not in the kubeconfig (have: east, west); fix --context\n' });
  });

  it("refuses to replace a cacerts it did not create (Istio's sample CA in the broken scenario) without --force", async () => {
    const run = await meshdeck(['ca', 'install', '--kubeconfig', broken.kubeconfigPath, '--context', 'east', '--from', certs, '--apply', '--restart'], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('  ✗ blocked: secret istio-system/cacerts in east was not created by meshdeck (no label app.kubernetes.io/managed-by=meshdeck); pass --force to replace it (the old one is saved to a backup file first)');
    expect(run.stdout).toMatch(/\nnot applied: the plan is blocked \(see above\)\n$/);
    const root = await kubectl(broken.kubeconfigPath, ['--context', 'east', 'get', 'cm', 'istio-ca-root-cert', '-n', 'istio-system', '-o', 'jsonpath={.data.root-cert\\.pem}']);
    expect(root.stdout).toBe(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'istio-sample-certs', 'root-cert.pem'), 'utf8'));
  });

  it('with --force saves the old cacerts (0600, 0700 directory) first; with both clusters on one root the x509 symptoms go away', async () => {
    const notReady = async () => {
      const pods = await kubectl(broken.kubeconfigPath, ['--context', 'west', 'get', 'pods', '-n', 'istio-system', '-l', 'istio=ingressgateway', '-o', 'jsonpath={.items[*].status.containerStatuses[*].ready}']);
      return pods.stdout;
    };
    expect(await notReady()).toBe('false');
    const run = await meshdeck(['ca', 'install', '--kubeconfig', broken.kubeconfigPath, '--context', 'east,west', '--from', certs, '--apply', '--restart', '--force'], env);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("· note: west runs no istiod (a remote cluster?): nothing to restart; its primary's istiod issues its workloads' certificates");
    const backups = join(cache, 'meshdeck', 'ca-backups');
    expect(mode(backups)).toBe(0o700);
    for (const cluster of ['east', 'west']) {
      const files = readdirSync(join(backups, cluster));
      expect(files).toHaveLength(1);
      expect(mode(join(backups, cluster))).toBe(0o700);
      expect(mode(join(backups, cluster, files[0]!))).toBe(0o600);
      expect(run.stdout).toContain(`✓ done: saved the old istio-system/cacerts of ${cluster} to ${join(backups, cluster, files[0]!)} (mode 0600)`);
    }
    const saved = readFileSync(join(backups, 'east', readdirSync(join(backups, 'east'))[0]!), 'utf8');
    expect(saved).toMatch(/^# istio-system\/cacerts of context east, saved by meshdeck at .* before replacing it\.\n# Restore: kubectl --context east apply -f <this file>/);
    expect(Buffer.from(/root-cert\.pem: (\S+)/.exec(saved)![1]!, 'base64').toString()).toBe(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'istio-sample-certs', 'root-cert.pem'), 'utf8'));
    // The remote's proxies now verify istiod: its gateway becomes ready.
    await waitFor(async () => (await notReady()) === 'true', "west's ingress gateway to become ready", 20_000);
    const verify = await meshdeck(['ca', 'verify', '--kubeconfig', broken.kubeconfigPath, '--context', 'east,west'], env);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).not.toContain('sample');
  });
});
