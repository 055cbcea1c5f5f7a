import { join, resolve } from 'node:path';
import type { CommandContext } from './command.js';
import { UserError } from './command.js';
import type { ParsedOptions } from './args.js';
import { CaFileError, checkCacertsDir, checkRootDir, directoryLayout } from '../pki/ca-files.js';
import { shortFp } from '../pki/certificate-checks.js';
import { finding, hasErrors, type Finding } from '../pki/findings.js';
import type { CertificateSummary } from '../pki/fingerprint.js';
import { connectContexts, readClusters, verifyClusters } from '../actions/ca/index.js';
import { certificateLine, findingLines, tally, verifyLines } from './ca-format.js';
import { loadContexts } from './ca-contexts.js';

interface DirectoryResult {
  dir: string;
  kind: 'root' | 'cacerts';
  certificate?: CertificateSummary;
  root?: CertificateSummary;
}

/** `meshdeck ca verify DIR`: a root directory, one cluster's cacerts, or a root with cluster subdirectories. */
export async function verifyDirectory(dirArg: string, options: ParsedOptions, ctx: CommandContext): Promise<number> {
  const dir = resolve(dirArg);
  const now = new Date();
  const findings: Finding[] = [];
  const checked: DirectoryResult[] = [];
  let layout: ReturnType<typeof directoryLayout>;
  try {
    layout = directoryLayout(dir);
    if (layout.kind === 'none') {
      findings.push(finding('error', 'not-a-ca-directory', dir, "holds none of the expected files: root-cert.pem and root-key.pem for a root, or ca-cert.pem, ca-key.pem, cert-chain.pem and root-cert.pem for a cluster (make them with 'meshdeck ca root' and 'meshdeck ca intermediate')"));
    }
    let rootFp: CertificateSummary | undefined;
    if (layout.kind === 'root') {
      const report = checkRootDir(dir, now, { needKey: false });
      findings.push(...report.findings);
      rootFp = report.root;
      checked.push({ dir, kind: 'root', ...(report.root ? { certificate: report.root } : {}) });
    }
    const clusterDirs = layout.kind === 'cacerts' ? [dir] : layout.kind === 'none' ? [] : layout.clusters.map((c) => join(dir, c));
    for (const clusterDir of clusterDirs) {
      const report = checkCacertsDir(clusterDir, now);
      findings.push(...report.findings);
      const root = report.chainRoot ?? report.roots[0];
      checked.push({ dir: clusterDir, kind: 'cacerts', ...(report.caCert ? { certificate: report.caCert } : {}), ...(root ? { root } : {}) });
      if (rootFp && report.chainRoot && report.chainRoot.fingerprint !== rootFp.fingerprint) {
        findings.push(finding('error', 'root-mismatch', clusterDir, `chains to ${report.chainRoot.subject} (SHA-256 ${shortFp(report.chainRoot.fingerprint)}), not to the root in ${join(dir, 'root-cert.pem')} (SHA-256 ${shortFp(rootFp.fingerprint)}); issue it again with 'meshdeck ca intermediate --root ${dir}'`));
      }
    }
  } catch (error) {
    if (error instanceof CaFileError) throw new UserError(error.message);
    throw error;
  }
  const ok = !hasErrors(findings);
  if (options['output'] === 'json') {
    ctx.stdout.write(`${JSON.stringify({ directory: dir, ok, checked, findings }, null, 2)}\n`);
    return ok ? 0 : 1;
  }
  const lines = [`meshdeck ca verify: ${dir}`];
  for (const c of checked) {
    lines.push(certificateLine(c.kind === 'root' ? 'root' : c.dir === dir ? 'ca-cert.pem' : c.dir.slice(dir.length + 1), c.certificate));
    if (c.kind === 'cacerts' && c.root && !(checked[0]?.kind === 'root' && checked[0].certificate?.fingerprint === c.root.fingerprint)) lines.push(certificateLine('  its root', c.root));
  }
  lines.push(...findingLines(findings), tally(findings), '');
  ctx.stdout.write(lines.join('\n'));
  return ok ? 0 : 1;
}

/** `meshdeck ca verify --context a,b`: the roots the clusters use, and whether they share one. */
export async function verifyContexts(options: ParsedOptions, ctx: CommandContext): Promise<number> {
  const contexts = loadContexts(options, ctx);
  const apis = await connectContexts(contexts).catch((error: unknown) => {
    throw new UserError(`cannot use the kubeconfig's credentials: ${(error as Error).message.split('\n')[0]}`);
  });
  const report = verifyClusters(await readClusters(apis), new Date());
  const ok = !hasErrors(report.findings);
  if (options['output'] === 'json') {
    ctx.stdout.write(`${JSON.stringify({ ok, ...report }, null, 2)}\n`);
    return ok ? 0 : 1;
  }
  ctx.stdout.write([...verifyLines(report), '', ...findingLines(report.findings), tally(report.findings), ''].join('\n'));
  return ok ? 0 : 1;
}
