import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { CommandContext } from './command.js';
import { UserError } from './command.js';
import { UsageError, type ParsedOptions } from './args.js';
import { createIntermediateCa, createRootCa, ISTIO_DEFAULTS } from '../pki/authority.js';
import { cacertsFiles, CaFileError, loadRootCa, rootFiles, writeCaFiles, type OutputFile } from '../pki/ca-files.js';
import { PkiError } from '../pki/findings.js';
import { summarize } from '../pki/certificate-checks.js';
import { describeKey, publicKeyFingerprint, RSA_KEY_SIZES, type KeySpec } from '../pki/keys.js';
import { certificateLine, findingLines } from './ca-format.js';

const DAY_MS = 24 * 3600 * 1000;

export function keySpec(options: ParsedOptions): KeySpec {
  const type = String(options['key-type'] ?? 'rsa');
  if (type !== 'rsa' && type !== 'ecdsa') throw new UsageError(`--key-type must be rsa or ecdsa, got "${type}"`, 'ca');
  const size = options['key-size'] as number | undefined;
  if (type === 'ecdsa') {
    if (size !== undefined) throw new UsageError('--key-size is for RSA keys; ECDSA keys are P-256', 'ca');
    return { type };
  }
  if (size !== undefined && !(RSA_KEY_SIZES as readonly number[]).includes(size)) throw new UsageError(`--key-size must be one of ${RSA_KEY_SIZES.join(', ')}, got ${size}`, 'ca');
  return { type, bits: size ?? 4096 };
}

function required(options: ParsedOptions, name: string, sub: string): string {
  const value = options[name];
  if (value === undefined) throw new UsageError(`ca ${sub} needs --${name}`, 'ca');
  return String(value);
}

/** Refuses before any key is generated when a file is there already (writeCaFiles checks again). */
function refuseExisting(dir: string, files: string[], force: boolean): void {
  if (force) return;
  const taken = files.map((f) => join(dir, f)).find((p) => existsSync(p));
  if (taken) throw new UserError(`${taken} already exists; meshdeck never overwrites CA files: pass --force to replace them, or pick another --out`);
}

function write(dir: string, files: OutputFile[], force: boolean): string[] {
  try {
    return writeCaFiles(dir, files, { force });
  } catch (error) {
    if (error instanceof CaFileError) throw new UserError(error.message);
    throw error;
  }
}

function describeFiles(dir: string, files: OutputFile[]) {
  return files.map((f) => ({ path: join(dir, f.name), mode: `0${f.mode.toString(8)}` }));
}

export async function caRoot(options: ParsedOptions, ctx: CommandContext): Promise<number> {
  const out = resolve(required(options, 'out', 'root'));
  const key = keySpec(options);
  const force = Boolean(options['force']);
  refuseExisting(out, ['root-cert.pem', 'root-key.pem'], force);
  const root = await createRootCa({ key, organization: String(options['org'] ?? ISTIO_DEFAULTS.organization), days: Number(options['days'] ?? ISTIO_DEFAULTS.rootDays) });
  const files = rootFiles(root);
  write(out, files, force);
  const cert = summarize(new X509Certificate(root.certPem));
  const privateKey = createPrivateKey(root.keyPem);
  const keyInfo = { type: describeKey(privateKey), publicKeyFingerprint: publicKeyFingerprint(privateKey) };
  if (options['output'] === 'json') {
    ctx.stdout.write(`${JSON.stringify({ root: { dir: out, files: describeFiles(out, files), certificate: cert, key: keyInfo } }, null, 2)}\n`);
    return 0;
  }
  ctx.stdout.write(
    [
      `meshdeck ca: root CA written to ${out} (directory mode 0700)`,
      certificateLine('root-cert.pem', cert),
      `  ${'root-key.pem'.padEnd(14)}  ${keyInfo.type}, mode 0600: keep it offline; it never goes into a cluster`,
      `next: meshdeck ca intermediate --root ${out} --cluster NAME[,NAME...] --out DIR`,
      '',
    ].join('\n'),
  );
  return 0;
}

const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export async function caIntermediate(options: ParsedOptions, ctx: CommandContext): Promise<number> {
  const rootDir = resolve(required(options, 'root', 'intermediate'));
  const clusters = [...new Set(required(options, 'cluster', 'intermediate').split(',').map((s) => s.trim()).filter(Boolean))];
  const out = resolve(required(options, 'out', 'intermediate'));
  if (clusters.length === 0) throw new UsageError('--cluster needs at least one name', 'ca');
  const bad = clusters.find((c) => !CLUSTER_NAME.test(c));
  if (bad) throw new UsageError(`--cluster "${bad}" is not usable as a directory name (letters, digits, '.', '_' and '-')`, 'ca');
  const key = keySpec(options);
  const force = Boolean(options['force']);
  const days = Number(options['days'] ?? ISTIO_DEFAULTS.intermediateDays);
  const now = new Date();
  let loaded: ReturnType<typeof loadRootCa>;
  try {
    loaded = loadRootCa(rootDir, now);
  } catch (error) {
    if (error instanceof PkiError || error instanceof CaFileError) throw new UserError(error.message);
    throw error;
  }
  for (const line of findingLines(loaded.report.findings.filter((f) => f.severity === 'warning'))) ctx.stderr.write(`meshdeck: ${line}\n`);
  const rootEnd = new Date(loaded.report.root!.notAfter);
  if (now.getTime() + days * DAY_MS > rootEnd.getTime()) {
    const left = Math.floor((rootEnd.getTime() - now.getTime()) / DAY_MS);
    throw new UserError(`an intermediate of ${days} days would outlive the root, which expires on ${rootEnd.toISOString().slice(0, 10)} (in ${left} days); pass --days ${left} or less, or make a new root`);
  }
  const names = ['ca-cert.pem', 'ca-key.pem', 'cert-chain.pem', 'root-cert.pem'];
  for (const cluster of clusters) refuseExisting(join(out, cluster), names, force);
  // Keys are generated side by side on the thread pool.
  const bundles = await Promise.all(clusters.map((cluster) => createIntermediateCa(loaded.root, { cluster, key, days, now, organization: String(options['org'] ?? ISTIO_DEFAULTS.organization) })));
  const results = clusters.map((cluster, index) => {
    const dir = join(out, cluster);
    const files = cacertsFiles(bundles[index]!);
    write(dir, files, force);
    const privateKey = createPrivateKey(bundles[index]!.caKeyPem);
    return { cluster, dir, files: describeFiles(dir, files), certificate: summarize(new X509Certificate(bundles[index]!.caCertPem)), key: { type: describeKey(privateKey), publicKeyFingerprint: publicKeyFingerprint(privateKey) } };
  });
  if (options['output'] === 'json') {
    ctx.stdout.write(`${JSON.stringify({ root: loaded.report.root, clusters: results }, null, 2)}\n`);
    return 0;
  }
  const lines = [`meshdeck ca: ${results.length} intermediate CA${results.length === 1 ? '' : 's'} signed by ${loaded.report.root!.subject} (SHA-256 ${loaded.report.root!.fingerprint})`];
  for (const r of results) {
    lines.push(`${r.cluster}: ${r.dir} (ca-cert.pem, ca-key.pem 0600, cert-chain.pem, root-cert.pem)`);
    lines.push(certificateLine('ca-cert.pem', r.certificate));
  }
  lines.push(`next: meshdeck ca install --context ${clusters[0]} --from ${out}   (add --apply --restart to carry it out)`, '');
  ctx.stdout.write(lines.join('\n'));
  return 0;
}
