import { existsSync, readFileSync } from 'node:fs';
import { installFiles } from './install-files.js';
import type { ClusterFacts, JoinState } from './live-state.js';
import { exposureKey } from './live-state.js';
import { CROSS_NETWORK_REF, crossNetworkGateway, describeRef, ISTIOD_GATEWAY_REF, ISTIOD_VS_REF, istiodGateway, istiodVirtualService, marks, READER_ACCOUNT_REF, READER_BINDING_REF, READER_ROLE_REF, READER_TOKEN_REF, readerAccount, readerBinding, readerClusterRole, readerTokenSecret } from './objects.js';
import { joinRecord, missingGateways, preflight, resolveSettings, sameAddress, type JoinOptions } from './preflight.js';
import { remoteKubeconfig, remoteSecretYaml } from './remote-secret.js';
import { addChecks, createStep, patchDiff } from './steps.js';
import {
  CLUSTER_ANNOTATION,
  CONTROL_PLANE_CLUSTERS_ANNOTATION,
  ISTIO_NAMESPACE,
  JOIN_RECORD_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  MULTICLUSTER_SECRET_LABEL,
  NETWORK_LABEL,
  type JoinPlan,
  type JoinRecord,
  type JoinSettings,
  type JoinStep,
} from './types.js';

export interface PlanDeps {
  /** The current content of a local file (undefined: none); defaults to reading it. */
  readFile?: (path: string) => string | undefined;
  now?: Date;
}

const readLocal = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

/**
 * What joining the remote to the primary would do: preflight checks, then (remote) istio-system's
 * control-plane annotation and network label, the reader account, its ClusterRole, binding and token
 * Secret; (primary) the istiod exposure and, across networks, the cross-network Gateways, and the
 * remote secret; (local) the remote profile's install files; then a wait for istiod to sync.
 * Nothing already in place is planned again: planning after a join gives no steps ("already joined").
 */
export function planJoin(state: JoinState, options: JoinOptions, deps: PlanDeps = {}): JoinPlan {
  const now = deps.now ?? options.now ?? new Date();
  const s = resolveSettings(state, options);
  const checks = preflight(state, s, { ...options, now });
  const plan: JoinPlan = { kind: 'join', version: 1, title: `join ${s.remote} to ${s.primary} as remote cluster ${s.clusterName}`, createdAt: now.toISOString(), settings: s, preflight: checks, alreadyJoined: false, commands: [], steps: [], blocked: [], notes: [] };
  addChecks(plan, checks);
  if (state.primary.error || state.remote.error) return plan;

  planRemote(plan, state.remote, s);
  planPrimary(plan, state, s);
  const clusterSteps = plan.steps.length;
  plan.alreadyJoined = clusterSteps === 0;

  const { files, commands } = installFiles(s, missingGateways(state, s));
  plan.commands = commands;
  const read = deps.readFile ?? readLocal;
  for (const file of files) {
    const current = read(file.path);
    if (current === file.content) continue;
    plan.steps.push({
      id: `local/write-${file.path}`,
      cluster: 'local',
      side: 'local',
      verb: 'write',
      target: file.path,
      before: current === undefined ? null : 'a file with other content',
      after: `${file.purpose} for ${file.cluster}`,
      content: file.content,
      diff: [`${current === undefined ? '+' : '~'} ${file.path} (${file.purpose} for ${file.cluster}${current === undefined ? '' : '; replaces what is there'})`],
      undoable: current === undefined,
    });
  }
  if (clusterSteps > 0) {
    plan.steps.push({
      id: `${s.primary}/verify-sync`,
      cluster: s.primary,
      side: 'primary',
      verb: 'verify',
      target: `istiod's /debug/clusterz in ${s.primary}`,
      before: null,
      after: `${s.clusterName} synced (istiod reads ${s.remote}'s API server with the reader token), and ${s.remote}'s services in ${s.primary}'s registry`,
      diff: [],
      undoable: false,
    });
  }
  return plan;
}

