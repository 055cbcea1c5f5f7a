import { join } from 'node:path';
import type { CacertsBundle } from '../../pki/authority.js';
import { checkCacerts } from '../../pki/check-cacerts.js';
import { formatFinding } from '../../pki/findings.js';
import { summarizePem } from '../../pki/fingerprint.js';
import type { CaLiveState } from './live-state.js';
import { bundleData, certLine, isManaged, secretDiff, summarizeLiveSecret, summarizeSecretData } from './summary.js';
import { CACERTS_SECRET, INSTALLED_AT_ANNOTATION, ISTIO_NAMESPACE, MANAGED_BY_LABEL, MANAGED_BY_VALUE, ROOT_CONFIGMAP, type Plan } from './types.js';

export interface InstallTarget {
  cluster: string;
  /** Where the files came from (shown in the plan). */
  source: string;
  bundle: CacertsBundle;
  live: CaLiveState;
}

export interface PlanOptions {
  /** Replace a `cacerts` that meshdeck did not create. */
  force: boolean;
  /** Restart istiod so it loads the new `cacerts`, then check that it distributes the new root. */
  restart: boolean;
  /** Where old secrets are saved before they are replaced (a 0700 directory under the user's cache). */
  backupDir: string;
  now: Date;
}

const RESTART_HINT = 'kubectl rollout restart deploy/istiod -n istio-system';
export const ROTATION_NOTE = 'workloads keep their current certificates until these rotate (every 24 h by default) or the pods restart; then they get certificates from the new CA';

/**
 * What installing `cacerts` in one or more clusters would do: per cluster, back up and replace (or
 * create) istio-system/cacerts, restart istiod so it loads it, and verify that istio-ca-root-cert
 * distributes the new root. Nothing already in place is planned again, so planning after a
 * successful apply gives no steps.
 */
export function planInstall(targets: InstallTarget[], options: PlanOptions): Plan {
  const title = `install cacerts in ${targets.map((t) => t.cluster).join(', ')}`;
  const plan: Plan = { kind: 'ca-install', version: 1, title, createdAt: options.now.toISOString(), clusters: [], steps: [], blocked: [], notes: [] };
  for (const target of targets) planCluster(plan, target, options);
  return plan;
}

