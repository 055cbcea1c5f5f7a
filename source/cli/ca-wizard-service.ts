import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ContextEntry } from '../kube/kubeconfig.js';
import { createIntermediateCa, createRootCa, ISTIO_DEFAULTS, type CacertsBundle, type KeyedCertificate } from '../pki/authority.js';
import { cacertsFiles, loadRootCa, rootFiles, writeCaFiles, CaFileError } from '../pki/ca-files.js';
import { PkiError } from '../pki/findings.js';
import { applyInstall, connectContexts, planInstall, readClusters, verifyClusters, type InstallTarget } from '../actions/ca/index.js';
import type { Plan, KubeApi } from '../actions/ca/types.js';
import { applySummary, planLines, progressLine, verifyLines } from './ca-format.js';
import { backupDir } from './ca-install.js';
import { caAudit } from './ca-audit.js';
import type { CaWizardInput, CaWizardService, WizardCluster } from '../ui/source.js';

/**
 * The effects behind the cockpit's CA wizard, on the same engine as `meshdeck ca`: nothing is written
 * and no cluster is touched before `apply`, which runs exactly the plan the user reviewed.
 */
export function caWizardService(contexts: ContextEntry[], env: NodeJS.ProcessEnv): CaWizardService {
  let apis: Map<string, KubeApi> | undefined;
  let prepared: { plan: Plan; root: KeyedCertificate; newRoot: boolean; rootDir: string; bundles: Map<string, CacertsBundle>; force: boolean } | undefined;
  const connect = async (names: string[]) => {
    apis ??= await connectContexts(contexts);
    return new Map(names.map((name) => [name, apis!.get(name)!] as const).filter(([, api]) => api !== undefined));
  };
  return {
    async clusters(): Promise<WizardCluster[]> {
      const reads = await readClusters(await connect(contexts.map((c) => c.name)));
      const report = verifyClusters(reads, new Date());
      return report.clusters.map((c) => ({
        cluster: c.cluster,
        ...(c.activeRoot ? { root: c.activeRoot.fingerprint.split(':').slice(0, 4).join(':'), rootSubject: c.activeRoot.subject } : {}),
        sample: c.sample,
        source: c.error ? `unreachable: ${c.error}` : !c.istio ? 'no istio' : c.source,
      }));
    },

    async prepare(input: CaWizardInput, onStatus: (text: string) => void) {
      const now = new Date();
      const rootDir = resolve(input.rootDir);
      let root: KeyedCertificate;
      const newRoot = input.rootMode === 'new';
      const key = input.keyType === 'ecdsa' ? { type: 'ecdsa' as const } : { type: 'rsa' as const, bits: input.rsaBits };
      try {
        if (newRoot) {
          if (existsSync(join(rootDir, 'root-key.pem')) && !input.force) {
            return { lines: [`${rootDir} already holds a root key; pick another directory, use it as an existing root, or allow replacing files`], blocked: true, empty: false };
          }
          onStatus(`generating the root key (${input.keyType === 'ecdsa' ? 'ECDSA P-256' : `RSA ${input.rsaBits}`})…`);
          root = await createRootCa({ key, organization: input.organization || ISTIO_DEFAULTS.organization, days: input.rootDays, now });
        } else {
          root = loadRootCa(rootDir, now).root;
        }
      } catch (error) {
        if (error instanceof PkiError || error instanceof CaFileError) return { lines: [error.message], blocked: true, empty: false };
        throw error;
      }
      const bundles = new Map<string, CacertsBundle>();
      for (const cluster of input.clusters) {
        onStatus(`generating the intermediate CA for ${cluster}…`);
        bundles.set(cluster, await createIntermediateCa(root, { cluster, key, organization: input.organization || ISTIO_DEFAULTS.organization, days: input.intermediateDays, now }));
      }
      onStatus('reading the clusters…');
      const reads = await readClusters(await connect(input.clusters));
      const targets: InstallTarget[] = [];
      const lines: string[] = [];
      for (const read of reads) {
        if (!('state' in read)) return { lines: [`cannot read ${read.cluster}: ${read.error}`], blocked: true, empty: false };
        targets.push({ cluster: read.state.cluster, source: join(rootDir, read.state.cluster), bundle: bundles.get(read.state.cluster)!, live: read.state });
      }
      const plan = planInstall(targets, { force: input.force, restart: true, backupDir: backupDir(env), now });
      lines.push('Files to write (keys 0600, directories 0700):');
      if (newRoot) lines.push(`  ${join(rootDir, 'root-cert.pem')}`, `  ${join(rootDir, 'root-key.pem')}`);
      for (const cluster of input.clusters) lines.push(`  ${join(rootDir, cluster)}/{ca-cert.pem, ca-key.pem, cert-chain.pem, root-cert.pem}`);
      const existing = input.clusters.filter((cluster) => existsSync(join(rootDir, cluster, 'ca-key.pem')));
      if (existing.length > 0 && !input.force) lines.push(`  ✗ ${existing.map((c) => join(rootDir, c)).join(', ')} already hold CA files; allow replacing files to go on`);
      lines.push('', ...planLines(plan));
      prepared = { plan, root, newRoot, rootDir, bundles, force: input.force };
      return { lines, blocked: plan.blocked.length > 0 || (existing.length > 0 && !input.force), empty: plan.steps.length === 0 };
    },

    async apply(onLine: (text: string) => void) {
      if (!prepared) return { ok: false, lines: ['nothing prepared: go back to the review'] };
      const { plan, root, newRoot, rootDir, bundles, force } = prepared;
      try {
        if (newRoot) onLine(`✓ wrote ${writeCaFiles(rootDir, rootFiles(root), { force }).join(', ')}`);
        for (const [cluster, bundle] of bundles) onLine(`✓ wrote ${writeCaFiles(join(rootDir, cluster), cacertsFiles(bundle), { force }).length} files for ${cluster} in ${join(rootDir, cluster)}`);
      } catch (error) {
        if (error instanceof CaFileError) return { ok: false, lines: [`✗ ${error.message}`] };
        throw error;
      }
      const connected = await connect([...bundles.keys()]);
      const audit = caAudit(contexts, env, onLine);
      const result = await applyInstall(plan, {
        api: (cluster) => connected.get(cluster)!,
        bundle: (cluster) => bundles.get(cluster)!,
        onProgress: (event) => {
          audit(event);
          const line = progressLine(event);
          if (line) onLine(line);
        },
      });
      prepared = undefined;
      return { ok: result.ok, lines: [applySummary(result)] };
    },

    async verify(clusters: string[]) {
      const reads = await readClusters(await connect(clusters));
      const report = verifyClusters(reads, new Date());
      return [...verifyLines(report), '', report.shared ? '✓ every cluster trusts the same root' : '✗ the clusters do not share one root yet', 'Workloads get certificates from the new CA as theirs rotate or their pods restart.'];
    },
  };
}
