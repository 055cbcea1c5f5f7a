import { stringify } from 'yaml';
import type { ClusterSnapshot, KubeObject } from './types.js';
import { deriveClusterRow } from './clusters.js';
import { deriveGatewayRows } from './gateways.js';
import { deriveWorkloadRows, sidecarState } from './workloads.js';
import { istioIdentity } from './istio-config.js';
import { deriveServiceRows, serviceTree } from './services.js';

/** Facts about a cluster that matter for a mesh, as lines for the detail view. */
export function describeCluster(snapshot: ClusterSnapshot, now: number): string[] {
  const row = deriveClusterRow(snapshot, now);
  const identity = istioIdentity(snapshot);
  const lines = [
    `Cluster:        ${row.cluster}`,
    `API server:     ${snapshot.server}`,
    `State:          ${row.state}${row.problem ? ` (${row.problem})` : ''}`,
    `Kubernetes:     ${row.kubernetesVersion ?? '-'}`,
    `Istio:          ${row.istioVersion ?? '-'}`,
    `Role:           ${row.role}${row.controlPlanes ? ` (control plane: ${row.controlPlanes.join(', ')})` : ''}`,
    `Mesh ID:        ${row.meshId ?? '-'}`,
    `Cluster ID:     ${row.clusterId ?? '-'}${row.clusterId && row.clusterId !== row.cluster ? '  (differs from the context name)' : ''}`,
    `Network:        ${row.network ?? '-'}`,
    `Trust domain:   ${identity.trustDomain ?? '-'}`,
    `Root of trust:  ${snapshot.rootCertificate ? snapshot.rootCertificate.subject : '-'}`,
    `  SHA-256:      ${snapshot.rootCertificate?.fingerprint ?? '-'}`,
    `  expires:      ${snapshot.rootCertificate?.notAfter ?? '-'}`,
    `Pods:           ${row.pods}`,
    '',
    'Remote secrets (clusters this one reads):',
    ...(row.remoteSecrets.length === 0 ? ['  none'] : row.remoteSecrets.map((s) => `  ${s.clusterId.padEnd(16)} ${s.status.padEnd(12)} secret ${s.secret}`)),
  ];
  return lines;
}

export function describeGateway(snapshot: ClusterSnapshot, key: string, raw: { deployment?: KubeObject; service?: KubeObject }): string[] {
  const row = deriveGatewayRows(snapshot).find((r) => r.key === key);
  if (!row) return [`${key} is gone`];
  return [
    `Gateway:        ${row.namespace}/${row.name} in ${row.cluster}`,
    `Kind:           ${row.kind}`,
    `Ready:          ${row.ready}/${row.desired}`,
    `Service:        ${row.serviceType ?? '-'} ${row.address ?? ''}`,
    `Ports:          ${row.ports.join(', ') || '-'}`,
    `Bound Gateways: ${row.boundGateways.join(', ') || 'none'}`,
    `Pod labels:     ${Object.entries(row.labels).map(([k, v]) => `${k}=${v}`).join(', ')}`,
    '',
    ...yamlSection('Service', raw.service),
    ...yamlSection('Deployment', raw.deployment),
  ];
}

export function describeWorkload(snapshot: ClusterSnapshot, key: string, raw: { object?: KubeObject }): string[] {
  const row = deriveWorkloadRows(snapshot).find((r) => r.key === key);
  if (!row) return [`${key} is gone`];
  const namespace = snapshot.kinds.namespaces.items.get(row.namespace);
  const pods = row.pods.map((podKey) => snapshot.kinds.pods.items.get(podKey)).filter((p): p is KubeObject => p !== undefined);
  return [
    `Workload:       ${row.namespace}/${row.name} (${row.kind}) in ${row.cluster}`,
    `Version:        ${row.version ?? '-'}`,
    `Ready:          ${row.ready}/${row.total}`,
    `Sidecar:        ${row.sidecar}`,
    `Namespace:      istio-injection=${namespace?.metadata.labels?.['istio-injection'] ?? '-'} istio.io/rev=${namespace?.metadata.labels?.['istio.io/rev'] ?? '-'}`,
    `Restarts:       ${row.restarts}`,
    '',
    'Pods:',
    ...pods.map((pod) => `  ${pod.metadata.name.padEnd(40)} ${String((pod['status'] as Record<string, unknown> | undefined)?.['phase'] ?? '').padEnd(10)} sidecar ${sidecarState(pod, namespace)}`),
    '',
    ...yamlSection(row.kind, raw.object),
  ];
}

function yamlSection(title: string, object: KubeObject | undefined): string[] {
  if (!object) return [];
  const clean = structuredClone(object) as KubeObject & { metadata: Record<string, unknown> };
  delete clean.metadata['managedFields'];
  return [`--- ${title}`, ...stringify(clean).trimEnd().split('\n'), ''];
}

/** A service across clusters: the routing tree (service → subsets → clusters → pods), routes, problems. */
export function describeService(snapshots: ClusterSnapshot[], key: string): string[] {
  const row = deriveServiceRows(snapshots).find((r) => r.key === key);
  if (!row) return [`${key} is gone`];
  const lines = [`Service:        ${row.key} (${row.fqdn})`, `Clusters:       ${row.clusters.map((c) => `${c.cluster}${c.network ? ` (${c.network})` : ''}: ${c.endpoints ? `${c.endpoints.ready}/${c.endpoints.total} endpoints` : 'no selector'}`).join(', ')}`, ''];
  lines.push('Routing:', ...serviceTree(row).map((l) => `  ${l}`), '');
  for (const vs of row.virtualServices) lines.push(`VirtualService ${vs.ref} in ${vs.clusters.join(',')}: hosts ${vs.hosts.join(', ')}; gateways ${vs.gateways.join(', ') || 'mesh'}; ${vs.destinations.map((d) => `${(d as { subset?: string }).subset ?? '(all)'}${(d as { weight?: number }).weight !== undefined ? ` ${(d as { weight?: number }).weight}%` : ''}`).join(', ')}`);
  for (const dr of row.destinationRules) lines.push(`DestinationRule ${dr.ref} in ${dr.clusters.join(',')}: host ${dr.host}; subsets ${dr.subsets.join(', ') || '-'}; ${dr.policy.join(', ') || 'no traffic policy'}`);
  if (row.problems.length > 0) lines.push('', 'Problems:', ...row.problems.map((p) => `  ${p.severity === 'error' ? '✗' : '▲'} ${p.message}`));
  return lines;
}
