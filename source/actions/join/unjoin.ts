import type { ClusterFacts, JoinState, LiveObject } from './live-state.js';
import { exposureKey } from './live-state.js';
import { CROSS_NETWORK_REF, describeRef, ISTIOD_GATEWAY_REF, ISTIOD_VS_REF, READER_ACCOUNT_REF, READER_BINDING_REF, READER_ROLE_REF, READER_TOKEN_REF } from './objects.js';
import { joinRecord, resolveSettings, sameAddress } from './preflight.js';
import { addChecks, deleteStep, patchDiff } from './steps.js';
import {
  CONTROL_PLANE_CLUSTERS_ANNOTATION,
  ISTIO_NAMESPACE,
  JOIN_CLUSTER_ANNOTATION,
  JOIN_RECORD_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  NETWORK_LABEL,
  type JoinPlan,
  type KubeApi,
  type ObjectRef,
  type PreflightCheck,
} from './types.js';

export interface UnjoinOptions {
  now?: Date;
  /** Objects in the remote's istio-system that meshdeck did not make (read when join created the namespace). */
  foreign?: string[];
}

const managed = (object: LiveObject | undefined) => object?.labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
const madeFor = (object: LiveObject | undefined, clusterName: string) => managed(object) && object!.annotations[JOIN_CLUSTER_ANNOTATION] === clusterName;

/** The cluster name the remote was joined under: from meshdeck's record, else a meshdeck remote secret for its API server. */
function joinedName(state: JoinState): string | undefined {
  const record = joinRecord(state.remote);
  if (record) return record.clusterName;
  for (const secret of state.primary.remoteSecrets) {
    if (!managed(secret)) continue;
    const entry = secret.entries.find((e) => e.access && sameAddress(e.access.server, state.remote.server));
    if (entry) return entry.clusterId;
  }
  return undefined;
}

/**
 * What unjoining removes: exactly what join created (objects marked managed-by=meshdeck for this
 * remote's cluster name), and istio-system's annotation and label put back as they were. The
 * primary's istiod exposure is shared by every remote: it goes with the last remote meshdeck joined.
 */
export function planUnjoin(state: JoinState, options: UnjoinOptions = {}): JoinPlan {
  const now = options.now ?? new Date();
  const name = joinedName(state);
  const s = resolveSettings(state, { outDir: '', ...(name ? { clusterName: name } : {}) });
  const checks: PreflightCheck[] = [];
  for (const [id, facts] of [['reach-primary', state.primary], ['reach-remote', state.remote]] as const) {
    checks.push(facts.error ? { id, status: 'fail', message: `${facts.cluster} cannot be reached: ${facts.error}` } : { id, status: 'pass', message: `${facts.cluster} is reachable` });
  }
  const record = joinRecord(state.remote);
  if (record && !state.primary.error && record.primary !== s.primaryClusterId) {
    checks.push({ id: 'joined', status: 'fail', message: `${s.remote} is joined to the primary ${record.primary}, not to ${s.primary} (${s.primaryClusterId})` });
  }
  const plan: JoinPlan = { kind: 'unjoin', version: 1, title: `unjoin ${s.remote} (${s.clusterName}) from ${s.primary}`, createdAt: now.toISOString(), settings: s, preflight: checks, alreadyJoined: false, commands: [], steps: [], blocked: [], notes: [] };
  addChecks(plan, checks);
  if (state.primary.error || state.remote.error) return plan;
  if (!name) {
    plan.notes.push({ cluster: s.remote, message: `${s.remote} was not joined to ${s.primary} by meshdeck: nothing to remove` });
    return plan;
  }
  const { primary, remote } = state;

  const secret = primary.remoteSecrets.find((x) => x.name === s.secretName);
  if (managed(secret)) plan.steps.push(deleteStep('primary', s.primary, { kind: 'Secret', name: s.secretName, namespace: ISTIO_NAMESPACE }, secret!, `the remote secret istiod reads ${s.remote} with`));
  else if (secret) plan.notes.push({ cluster: s.primary, message: `istio-system/${s.secretName} was not made by meshdeck: left in place` });
  const others = primary.remoteSecrets.filter((x) => x.name !== s.secretName && managed(x)).map((x) => x.name);
  for (const ref of [ISTIOD_VS_REF, ISTIOD_GATEWAY_REF, CROSS_NETWORK_REF]) {
    const live = primary.exposure[exposureKey(ref)];
    if (!managed(live)) continue;
    if (others.length > 0) plan.notes.push({ cluster: s.primary, message: `${describeRef(ref)} stays: the remotes of ${others.join(', ')} (joined by meshdeck) still use it` });
    else plan.steps.push(deleteStep('primary', s.primary, ref, live!, 'made by meshdeck join; no other remote uses it'));
  }

  const remoteObjects: [ObjectRef, LiveObject | undefined][] = [
    [CROSS_NETWORK_REF, remote.exposure[exposureKey(CROSS_NETWORK_REF)]],
    [READER_TOKEN_REF, remote.readerToken],
    [READER_BINDING_REF, remote.readerBinding],
    [READER_ROLE_REF, remote.readerRole],
    [READER_ACCOUNT_REF, remote.readerAccount],
  ];
  for (const [ref, live] of remoteObjects) if (madeFor(live, s.clusterName)) plan.steps.push(deleteStep('remote', s.remote, ref, live!, `made by meshdeck join for ${s.clusterName}`));
  planNamespace(plan, remote, s.remote, options.foreign);
  if (plan.steps.length > 0) {
    plan.steps.push({ id: `${s.primary}/verify-removed`, cluster: s.primary, side: 'primary', verb: 'verify', target: `istiod's /debug/clusterz in ${s.primary}`, before: `lists ${s.clusterName}`, after: `no longer lists ${s.clusterName}`, diff: [], undoable: false });
  }
  return plan;
}