function planCluster(plan: Plan, target: InstallTarget, options: PlanOptions): void {
  const { cluster, live } = target;
  const block = (reason: string): void => void plan.blocked.push({ cluster, reason });
  const note = (message: string): void => void plan.notes.push({ cluster, message });
  const data = bundleData(target.bundle);
  const report = checkCacerts({ files: data, where: (file) => `${target.source}/${file}` }, options.now);
  const desired = summarizeSecretData(data, { managedByMeshdeck: true });
  const root = report.chainRoot ?? report.roots[0];
  if (report.caCert && root) plan.clusters.push({ cluster, source: target.source, root, intermediate: report.caCert });
  const errors = report.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) return block(formatFinding(errors[0]!));
  if (report.sample) note("these are Istio's sample certificates: their private key is published, so they are not for production");
  if (!live.istioNamespace) return block(`${cluster} has no istio-system namespace: install Istio first (istioctl install), then install the CA`);
  if (live.cacerts === 'forbidden') return block(`cannot read secret istio-system/cacerts in ${cluster} (forbidden); meshdeck needs get, create and update on secrets in istio-system`);

  const existing = live.cacerts;
  const same = existing !== undefined && sameData(existing.data, data);
  const secretTarget = `secret ${ISTIO_NAMESPACE}/${CACERTS_SECRET}`;
  let changes = false;
  if (!existing) {
    changes = true;
    plan.steps.push({
      id: `${cluster}/create-cacerts`,
      cluster,
      verb: 'create',
      target: secretTarget,
      before: null,
      after: { summary: `plugged-in CA ${certLine(report.caCert!)} under root ${certLine(root!)}`, secret: desired },
      diff: secretDiff(undefined, desired),
      undoable: true,
    });
  } else if (!same) {
    const before = summarizeLiveSecret(existing);
    if (!isManaged(existing) && !options.force) {
      return block(`secret istio-system/cacerts in ${cluster} was not created by meshdeck (no label ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}); pass --force to replace it (the old one is saved to a backup file first)`);
    }
    changes = true;
    const backupFile = join(options.backupDir, safeName(cluster), `cacerts-${options.now.toISOString().replace(/[:.]/g, '-')}.yaml`);
    const oldRoot = before.certificates.find((c) => c.file === 'root-cert.pem');
    plan.steps.push({
      id: `${cluster}/backup-cacerts`,
      cluster,
      verb: 'backup',
      target: backupFile,
      before: { summary: `secret istio-system/cacerts (resourceVersion ${existing.resourceVersion})`, secret: before },
      after: { summary: `a copy of the old secret in ${backupFile} (mode 0600)` },
      diff: [`+ ${backupFile}`],
      undoable: true,
      precondition: { resourceVersion: existing.resourceVersion },
    });
    plan.steps.push({
      id: `${cluster}/replace-cacerts`,
      cluster,
      verb: 'replace',
      target: secretTarget,
      before: { summary: `plugged-in CA${before.managedByMeshdeck ? ' (made by meshdeck)' : ' (not made by meshdeck)'}${oldRoot ? ` under root ${certLine(oldRoot)}` : ''}`, secret: before },
      after: { summary: `plugged-in CA ${certLine(report.caCert!)} under root ${certLine(root!)}`, secret: desired },
      diff: secretDiff(before, desired),
      undoable: true,
      precondition: { resourceVersion: existing.resourceVersion },
    });
  }

  const distributed = summarizePem(live.rootConfigMap?.rootCertPem ?? '');
  const distributes = distributed.some((c) => c.fingerprint === root!.fingerprint);
  if (live.istiods.length === 0) {
    note(`${cluster} runs no istiod (a remote cluster?): nothing to restart; its primary's istiod issues its workloads' certificates`);
    if (changes) note(ROTATION_NOTE);
    return;
  }
  const loaded = !changes && distributes && !podsOlderThanSecret(live);
  if (loaded) return;
  if (!options.restart) {
    note(`istiod reads cacerts only when it starts: pass --restart (or run ${RESTART_HINT}) so it loads the new CA`);
    if (changes) note(ROTATION_NOTE);
    return;
  }
  const distributedLine = distributed.map(certLine).join(' + ') || 'nothing yet';
  for (const istiod of live.istiods) {
    const pods = live.istiodPods.length;
    plan.steps.push({
      id: `${cluster}/restart-${istiod.name}`,
      cluster,
      verb: 'restart',
      target: `deployment ${ISTIO_NAMESPACE}/${istiod.name}`,
      before: { summary: `${pods} istiod pod${pods === 1 ? '' : 's'}, signing with the CA loaded when ${pods === 1 ? 'it' : 'they'} started${istiod.restartedAt ? ` (last restarted ${istiod.restartedAt})` : ''}` },
      after: { summary: 'new istiod pods that load istio-system/cacerts at start; waits until the rollout is complete' },
      diff: [`~ spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]`],
      undoable: false,
    });
  }
  plan.steps.push({
    id: `${cluster}/verify-root`,
    cluster,
    verb: 'verify',
    target: `configmap ${ISTIO_NAMESPACE}/${ROOT_CONFIGMAP}`,
    before: { summary: `distributes ${distributedLine}` },
    after: { summary: `distributes ${certLine(root!)}`, root: root! },
    diff: [],
    undoable: false,
  });
  note(ROTATION_NOTE);
}

/** The same four files, whatever the line ends. */
function sameData(current: Record<string, string>, wanted: Record<string, string>): boolean {
  const norm = (text: string | undefined) => (text ?? '').replace(/\r\n/g, '\n').trim();
  const keys = new Set([...Object.keys(current), ...Object.keys(wanted)]);
  return [...keys].every((key) => norm(current[key]) === norm(wanted[key]));
}

/** Whether a running istiod started before `cacerts` was last written (and so still has the old CA). */
function podsOlderThanSecret(live: CaLiveState): boolean {
  const secret = live.cacerts;
  if (!secret || secret === 'forbidden') return false;
  const written = secret.annotations[INSTALLED_AT_ANNOTATION] ?? secret.creationTimestamp;
  if (!written) return false;
  // creationTimestamp has whole seconds; compare at that resolution.
  const writtenSeconds = Math.floor(Date.parse(written) / 1000);
  return live.istiodPods.some((pod) => Math.floor(Date.parse(pod.createdAt) / 1000) < writtenSeconds);
}

/** A context name as a directory name (EKS contexts are ARNs with ':' and '/'). */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}
