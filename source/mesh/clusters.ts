import type { ClusterRole, ClusterRow, ClusterSnapshot } from './types.js';
import { controlPlane, istioIdentity, istioVersion } from './istio-config.js';
import { describeProblem } from './format.js';

const CONTROL_PLANES = 'topology.istio.io/controlPlaneClusters';

/** One row per cluster: reachability, versions, Istio role and identity, root of trust, remote secrets. */
export function deriveClusterRow(snapshot: ClusterSnapshot, now: number): ClusterRow {
  const identity = istioIdentity(snapshot);
  const namespaces = snapshot.kinds.namespaces.items;
  const istioSystem = namespaces.get('istio-system');
  const plane = controlPlane(snapshot);
  const hasIstiod = plane?.istiod !== undefined;
  const controlPlanes = istioSystem?.metadata.annotations?.[CONTROL_PLANES] ?? istioSystem?.metadata.labels?.[CONTROL_PLANES];
  let role: ClusterRole;
  if (snapshot.state === 'connecting' || (snapshot.state === 'down' && namespaces.size === 0)) role = 'unknown';
  else if (hasIstiod) role = snapshot.kinds.remoteSecrets.items.size > 0 ? 'primary' : 'standalone';
  else if (controlPlanes || plane?.injector) role = 'remote';
  else role = 'no istio';
  const syncById = new Map((snapshot.istiodClusters ?? []).map((c) => [c.id, c.syncStatus]));
  const remoteSecrets: ClusterRow['remoteSecrets'] = [];
  for (const secret of snapshot.kinds.remoteSecrets.items.values()) {
    const keys = (secret['dataKeys'] as string[] | undefined) ?? [];
    const annotated = secret.metadata.annotations?.['networking.istio.io/cluster'];
    for (const clusterId of keys.length > 0 ? keys : [annotated ?? '?']) {
      remoteSecrets.push({ clusterId, secret: secret.metadata.name, status: syncById.get(clusterId) ?? (hasIstiod ? 'unknown' : 'no istiod') });
    }
  }
  remoteSecrets.sort((a, b) => a.clusterId.localeCompare(b.clusterId));
  const row: ClusterRow = {
    key: snapshot.name,
    cluster: snapshot.name,
    state: snapshot.state,
    role,
    remoteSecrets,
    pods: snapshot.kinds.pods.items.size,
  };
  // A cluster that answers but hides some kinds from these credentials is up, with a note of what is missing.
  const problem =
    describeProblem(snapshot, now) ??
    (snapshot.forbidden?.length ? `may not read ${snapshot.forbidden.join(', ')}` : undefined) ??
    // Remote sync states shown as unknown: say why (istiod refusing /debug is not the kubeconfig's fault).
    (hasIstiod && remoteSecrets.length > 0 && snapshot.istiodError ? `remote sync unknown: ${snapshot.istiodError}` : undefined);
  if (problem) row.problem = problem;
  if (snapshot.kubernetesVersion) row.kubernetesVersion = snapshot.kubernetesVersion;
  const version = istioVersion(snapshot);
  if (version) row.istioVersion = version;
  if (controlPlanes) row.controlPlanes = controlPlanes.split(',').map((s) => s.trim()).filter(Boolean);
  if (identity.meshId) row.meshId = identity.meshId;
  if (identity.clusterId) row.clusterId = identity.clusterId;
  if (identity.network) row.network = identity.network;
  if (snapshot.rootCertificate) {
    row.rootFingerprint = snapshot.rootCertificate.fingerprint;
    row.rootSubject = snapshot.rootCertificate.subject;
  }
  return row;
}