function planNamespace(plan: JoinPlan, remote: ClusterFacts, cluster: string, foreign: string[] | undefined): void {
  const ns = remote.namespace;
  const record = joinRecord(remote);
  if (!ns || !record) return;
  const ref: ObjectRef = { kind: 'Namespace', name: ISTIO_NAMESPACE };
  if (record.createdNamespace && foreign !== undefined && foreign.length === 0) {
    plan.steps.push(deleteStep('remote', cluster, ref, ns, 'made by meshdeck join, and holds nothing else'));
    return;
  }
  const annotations: Record<string, string | null> = { [JOIN_RECORD_ANNOTATION]: null };
  const labels: Record<string, string | null> = {};
  const restore = (target: Record<string, string | null>, key: string, previous: string | null | undefined, current: string | undefined) => {
    if (previous === undefined || previous === current) return;
    target[key] = previous;
  };
  restore(annotations, CONTROL_PLANE_CLUSTERS_ANNOTATION, record.previous.controlPlaneClusters, ns.annotations[CONTROL_PLANE_CLUSTERS_ANNOTATION]);
  restore(labels, NETWORK_LABEL, record.previous.network, ns.labels[NETWORK_LABEL]);
  if (record.createdNamespace) {
    // Kept because something else lives there now: it is no longer meshdeck's alone.
    for (const key of [CONTROL_PLANE_CLUSTERS_ANNOTATION, JOIN_CLUSTER_ANNOTATION]) if (ns.annotations[key] !== undefined) annotations[key] = null;
    if (ns.labels[MANAGED_BY_LABEL] !== undefined) labels[MANAGED_BY_LABEL] = null;
    plan.notes.push({ cluster, message: `istio-system was made by meshdeck join but now holds ${foreign?.length ? foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ', …' : '') : 'other objects'}: it stays; only join's marks are removed` });
  }
  const patch = { ...(Object.keys(labels).length > 0 ? { labels } : {}), annotations };
  plan.steps.push({
    id: `${cluster}/patch-namespace-${ISTIO_NAMESPACE}`,
    cluster,
    side: 'remote',
    verb: 'patch',
    target: `namespace ${ISTIO_NAMESPACE}`,
    ref,
    before: `joined to ${record.primary} as ${record.clusterName}`,
    after: 'annotation and label as they were before join',
    patch,
    diff: patchDiff(ns, patch),
    undoable: true,
    precondition: { resourceVersion: ns.resourceVersion },
  });
}

/** What lives in the remote's istio-system that meshdeck did not make (and Kubernetes does not add by itself). */
export async function readForeignObjects(api: KubeApi): Promise<string[]> {
  const automatic = new Set(['ConfigMap/kube-root-ca.crt', 'ConfigMap/istio-ca-root-cert', 'ServiceAccount/default']);
  const kinds: [string, string][] = [
    ['Pod', `/api/v1/namespaces/${ISTIO_NAMESPACE}/pods`],
    ['Service', `/api/v1/namespaces/${ISTIO_NAMESPACE}/services`],
    ['Deployment', `/apis/apps/v1/namespaces/${ISTIO_NAMESPACE}/deployments`],
    ['ConfigMap', `/api/v1/namespaces/${ISTIO_NAMESPACE}/configmaps`],
    ['Secret', `/api/v1/namespaces/${ISTIO_NAMESPACE}/secrets`],
    ['ServiceAccount', `/api/v1/namespaces/${ISTIO_NAMESPACE}/serviceaccounts`],
  ];
  const lists = await Promise.all(kinds.map(([, path]) => api.requestJson<{ items: { metadata: { name: string; labels?: Record<string, string> } }[] }>(path)));
  const out: string[] = [];
  kinds.forEach(([kind], index) => {
    for (const item of lists[index]!.items) {
      const key = `${kind}/${item.metadata.name}`;
      if (!automatic.has(key) && item.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) out.push(key);
    }
  });
  return out;
}
