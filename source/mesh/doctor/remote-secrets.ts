import type { Check, Finding } from './types.js';
import { finding } from './codes.js';
import { components, isLoopback, objectRef, topology, type ClusterFacts, type RemoteSecretEntry } from './topology.js';

const CREATE = (remote: string, primary: string, id: string) => `istioctl create-remote-secret --context=${remote} --name=${id} | kubectl apply --context=${primary} -f -`;

/** Remote secrets against istiod's view (/debug/clusterz) and against the remotes themselves. */
export const checkRemoteSecrets: Check = (snapshots) => {
  const topo = topology(snapshots);
  const out: Finding[] = [];
  for (const primary of topo.clusters) {
    if (!primary.hasData || primary.remoteSecrets.length === 0) continue;
    out.push(...secretsOf(primary, topo));
  }
  out.push(...duplicateClusterIds(topo));
  out.push(...remotesWithoutSecret(topo));
  return out;
};

function secretsOf(primary: ClusterFacts, topo: ReturnType<typeof topology>): Finding[] {
  const out: Finding[] = [];
  const statuses = primary.snapshot.istiodClusters;
  if (primary.hasIstiod && !statuses && primary.snapshot.state === 'synced') {
    out.push(
      finding(
        'MD-REMOTE-006',
        primary.name,
        'Service/istio-system/istiod',
        `istiod's /debug/clusterz could not be read${primary.snapshot.istiodError ? ` (${primary.snapshot.istiodError})` : ''}, so whether istiod reached its ${primary.remoteSecrets.length} remote cluster(s) is unknown`,
        primary.snapshot.istiodError?.includes('istiod refused')
          ? `the kubeconfig's credentials are fine; meshdeck reads /debug through pods/portforward, as istioctl does (istiod serves it on the pod's loopback): let them get and create pods/portforward in istio-system (kubectl --context ${primary.name} -n istio-system create role istiod-debug --verb=get,create --resource=pods/portforward, and a rolebinding to it)`
          : `check istiod is ready (kubectl --context ${primary.name} -n istio-system get pods -l app=istiod) and that you may port-forward to it (get and create pods/portforward) in istio-system`,
      ),
    );
  }
  const byId = new Map<string, RemoteSecretEntry[]>();
  for (const entry of primary.remoteSecrets) byId.set(entry.clusterId, [...(byId.get(entry.clusterId) ?? []), entry]);
  for (const entry of primary.remoteSecrets) {
    const object = objectRef('Secret', entry.secret);
    const server = entry.server ?? 'its server';
    const status = statuses?.find((s) => s.id === entry.clusterId && (!s.secretName || s.secretName === `istio-system/${entry.secret.metadata.name}`));
    const synced = status?.syncStatus === 'synced';
    const target = topo.target(entry);
    if (entry.clusterId === primary.clusterId) {
      out.push(finding('MD-REMOTE-004', primary.name, object, `remote secret names cluster ID ${entry.clusterId}, which is ${primary.name}'s own; istiod ignores it`, `delete it: kubectl --context ${primary.name} -n istio-system delete secret ${entry.secret.metadata.name}`));
      continue;
    }
    const twins = byId.get(entry.clusterId)!;
    if (twins.length > 1 && twins[0] !== entry) {
      out.push(
        finding(
          'MD-REMOTE-004',
          primary.name,
          object,
          `cluster ID ${entry.clusterId} is also named by ${objectRef('Secret', twins[0]!.secret)}; istiod registers only one of them`,
          `keep one remote secret per cluster: kubectl --context ${primary.name} -n istio-system delete secret ${entry.secret.metadata.name}`,
        ),
      );
      continue;
    }
    if (status && !synced) {
      const transient = status.syncStatus === 'syncing';
      out.push(
        finding(
          'MD-REMOTE-001',
          primary.name,
          object,
          `istiod reports remote cluster ${entry.clusterId} as ${status.syncStatus}${entry.server ? ` (server ${entry.server})` : ''}; ${transient ? 'it has not finished reading it yet' : 'services and endpoints of that cluster are missing from the mesh'}`,
          `check that istiod's pods can reach ${server} and that the token in the secret is valid (kubectl --context ${primary.name} -n istio-system logs deploy/istiod | grep ${entry.clusterId}); recreate it with: ${CREATE(target?.cluster.name ?? entry.clusterId, primary.name, entry.clusterId)}`,
          transient ? 'warning' : 'error',
        ),
      );
    } else if (statuses && !status) {
      out.push(
        finding(
          'MD-REMOTE-001',
          primary.name,
          object,
          `istiod has not registered remote cluster ${entry.clusterId} (not in /debug/clusterz)`,
          `check istiod's log for the secret (kubectl --context ${primary.name} -n istio-system logs deploy/istiod | grep ${entry.secret.metadata.name}), then recreate it: ${CREATE(target?.cluster.name ?? entry.clusterId, primary.name, entry.clusterId)}`,
          'warning',
        ),
      );
    }
    if (entry.server && isLoopback(entry.server) && !synced) {
      out.push(
        finding(
          'MD-REMOTE-003',
          primary.name,
          object,
          `the kubeconfig for ${entry.clusterId} points at ${entry.server}, a loopback address: inside istiod's pod that is istiod itself, not the remote API server`,
          `recreate the secret with an address istiod can reach: istioctl create-remote-secret --context=${target?.cluster.name ?? entry.clusterId} --name=${entry.clusterId} --server=https://<reachable address> | kubectl apply --context=${primary.name} -f -`,
        ),
      );
    }
    if (target?.by === 'server' && target.cluster.hasIstio && target.cluster.clusterId !== entry.clusterId) {
      out.push(
        finding(
          'MD-REMOTE-002',
          primary.name,
          object,
          `remote secret names cluster ID ${entry.clusterId}, but its server ${entry.server} is ${target.cluster.name}, whose cluster ID is ${target.cluster.clusterId}; endpoints and proxies of ${target.cluster.name} are attributed to the wrong cluster`,
          `replace it: kubectl --context ${primary.name} -n istio-system delete secret ${entry.secret.metadata.name} && ${CREATE(target.cluster.name, primary.name, target.cluster.clusterId)}`,
        ),
      );
    }
  }
  return out;
}

