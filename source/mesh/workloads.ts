import type { ClusterSnapshot, KubeObject, SidecarState, WorkloadRow } from './types.js';

type Json = Record<string, unknown>;

/** Pods grouped by the workload that owns them, with readiness, restarts and sidecar coverage. */
export function deriveWorkloadRows(snapshot: ClusterSnapshot): WorkloadRow[] {
  const namespaces = snapshot.kinds.namespaces.items;
  const groups = new Map<string, { row: WorkloadRow; states: SidecarState[] }>();
  for (const pod of snapshot.kinds.pods.items.values()) {
    const namespace = pod.metadata.namespace ?? '';
    const owner = workloadOf(pod);
    const key = `${snapshot.name}/${namespace}/${owner.kind}/${owner.name}`;
    let group = groups.get(key);
    if (!group) {
      const row: WorkloadRow = { key, cluster: snapshot.name, namespace, name: owner.name, kind: owner.kind, ready: 0, total: 0, sidecar: 'none', restarts: 0, pods: [] };
      const version = pod.metadata.labels?.['version'] ?? pod.metadata.labels?.['app.kubernetes.io/version'];
      if (version) row.version = version;
      group = { row, states: [] };
      groups.set(key, group);
    }
    const row = group.row;
    row.total++;
    if (isReady(pod)) row.ready++;
    row.restarts += restarts(pod);
    row.pods.push(`${namespace}/${pod.metadata.name}`);
    group.states.push(sidecarState(pod, namespaces.get(namespace)));
  }
  const rows: WorkloadRow[] = [];
  for (const { row, states } of groups.values()) {
    row.sidecar = combine(states);
    rows.push(row);
  }
  return rows;
}

export function workloadOf(pod: KubeObject): { kind: WorkloadRow['kind']; name: string } {
  const owner = pod.metadata.ownerReferences?.find((ref) => ref.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!owner) return { kind: 'Pod', name: pod.metadata.name };
  if (owner.kind === 'ReplicaSet') {
    const hash = pod.metadata.labels?.['pod-template-hash'];
    if (hash && owner.name.endsWith(`-${hash}`)) return { kind: 'Deployment', name: owner.name.slice(0, -hash.length - 1) };
    return { kind: 'ReplicaSet', name: owner.name };
  }
  if (owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet' || owner.kind === 'Job') return { kind: owner.kind, name: owner.name };
  return { kind: 'Pod', name: pod.metadata.name };
}

export function isReady(pod: KubeObject): boolean {
  const conditions = ((pod['status'] as Json | undefined)?.['conditions'] as Json[] | undefined) ?? [];
  return conditions.some((c) => c['type'] === 'Ready' && c['status'] === 'True');
}

function restarts(pod: KubeObject): number {
  const statuses = ((pod['status'] as Json | undefined)?.['containerStatuses'] as Json[] | undefined) ?? [];
  return statuses.reduce((sum, s) => sum + ((s['restartCount'] as number | undefined) ?? 0), 0);
}

/** Whether the namespace asks for injection: istio-injection=enabled or an istio.io/rev label. */
export function namespaceWantsInjection(namespace: KubeObject | undefined): boolean {
  const labels = namespace?.metadata.labels ?? {};
  if (labels['istio-injection'] === 'disabled') return false;
  return labels['istio-injection'] === 'enabled' || labels['istio.io/rev'] !== undefined;
}

/**
 * As Istio's injection webhooks decide: the pod's `sidecar.istio.io/inject` label (preferred over the
 * deprecated annotation) opts out with "false"; the namespace asks with istio-injection=enabled or
 * istio.io/rev; in a namespace without an istio-injection label the pod itself can ask with
 * `sidecar.istio.io/inject: "true"` or its own `istio.io/rev` label.
 */
export function sidecarState(pod: KubeObject, namespace: KubeObject | undefined): SidecarState {
  const containers = ((pod['spec'] as Json | undefined)?.['containers'] as Json[] | undefined) ?? [];
  const initContainers = ((pod['spec'] as Json | undefined)?.['initContainers'] as Json[] | undefined) ?? [];
  // Native sidecars (Istio 1.19+ on Kubernetes 1.29+) run istio-proxy as an init container.
  if ([...containers, ...initContainers].some((c) => c['name'] === 'istio-proxy')) return 'injected';
  const podLabels = pod.metadata.labels ?? {};
  const podChoice = podLabels['sidecar.istio.io/inject'] ?? pod.metadata.annotations?.['sidecar.istio.io/inject'];
  if (podChoice === 'false') return 'disabled';
  if (namespaceWantsInjection(namespace)) return 'missing';
  const namespaceDecides = namespace?.metadata.labels?.['istio-injection'] !== undefined;
  if (!namespaceDecides && (podChoice === 'true' || podLabels['istio.io/rev'] !== undefined)) return 'missing';
  return 'none';
}

/** One state for a workload, whatever order its pods come in: any pod without a sidecar next to an injected one is `partial`. */
function combine(states: SidecarState[]): SidecarState {
  const distinct = new Set(states);
  if (distinct.size === 1) return states[0]!;
  if (distinct.has('injected')) return 'partial';
  if (distinct.has('missing')) return 'missing';
  if (distinct.has('disabled')) return 'disabled';
  return 'none';
}

/** The pods of one workload (as grouped in the workloads pane) in one cluster. */
export function podsOfWorkload(snapshot: ClusterSnapshot, namespace: string, kind: string, name: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const pod of snapshot.kinds.pods.items.values()) {
    if (pod.metadata.namespace !== namespace) continue;
    const owner = workloadOf(pod);
    if (owner.kind === kind && owner.name === name) out.push(pod);
  }
  return out;
}

