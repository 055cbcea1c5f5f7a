import { resolve } from 'node:path';
import type { ContextEntry } from '../kube/kubeconfig.js';
import { verifyClusters } from '../actions/ca/verify.js';
import { connectContexts } from '../actions/ca/connect.js';
import {
  applyJoin,
  CONTROL_PLANE_CLUSTERS_ANNOTATION,
  contextServer,
  joinRecord,
  planJoin,
  planUnjoin,
  readClusterFacts,
  readForeignObjects,
  readJoinState,
  resolveSettings,
  verifyJoin,
  type ClusterFacts,
  type ClusterzEntry,
  type JoinPlan,
  type KubeApi,
} from '../actions/join/index.js';
import type { JoinWizardCluster, JoinWizardInput, JoinWizardReview, JoinWizardService } from '../actions/join/wizard.js';
import { applySummary, commandLines, planLines, progressLine } from './join-format.js';
import { joinAudit } from './join-audit.js';

/** Where the wizard writes the remote profile's files unless the user says otherwise. */
export const DEFAULT_JOIN_DIR = 'meshdeck-join';

/**
 * The effects behind the cockpit's join wizard, on the same engine as `meshdeck join`: nothing is
 * changed before `apply`, which runs exactly the plan the user reviewed.
 */
export function joinWizardService(contexts: ContextEntry[], options: { env?: NodeJS.ProcessEnv; syncTimeoutMs?: number; cwd?: string } = {}): JoinWizardService {
  let apis: Map<string, KubeApi> | undefined;
  let prepared: JoinPlan | undefined;
  let last: JoinPlan | undefined;
  const entry = (name: string) => {
    const found = contexts.find((c) => c.name === name);
    if (!found) throw new Error(`no context ${name} in the kubeconfig`);
    return found;
  };
  const connect = async () => (apis ??= await connectContexts(contexts));
  const readPair = async (primary: string, remote: string) => {
    const all = await connect();
    return readJoinState({ cluster: primary, server: contextServer(entry(primary)), api: all.get(primary)! }, { cluster: remote, server: contextServer(entry(remote)), api: all.get(remote)! });
  };
  const review = (plan: JoinPlan): JoinWizardReview => {
    prepared = plan;
    return {
      lines: [...planLines(plan), ...(plan.kind === 'join' && plan.blocked.length === 0 ? ['', ...commandLines(plan)] : [])],
      blocked: plan.blocked.length > 0,
      empty: plan.steps.length === 0,
      alreadyJoined: plan.alreadyJoined,
      checklist: plan.steps.map((s) => ({ id: s.id, label: s.verb === 'verify' ? (s.after ?? s.target) : `${s.verb} ${s.target}${s.side === 'local' ? '' : ` (${s.cluster})`}` })),
      commands: plan.commands,
    };
  };
  const syncMs = options.syncTimeoutMs ?? 60_000;

  return {
    async clusters(): Promise<JoinWizardCluster[]> {
      const all = await connect();
      const facts = await Promise.all(contexts.map((c) => readClusterFacts(c.name, contextServer(c), all.get(c.name)!)));
      return facts.map(wizardCluster);
    },

    async defaults(primary, remote) {
      const s = resolveSettings(await readPair(primary, remote), { outDir: resolve(options.cwd ?? process.cwd(), DEFAULT_JOIN_DIR) });
      return { primary, remote, clusterName: s.clusterName, network: s.network, meshId: s.meshId, remoteApiServer: s.remoteApiServer, outDir: s.outDir };
    },

    async prepare(input: JoinWizardInput, onStatus) {
      onStatus(`reading ${input.primary} and ${input.remote}…`);
      const state = await readPair(input.primary, input.remote);
      return review(planJoin(state, { clusterName: input.clusterName, network: input.network, meshId: input.meshId, remoteApiServer: input.remoteApiServer, outDir: resolve(options.cwd ?? process.cwd(), input.outDir) }));
    },

    async prepareUnjoin(primary, remote, onStatus) {
      onStatus(`reading ${primary} and ${remote}…`);
      const state = await readPair(primary, remote);
      const foreign = state.remote.namespace && !state.remote.error ? await readForeignObjects((await connect()).get(remote)!).catch(() => undefined) : undefined;
      return review(planUnjoin(state, foreign ? { foreign } : {}));
    },

    async apply(onLine, onStep) {
      const plan = prepared;
      if (!plan) return { ok: false, lines: ['nothing prepared: go back to the review'] };
      if (plan.blocked.length > 0) return { ok: false, lines: ['✗ the plan is blocked: nothing was applied'] };
      const all = await connect();
      const result = await applyJoin(plan, {
        api: (cluster) => all.get(cluster)!,
        timeouts: { syncMs },
        audit: joinAudit(contexts, options.env ?? process.env, (line) => onLine(`! ${line}`)),
        onProgress: (event) => {
          onStep?.({ stepId: event.stepId, state: event.state, message: event.message });
          const line = progressLine(event);
          if (line) onLine(line);
        },
      });
      prepared = undefined;
      last = plan;
      const lines = [...(result.verify?.lines ?? []), applySummary(result, plan.kind)];
      if (plan.kind === 'join' && result.ok) lines.push('', ...commandLines(plan));
      return { ok: result.ok, lines };
    },

    async verify(onLine) {
      const plan = last ?? prepared;
      if (!plan) return { ok: false, lines: ['nothing joined yet'] };
      const s = plan.settings;
      const all = await connect();
      const api = all.get(s.primary)!;
      const report = await verifyJoin(
        { primary: s.primary, remote: s.remote, clusterName: s.clusterName, secretName: s.secretName, istiodService: s.istiodService, primaryClusterId: s.primaryClusterId, ...(s.remoteIstioClusterId ? { remoteClusterId: s.remoteIstioClusterId } : {}) },
        { api, timeoutMs: syncMs, onProgress: onLine, expect: plan.kind === 'unjoin' ? 'absent' : 'synced' },
      );
      const facts = await readClusterFacts(s.primary, contextServer(entry(s.primary)), api);
      return { ok: report.ok, lines: [...report.lines, '', ...topologyLines(facts, report.clusterz)] };
    },
  };
}