function planRemote(plan: JoinPlan, remote: ClusterFacts, s: JoinSettings): void {
  const cluster = s.remote;
  const record = joinRecord(remote);
  const ns = remote.namespace;
  const wantedLabels: Record<string, string> = s.network ? { [NETWORK_LABEL]: s.network } : {};
  const wantedAnnotations = { [CONTROL_PLANE_CLUSTERS_ANNOTATION]: s.primaryClusterId };
  if (!ns) {
    const m = marks(s.clusterName);
    const newRecord: JoinRecord = { primary: s.primaryClusterId, clusterName: s.clusterName, createdNamespace: true, previous: {} };
    const object = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ISTIO_NAMESPACE, labels: { ...wantedLabels, ...m.labels }, annotations: { ...wantedAnnotations, ...m.annotations, [JOIN_RECORD_ANNOTATION]: recordText(newRecord) } } };
    plan.steps.push(createStep('remote', cluster, { kind: 'Namespace', name: ISTIO_NAMESPACE }, object, `istio-system naming ${s.primaryClusterId} as its control plane${s.network ? `, on ${s.network}` : ''}`));
  } else {
    const previous: JoinRecord['previous'] = { ...record?.previous };
    const labels: Record<string, string | null> = {};
    const annotations: Record<string, string | null> = {};
    if (ns.annotations[CONTROL_PLANE_CLUSTERS_ANNOTATION] !== s.primaryClusterId) {
      if (!('controlPlaneClusters' in previous)) previous.controlPlaneClusters = ns.annotations[CONTROL_PLANE_CLUSTERS_ANNOTATION] ?? null;
      annotations[CONTROL_PLANE_CLUSTERS_ANNOTATION] = s.primaryClusterId;
    }
    if (s.network && ns.labels[NETWORK_LABEL] !== s.network) {
      if (!('network' in previous)) previous.network = ns.labels[NETWORK_LABEL] ?? null;
      labels[NETWORK_LABEL] = s.network;
    }
    const text = recordText({ primary: s.primaryClusterId, clusterName: s.clusterName, createdNamespace: record?.createdNamespace ?? false, previous });
    if (ns.annotations[JOIN_RECORD_ANNOTATION] !== text) annotations[JOIN_RECORD_ANNOTATION] = text;
    if (Object.keys(labels).length + Object.keys(annotations).length > 0) {
      const patch = { ...(Object.keys(labels).length > 0 ? { labels } : {}), annotations };
      plan.steps.push({
        id: `${cluster}/patch-namespace-${ISTIO_NAMESPACE}`,
        cluster,
        side: 'remote',
        verb: 'patch',
        target: `namespace ${ISTIO_NAMESPACE}`,
        ref: { kind: 'Namespace', name: ISTIO_NAMESPACE },
        before: `${CONTROL_PLANE_CLUSTERS_ANNOTATION}=${ns.annotations[CONTROL_PLANE_CLUSTERS_ANNOTATION] ?? '(unset)'}, ${NETWORK_LABEL}=${ns.labels[NETWORK_LABEL] ?? '(unset)'}`,
        after: `${CONTROL_PLANE_CLUSTERS_ANNOTATION}=${s.primaryClusterId}, ${NETWORK_LABEL}=${s.network || ns.labels[NETWORK_LABEL] || '(unset)'}; what was there before is kept in ${JOIN_RECORD_ANNOTATION} for unjoin`,
        patch,
        diff: patchDiff(ns, patch),
        undoable: true,
        precondition: { resourceVersion: ns.resourceVersion },
      });
    }
  }
  const ensure = (present: unknown, ref: typeof READER_ACCOUNT_REF, object: Record<string, unknown>, after: string) => {
    if (!present) plan.steps.push(createStep('remote', cluster, ref, object, after));
  };
  ensure(remote.readerAccount, READER_ACCOUNT_REF, readerAccount(s.clusterName), 'the identity istiod reads the remote with');
  ensure(remote.readerRole, READER_ROLE_REF, readerClusterRole(s.clusterName), 'get, list and watch on what istiod reads');
  ensure(remote.readerBinding, READER_BINDING_REF, readerBinding(s.clusterName), `${READER_ACCOUNT_REF.name} bound to ${READER_ROLE_REF.name}`);
  if (remote.readerToken && remote.readerToken.type !== 'kubernetes.io/service-account-token') {
    plan.blocked.push({ cluster, reason: `istio-system/${READER_TOKEN_REF.name} in ${cluster} exists but is not a service-account token Secret (type ${remote.readerToken.type ?? 'Opaque'}); remove it and join again` });
  }
  ensure(remote.readerToken, READER_TOKEN_REF, readerTokenSecret(s.clusterName), 'a long-lived token of the reader account; the API server fills in token and ca.crt');
  if (!remote.readerAccount && !remote.istiod) {
    plan.notes.push({ cluster, message: `Istio is not installed on ${cluster}: meshdeck creates ${READER_ACCOUNT_REF.name} and its RBAC; istioctl install takes them over, but helm install refuses objects it did not make, so with Helm install the remote profile first and join again` });
  }
  if (s.multiNetwork && remote.istioApi) ensure(remote.exposure[exposureKey(CROSS_NETWORK_REF)], CROSS_NETWORK_REF, crossNetworkGateway(s.clusterName), 'port 15443 of the east-west gateway passes traffic from other networks through (AUTO_PASSTHROUGH)');
}

