import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CacertsBundle, KeyedCertificate } from './authority.js';
import { CACERTS_FILES, checkCacerts, type CacertsFile, type CacertsReport } from './check-cacerts.js';
import { checkRoot, type RootFile, type RootReport } from './check-root.js';
import { PkiError } from './findings.js';

/** A file-system problem with CA files, as one line naming the path and what to do. */
export class CaFileError extends Error {}

export const KEY_MODE = 0o600;
export const CERT_MODE = 0o644;
export const DIR_MODE = 0o700;

export interface OutputFile {
  name: string;
  content: string;
  mode: number;
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') throw new CaFileError(`${path} is a directory, not a PEM file`);
    throw new CaFileError(`${path} cannot be read (${code ?? (error as Error).message}); check its permissions`);
  }
}

function requireDirectory(dir: string, what: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    throw new CaFileError(`${dir} does not exist; ${what}`);
  }
  if (!isDirectory) throw new CaFileError(`${dir} is not a directory; ${what}`);
}

export function readCacertsFiles(dir: string): Partial<Record<CacertsFile, string>> {
  const files: Partial<Record<CacertsFile, string>> = {};
  for (const name of CACERTS_FILES) {
    const text = readIfThere(join(dir, name));
    if (text !== undefined) files[name] = text;
  }
  return files;
}

/** Checks a directory of `cacerts` files (what `meshdeck ca intermediate` writes per cluster). */
export function checkCacertsDir(dir: string, now: Date): CacertsReport & { files: Partial<Record<CacertsFile, string>> } {
  requireDirectory(dir, "pass the directory that holds ca-cert.pem, ca-key.pem, cert-chain.pem and root-cert.pem");
  const files = readCacertsFiles(dir);
  return { ...checkCacerts({ files, where: (file) => join(dir, file) }, now), files };
}

/** The four files of a checked `cacerts` directory; any error throws (one line naming the file). */
export function loadCacertsDir(dir: string, now: Date): { bundle: CacertsBundle; report: CacertsReport } {
  const report = checkCacertsDir(dir, now);
  if (report.findings.some((f) => f.severity === 'error')) throw new PkiError(report.findings);
  const f = report.files;
  return { bundle: { caCertPem: f['ca-cert.pem']!, caKeyPem: f['ca-key.pem']!, certChainPem: f['cert-chain.pem']!, rootCertPem: f['root-cert.pem']! }, report };
}

export function checkRootDir(dir: string, now: Date, options: { needKey: boolean }): RootReport {
  requireDirectory(dir, "pass the directory that holds root-cert.pem and root-key.pem (made by 'meshdeck ca root')");
  const files: Partial<Record<RootFile, string>> = {};
  for (const name of ['root-cert.pem', 'root-key.pem'] as const) {
    const text = readIfThere(join(dir, name));
    if (text !== undefined) files[name] = text;
  }
  return checkRoot({ files, where: (file) => join(dir, file) }, now, options);
}

/** A root to sign intermediates with; any error (missing key, not a CA, expired, ...) throws. */
export function loadRootCa(dir: string, now: Date): { root: KeyedCertificate; report: RootReport } {
  const report = checkRootDir(dir, now, { needKey: true });
  if (!report.parsed?.key) throw new PkiError(report.findings);
  return { root: { certPem: readFileSync(join(dir, 'root-cert.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'root-key.pem'), 'utf8') }, report };
}

export type DirectoryLayout = { kind: 'cacerts' } | { kind: 'root'; clusters: string[] } | { kind: 'clusters'; clusters: string[] } | { kind: 'none' };

/** What a directory holds: one cluster's cacerts files, a root (maybe with cluster subdirectories), or cluster subdirectories. */
export function directoryLayout(dir: string): DirectoryLayout {
  requireDirectory(dir, 'pass a directory made by meshdeck ca root or meshdeck ca intermediate');
  const has = (name: string, base = dir) => existsSync(join(base, name));
  if (['ca-cert.pem', 'ca-key.pem', 'cert-chain.pem'].some((name) => has(name))) return { kind: 'cacerts' };
  const clusters = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && has('ca-cert.pem', join(dir, entry.name)))
    .map((entry) => entry.name)
    .sort();
  if (has('root-cert.pem') || has('root-key.pem')) return { kind: 'root', clusters };
  return clusters.length > 0 ? { kind: 'clusters', clusters } : { kind: 'none' };
}

/**
 * Makes `dir` (and its parents) 0700 when missing; an existing directory that is to hold private
 * keys must not be open to others.
 */
export function ensurePrivateDirectory(dir: string): void {
  if (!existsSync(dir)) {
    try {
      mkdirSync(dir, { recursive: true, mode: DIR_MODE });
    } catch (error) {
      throw new CaFileError(`cannot create ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); pick another directory`);
    }
    chmodSync(dir, DIR_MODE);
    return;
  }
  const stat = statSync(dir);
  if (!stat.isDirectory()) throw new CaFileError(`${dir} exists and is not a directory; pick another directory`);
  if ((stat.mode & 0o077) !== 0) {
    throw new CaFileError(`${dir} is mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}, open to other users; private keys go only into 0700 directories: run chmod 700 ${dir}, or pick a new directory`);
  }
}

/**
 * Writes files into `dir` (made 0700 if missing), each with its mode (keys 0600). Existing files are
 * never overwritten without `force`; nothing is written unless every file can be.
 */
export function writeCaFiles(dir: string, files: OutputFile[], options: { force: boolean }): string[] {
  ensurePrivateDirectory(dir);
  const existing = files.map((f) => join(dir, f.name)).filter((path) => existsSync(path));
  if (existing.length > 0 && !options.force) {
    throw new CaFileError(`${existing[0]} already exists${existing.length > 1 ? ` (and ${existing.length - 1} more)` : ''}; meshdeck never overwrites CA files: pass --force to replace them, or pick another directory`);
  }
  const written: string[] = [];
  for (const file of files) {
    const path = join(dir, file.name);
    // A new file is created exclusively with its final mode; a replaced one is renamed into place.
    const target = existsSync(path) ? join(dir, `.${basename(path)}.${process.pid}.tmp`) : path;
    const fd = openSync(target, 'wx', file.mode);
    try {
      writeSync(fd, file.content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(target, file.mode);
    if (target !== path) renameSync(target, path);
    written.push(path);
  }
  return written;
}

/** The files of a root directory. */
export function rootFiles(root: KeyedCertificate): OutputFile[] {
  return [
    { name: 'root-cert.pem', content: root.certPem, mode: CERT_MODE },
    { name: 'root-key.pem', content: root.keyPem, mode: KEY_MODE },
  ];
}

/** The files of one cluster's `cacerts` directory. */
export function cacertsFiles(bundle: CacertsBundle): OutputFile[] {
  return [
    { name: 'ca-cert.pem', content: bundle.caCertPem, mode: CERT_MODE },
    { name: 'ca-key.pem', content: bundle.caKeyPem, mode: KEY_MODE },
    { name: 'cert-chain.pem', content: bundle.certChainPem, mode: CERT_MODE },
    { name: 'root-cert.pem', content: bundle.rootCertPem, mode: CERT_MODE },
  ];
}