function wizardCluster(f: ClusterFacts): JoinWizardCluster {
  const remotes = f.remoteSecrets.flatMap((secret) => secret.entries.map((e) => e.clusterId));
  const controlPlane = f.namespace?.annotations[CONTROL_PLANE_CLUSTERS_ANNOTATION] ?? joinRecord(f)?.primary;
  const role: JoinWizardCluster['role'] = f.error ? 'unreachable' : f.istiod ? (remotes.length > 0 ? 'primary' : 'standalone') : controlPlane ? 'remote' : 'no istio';
  const root = f.ca ? verifyClusters([{ state: f.ca }], new Date()).clusters[0]?.activeRoot : undefined;
  return {
    cluster: f.cluster,
    role,
    ...(f.identity.clusterId ? { clusterId: f.identity.clusterId } : {}),
    ...(f.identity.network ? { network: f.identity.network } : {}),
    ...(f.identity.meshId ? { meshId: f.identity.meshId } : {}),
    ...(controlPlane ? { controlPlane } : {}),
    remotes,
    ...(root ? { root: root.fingerprint.split(':').slice(0, 4).join(':') } : {}),
    apiServer: f.server,
    ...(f.error ? { error: f.error } : {}),
    suggestedPrimary: Boolean(f.istiod) && !controlPlane,
  };
}

/** The primary and the remotes its istiod reads, with their sync status: the topology after a join. */
export function topologyLines(primary: ClusterFacts, clusterz: ClusterzEntry[]): string[] {
  const id = primary.identity.clusterId ?? primary.cluster;
  const lines = [`${primary.cluster} (primary, cluster ID ${id}, network ${primary.identity.network ?? '(none)'})`];
  const remotes = primary.remoteSecrets.flatMap((secret) => secret.entries.map((e) => ({ secret: secret.name, clusterId: e.clusterId, server: e.access?.server ?? '?' })));
  if (remotes.length === 0) lines.push('  no remote clusters');
  remotes.forEach((r, index) => {
    const status = clusterz.find((c) => c.id === r.clusterId && c.secretName === `istio-system/${r.secret}`)?.syncStatus ?? 'not listed by istiod';
    lines.push(`  ${index === remotes.length - 1 ? '└' : '├'} ${r.clusterId} at ${r.server}: ${status}`);
  });
  return lines;
}