function planPrimary(plan: JoinPlan, state: JoinState, s: JoinSettings): void {
  const { primary, remote } = state;
  const cluster = s.primary;
  const ensure = (ref: typeof ISTIOD_GATEWAY_REF, object: Record<string, unknown>, after: string) => {
    if (!primary.exposure[exposureKey(ref)]) plan.steps.push(createStep('primary', cluster, ref, object, after));
  };
  if (primary.istioApi) {
    ensure(ISTIOD_GATEWAY_REF, istiodGateway(s.clusterName), "istiod's ports 15012 and 15017 open on the east-west gateway (expose-istiod.yaml)");
    ensure(ISTIOD_VS_REF, istiodVirtualService(s.clusterName, s.istiodService), `15012 and 15017 routed to ${s.istiodService}.istio-system (expose-istiod.yaml)`);
    if (s.multiNetwork) ensure(CROSS_NETWORK_REF, crossNetworkGateway(s.clusterName), 'port 15443 of the east-west gateway passes traffic from other networks through (expose-services.yaml)');
  }

  const ref = { kind: 'Secret' as const, name: s.secretName, namespace: ISTIO_NAMESPACE };
  const existing = primary.remoteSecrets.find((secret) => secret.name === s.secretName);
  const token = remote.readerToken?.token;
  const caPem = remote.readerToken?.caPem;
  const entry = existing?.entries.find((e) => e.clusterId === s.clusterName);
  const current =
    existing !== undefined &&
    entry?.access !== undefined &&
    sameAddress(entry.access.server, s.remoteApiServer) &&
    token !== undefined &&
    entry.access.token === token &&
    entry.access.caPem === caPem &&
    existing.entries.length === 1 &&
    existing.labels[MULTICLUSTER_SECRET_LABEL] === 'true' &&
    existing.annotations[CLUSTER_ANNOTATION] === s.clusterName;
  if (current) return;
  const managed = existing?.labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
  if (existing && !managed) {
    plan.notes.push({ cluster, message: `istio-system/${s.secretName} was not made by meshdeck (istioctl create-remote-secret?); meshdeck leaves it as it is, and unjoin will not remove it` });
    return;
  }
  const yaml = remoteSecretYaml(s.clusterName, remoteKubeconfig(s.clusterName, { server: s.remoteApiServer, caPem: '', token: '' }), { redact: true });
  const summary = `kubeconfig for ${s.remoteApiServer}, with the token and CA of ${s.remote}'s istio-system/${READER_TOKEN_REF.name}`;
  plan.steps.push({
    id: `${cluster}/${existing ? 'replace' : 'create'}-secret-${s.secretName}`,
    cluster,
    side: 'primary',
    verb: existing ? 'replace' : 'create',
    target: describeRef(ref),
    ref,
    before: existing ? `a remote secret made by meshdeck${entry?.access ? ` for ${entry.access.server}` : ''} (resourceVersion ${existing.resourceVersion})` : null,
    after: summary,
    diff: yaml.trimEnd().split('\n').map((line) => `${existing ? '~' : '+'} ${line}`),
    undoable: true,
    tokenSource: READER_TOKEN_REF,
    ...(existing ? { precondition: { resourceVersion: existing.resourceVersion, ...(existing.uid ? { uid: existing.uid } : {}) } } : {}),
  });
}

/** The record's JSON, keys in a fixed order, so the same join writes the same text. */
export function recordText(record: JoinRecord): string {
  const previous: JoinRecord['previous'] = {};
  if ('controlPlaneClusters' in record.previous) previous.controlPlaneClusters = record.previous.controlPlaneClusters ?? null;
  if ('network' in record.previous) previous.network = record.previous.network ?? null;
  return JSON.stringify({ primary: record.primary, clusterName: record.clusterName, createdNamespace: record.createdNamespace, previous });
}

export type { JoinStep };
