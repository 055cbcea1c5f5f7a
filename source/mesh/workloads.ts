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

function workloadOf(pod: KubeObject): { kind: WorkloadRow['kind']; name: string } {
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

export function sidecarState(pod: KubeObject, namespace: KubeObject | undefined): SidecarState {
  const containers = ((pod['spec'] as Json | undefined)?.['containers'] as Json[] | undefined) ?? [];
  const initContainers = ((pod['spec'] as Json | undefined)?.['initContainers'] as Json[] | undefined) ?? [];
  // Native sidecars (Istio 1.19+ on Kubernetes 1.29+) run istio-proxy as an init container.
  if ([...containers, ...initContainers].some((c) => c['name'] === 'istio-proxy')) return 'injected';
  const optOut = pod.metadata.annotations?.['sidecar.istio.io/inject'] ?? pod.metadata.labels?.['sidecar.istio.io/inject'];
  if (optOut === 'false') return 'disabled';
  return namespaceWantsInjection(namespace) ? 'missing' : 'none';
}

function combine(states: SidecarState[]): SidecarState {
  const distinct = new Set(states);
  if (distinct.size === 1) return states[0]!;
  if (distinct.has('injected') && (distinct.has('missing') || distinct.has('none'))) return 'partial';
  if (distinct.has('missing')) return 'missing';
  return states[0]!;
}