/** Whether a pod runs Envoy as istio-proxy (sidecar, native sidecar or gateway). */
export function hasProxy(pod: KubeObject): boolean {
  const spec = (pod['spec'] as Json | undefined) ?? {};
  return [...((spec['containers'] as Json[] | undefined) ?? []), ...((spec['initContainers'] as Json[] | undefined) ?? [])].some((c) => c['name'] === 'istio-proxy');
}

interface PodFacts {
  pod: KubeObject;
  resourceVersion: string | undefined;
  workload: string;
  ready: boolean;
  restarts: number;
  state: SidecarState;
  ref: string;
}

/**
 * deriveWorkloadRows for one cluster, kept up to date incrementally: only pods whose object (or
 * resourceVersion) changed are read again, only their workloads' rows are rebuilt, a rebuilt row equal
 * to the previous one keeps the previous object, and the list keeps its identity when no row changed.
 * A change of namespaces (they decide sidecar states) starts over. At 5,000 pods per cluster under a
 * steady stream of watch events this is what keeps a data redraw within a few milliseconds.
 */
export class WorkloadRowsIndex {
  private pods = new Map<string, PodFacts>();
  private groups = new Map<string, { row: WorkloadRow; members: Set<string> }>();
  private rows: WorkloadRow[] = [];
  private namespacesVersion: number | undefined;

  rowsFor(snapshot: ClusterSnapshot): WorkloadRow[] {
    const namespaces = snapshot.kinds.namespaces;
    if (this.namespacesVersion !== namespaces.version) {
      this.pods = new Map();
      this.groups = new Map();
      this.namespacesVersion = namespaces.version;
    }
    const dirty = new Set<string>();
    const items = snapshot.kinds.pods.items;
    let kept = 0;
    // forEach: no [key, value] pair allocated per pod, and most pods did not change.
    items.forEach((pod, podKey) => {
      const known = this.pods.get(podKey);
      if (known && known.pod === pod && known.resourceVersion === pod.metadata.resourceVersion) {
        kept++;
        return;
      }
      if (known) kept++;
      const namespace = pod.metadata.namespace ?? '';
      const owner = workloadOf(pod);
      const workload = `${snapshot.name}/${namespace}/${owner.kind}/${owner.name}`;
      const facts: PodFacts = {
        pod,
        resourceVersion: pod.metadata.resourceVersion,
        // The group's own key string when there is one: one copy per workload, not one per pod.
        workload: this.groups.get(workload)?.row.key ?? workload,
        ready: isReady(pod),
        restarts: restarts(pod),
        state: sidecarState(pod, namespaces.items.get(namespace)),
        ref: `${namespace}/${pod.metadata.name}`,
      };
      // A pod that moved to another workload (an owner changed) leaves the old one's row.
      if (known && known.workload !== facts.workload) this.leave(known.workload, podKey, dirty);
      this.pods.set(podKey, facts);
      let group = this.groups.get(facts.workload);
      if (!group) {
        const row: WorkloadRow = { key: facts.workload, cluster: snapshot.name, namespace, name: owner.name, kind: owner.kind, ready: 0, total: 0, sidecar: 'none', restarts: 0, pods: [] };
        const version = pod.metadata.labels?.['version'] ?? pod.metadata.labels?.['app.kubernetes.io/version'];
        if (version) row.version = version;
        group = { row, members: new Set() };
        this.groups.set(facts.workload, group);
      }
      group.members.add(podKey);
      dirty.add(facts.workload);
    });
    // Pods that went away: only looked for when the counts say some did.
    if (kept < this.pods.size) {
      for (const [podKey, facts] of this.pods) {
        if (items.has(podKey)) continue;
        this.pods.delete(podKey);
        this.leave(facts.workload, podKey, dirty);
      }
    }
    if (dirty.size === 0) return this.rows;
    let changed = false;
    for (const key of dirty) {
      const group = this.groups.get(key);
      if (!group) {
        changed = true;
        continue;
      }
      const next = this.rowOf(group.row, group.members);
      if (!sameRow(next, group.row)) {
        group.row = next;
        changed = true;
      }
    }
    if (!changed) return this.rows;
    this.rows = [...this.groups.values()].map((g) => g.row);
    return this.rows;
  }

  private leave(workload: string, podKey: string, dirty: Set<string>): void {
    const group = this.groups.get(workload);
    if (!group) return;
    group.members.delete(podKey);
    dirty.add(workload);
    if (group.members.size === 0) this.groups.delete(workload);
  }

  private rowOf(previous: WorkloadRow, members: Set<string>): WorkloadRow {
    const row: WorkloadRow = { ...previous, ready: 0, total: 0, restarts: 0, pods: [] };
    const states: SidecarState[] = [];
    let first = true;
    for (const podKey of members) {
      const facts = this.pods.get(podKey)!;
      if (first) {
        // The version label comes from the workload's first pod, as in deriveWorkloadRows.
        const version = facts.pod.metadata.labels?.['version'] ?? facts.pod.metadata.labels?.['app.kubernetes.io/version'];
        if (version) row.version = version;
        else delete row.version;
        first = false;
      }
      row.total++;
      if (facts.ready) row.ready++;
      row.restarts += facts.restarts;
      row.pods.push(facts.ref);
      states.push(facts.state);
    }
    row.sidecar = combine(states);
    return row;
  }
}

/** Two rows of the same workload showing the same thing. */
export function sameRow(a: WorkloadRow, b: WorkloadRow): boolean {
  if (a.key !== b.key || a.ready !== b.ready || a.total !== b.total || a.sidecar !== b.sidecar || a.restarts !== b.restarts || a.version !== b.version || a.pods.length !== b.pods.length) return false;
  for (let i = 0; i < a.pods.length; i++) if (a.pods[i] !== b.pods[i]) return false;
  return true;
}