/** Two clusters of one linked group with the same cluster ID. */
function duplicateClusterIds(topo: ReturnType<typeof topology>): Finding[] {
  const out: Finding[] = [];
  for (const group of components(topo)) {
    const byId = new Map<string, ClusterFacts[]>();
    for (const cluster of group) if (cluster.hasIstio && cluster.hasData) byId.set(cluster.clusterId, [...(byId.get(cluster.clusterId) ?? []), cluster]);
    for (const [id, clusters] of byId) {
      if (clusters.length < 2) continue;
      for (const cluster of clusters.slice(1)) {
        out.push(
          finding(
            'MD-REMOTE-004',
            cluster.name,
            'ConfigMap/istio-system/istio-sidecar-injector',
            `cluster ID ${id} is also the cluster ID of ${clusters[0]!.name}${id === 'Kubernetes' ? " (Istio's default: neither sets global.multiCluster.clusterName)" : ''}; istiod cannot tell their endpoints apart`,
            `reinstall Istio on ${cluster.name} with a unique ID: istioctl install --context=${cluster.name} --set values.global.multiCluster.clusterName=${cluster.name} (keep the other settings), then recreate its remote secrets`,
          ),
        );
      }
    }
  }
  return out;
}

/** A remote (no istiod, its control plane elsewhere) that no primary in view holds a remote secret for. */
function remotesWithoutSecret(topo: ReturnType<typeof topology>): Finding[] {
  const out: Finding[] = [];
  for (const remote of topo.clusters) {
    if (!remote.hasData || !remote.hasIstio || remote.hasIstiod || remote.controlPlanes.length === 0) continue;
    const primaries = topo.primariesOf(remote);
    // Only when every primary it names is in view and answered: otherwise the secret may be where we cannot look.
    if (primaries.length < remote.controlPlanes.length || primaries.some((p) => !p.hasData || p.hidden.has('secrets'))) continue;
    const joined = topo.links.some((l) => l.to === remote && l.via === 'remote secret');
    if (joined) continue;
    const primary = primaries[0]!;
    out.push(
      finding(
        'MD-REMOTE-005',
        remote.name,
        'Namespace/istio-system',
        `${remote.name} is a remote of ${primaries.map((p) => p.name).join(', ')}, but no primary holds a remote secret for it: istiod does not see its services, endpoints or gateways`,
        `join it: ${CREATE(remote.name, primary.name, remote.clusterId)}`,
      ),
    );
  }
  return out;
}
