import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandContext } from './command.js';
import { UserError } from './command.js';
import { UsageError, type ParsedOptions } from './args.js';
import { cacheDir } from './paths.js';
import { CaFileError, loadCacertsDir } from '../pki/ca-files.js';
import { PkiError } from '../pki/findings.js';
import type { CacertsBundle } from '../pki/authority.js';
import { applyInstall, connectContexts, readClusters, planInstall, type InstallTarget } from '../actions/ca/index.js';
import { applySummary, findingLines, planLines, progressLine } from './ca-format.js';
import { loadContexts } from './ca-contexts.js';
import { caAudit } from './ca-audit.js';
import { unfinishedLines } from '../actions/plan.js';

/** Where `meshdeck ca install` saves secrets before replacing them. */
export function backupDir(env: NodeJS.ProcessEnv): string {
  return join(cacheDir(env), 'ca-backups');
}

/** DIR itself when it holds one cluster's files (one context only), else DIR/<context>. */
function cacertsDirFor(from: string, context: string, contexts: number): string {
  if (existsSync(join(from, 'ca-cert.pem'))) {
    if (contexts > 1) throw new UsageError(`${from} holds one cluster's cacerts files; with several contexts, --from must hold a directory per context (as 'meshdeck ca intermediate --cluster a,b --out DIR' writes)`, 'ca');
    return from;
  }
  const dir = join(from, context);
  if (!existsSync(join(dir, 'ca-cert.pem'))) {
    throw new UserError(`${from} holds neither cacerts files (ca-cert.pem, ...) nor a directory ${context}/ for context ${context}; make one with 'meshdeck ca intermediate --root ROOT --cluster ${context} --out ${from}'`);
  }
  return dir;
}

export async function caInstall(options: ParsedOptions, ctx: CommandContext): Promise<number> {
  if (options['from'] === undefined) throw new UsageError('ca install needs --from DIR', 'ca');
  const from = resolve(String(options['from']));
  const contexts = loadContexts(options, ctx);
  const now = new Date();
  const bundles = new Map<string, { dir: string; bundle: CacertsBundle }>();
  for (const context of contexts) {
    const dir = cacertsDirFor(from, context.name, contexts.length);
    try {
      const loaded = loadCacertsDir(dir, now);
      bundles.set(context.name, { dir, bundle: loaded.bundle });
      if (options['output'] !== 'json') for (const line of findingLines(loaded.report.findings.filter((f) => f.severity === 'warning'))) ctx.stderr.write(`meshdeck: ${line}\n`);
    } catch (error) {
      if (error instanceof PkiError || error instanceof CaFileError) throw new UserError(error.message);
      throw error;
    }
  }
  const apis = await connectContexts(contexts).catch((error: unknown) => {
    throw new UserError(`cannot use the kubeconfig's credentials: ${(error as Error).message.split('\n')[0]}`);
  });
  const reads = await readClusters(apis);
  const targets: InstallTarget[] = [];
  for (const read of reads) {
    if (!('state' in read)) throw new UserError(`cannot read context ${read.cluster}: ${read.error}; check that the cluster is reachable`);
    const { dir, bundle } = bundles.get(read.state.cluster)!;
    targets.push({ cluster: read.state.cluster, source: dir, bundle, live: read.state });
  }
  const plan = planInstall(targets, { force: Boolean(options['force']), restart: Boolean(options['restart']), backupDir: backupDir(ctx.env), now });
  const json = options['output'] === 'json';
  const blocked = plan.blocked.length > 0;
  if (!options['apply'] || blocked || plan.steps.length === 0) {
    if (json) ctx.stdout.write(`${JSON.stringify({ plan, applied: false }, null, 2)}\n`);
    else {
      const tail = blocked
        ? 'not applied: the plan is blocked (see above)'
        : plan.steps.length === 0
          ? 'nothing to do: every cluster already has this CA'
          : options['apply']
            ? ''
            : 'nothing changed yet: review the plan, then run again with --apply';
      ctx.stdout.write([...planLines(plan), '', tail, ''].join('\n'));
    }
    return blocked ? 1 : 0;
  }
  if (!json) ctx.stdout.write([...planLines(plan), '', 'applying:', ''].join('\n'));
  const audit = caAudit(contexts, ctx.env, (line) => ctx.stderr.write(`meshdeck: ${line}\n`));
  const result = await applyInstall(plan, {
    api: (cluster) => apis.get(cluster)!,
    bundle: (cluster) => bundles.get(cluster)!.bundle,
    onProgress: (event) => {
      audit(event);
      if (json) return;
      const line = progressLine(event);
      if (line) ctx.stdout.write(`${line}\n`);
    },
  });
  if (json) ctx.stdout.write(`${JSON.stringify({ plan, applied: true, result }, null, 2)}\n`);
  else ctx.stdout.write([applySummary(result), ...unfinishedLines(result.steps), ''].join('\n'));
  return result.ok ? 0 : 1;
}
