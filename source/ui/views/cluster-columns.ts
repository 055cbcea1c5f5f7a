import type { Column } from '../table/columns.js';
import type { ClusterRow } from '../../mesh/types.js';
import { shortFingerprint } from '../../mesh/format.js';

const STATE_TEXT: Record<ClusterRow['state'], string> = { synced: '● up', connecting: '… loading', stale: '▲ stale', down: '✗ down' };

export const clusterColumns: Column<ClusterRow>[] = [
  { key: 'name', title: 'CLUSTER', width: 10, value: (r) => r.cluster },
  {
    key: 'api',
    title: 'API',
    width: 10,
    flex: 2,
    value: (r) => (r.problem ? `${STATE_TEXT[r.state]}: ${r.problem}` : STATE_TEXT[r.state]),
    tone: (r) => (r.state === 'synced' ? 'status.ok' : r.state === 'connecting' ? 'status.unknown' : r.state === 'stale' ? 'status.warn' : 'status.error'),
  },
  { key: 'k8s', title: 'K8S', width: 8, value: (r) => r.kubernetesVersion ?? '-', priority: 3 },
  { key: 'istio', title: 'ISTIO', width: 7, value: (r) => r.istioVersion ?? '-', priority: 3 },
  { key: 'role', title: 'ROLE', width: 14, value: (r) => (r.role === 'remote' && r.controlPlanes?.length ? `remote→${r.controlPlanes.join(',')}` : r.role) },
  { key: 'mesh', title: 'MESH', width: 7, value: (r) => r.meshId ?? '-', priority: 2 },
  { key: 'clusterId', title: 'CLUSTER ID', width: 10, value: (r) => r.clusterId ?? '-', tone: (r) => (r.clusterId && r.clusterId !== r.cluster ? 'status.warn' : undefined), priority: 1 },
  { key: 'network', title: 'NETWORK', width: 9, value: (r) => r.network ?? '-', priority: 2 },
  { key: 'root', title: 'ROOT', width: 11, value: (r) => shortFingerprint(r.rootFingerprint) },
  {
    key: 'remotes',
    title: 'REMOTE SECRETS',
    width: 14,
    flex: 3,
    value: (r) => (r.remoteSecrets.length === 0 ? '-' : r.remoteSecrets.map((s) => `${s.clusterId}:${s.status}`).join(' ')),
    tone: (r) => (r.remoteSecrets.some((s) => s.status !== 'synced' && s.status !== 'unknown') ? 'status.warn' : undefined),
  },
];
