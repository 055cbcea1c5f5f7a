import type { Check, Finding } from './types.js';
import { finding } from './codes.js';
import { components, topology, type ClusterFacts } from './topology.js';

const NETWORK_LABEL = 'topology.istio.io/network';
const DEFAULT_TRUST_DOMAIN = 'cluster.local';

/** Mesh ID and trust domain agree across joined clusters; every cluster of a multi-network mesh names its network. */
export const checkMeshIdentity: Check = (snapshots) => {
  const out: Finding[] = [];
  for (const group of components(topology(snapshots))) {
    const members = group.filter((c) => c.hasData && c.hasIstio);
    if (members.length < 2) continue;
    // The reference is the first primary (its settings are the mesh's), else the first cluster.
    const reference = members.find((c) => c.hasIstiod) ?? members[0]!;
    const refMesh = reference.identity.meshId;
    const refDomain = reference.identity.trustDomain ?? DEFAULT_TRUST_DOMAIN;
    for (const cluster of members) {
      if (cluster === reference) continue;
      const meshId = cluster.identity.meshId;
      if (refMesh && meshId && meshId !== refMesh) {
        out.push(
          finding(
            'MD-MESH-001',
            cluster.name,
            'ConfigMap/istio-system/istio-sidecar-injector',
            `mesh ID ${meshId} differs from ${reference.name}'s ${refMesh}; Istio treats them as different meshes`,
            `reinstall Istio on ${cluster.name} with --set values.global.meshID=${refMesh} (keep the other settings), then restart its workloads`,
          ),
        );
      }
      const domain = cluster.identity.trustDomain ?? DEFAULT_TRUST_DOMAIN;
      if (domain !== refDomain) {
        out.push(
          finding(
            'MD-MESH-002',
            cluster.name,
            'ConfigMap/istio-system/istio',
            `trust domain ${domain} differs from ${reference.name}'s ${refDomain}; authorization policies naming principals of one do not match the other`,
            `set meshConfig.trustDomain: ${refDomain} on ${cluster.name}, or list the other in meshConfig.trustDomainAliases on both`,
          ),
        );
      }
    }
    out.push(...networkLabels(members));
  }
  return out;
};

function networkLabels(members: ClusterFacts[]): Finding[] {
  const networks = new Set(members.map((c) => c.identity.network).filter(Boolean));
  if (networks.size < 2) return [];
  const out: Finding[] = [];
  for (const cluster of members) {
    const label = cluster.snapshot.kinds.namespaces.items.get('istio-system')?.metadata.labels?.[NETWORK_LABEL];
    if (label) continue;
    const network = cluster.identity.network;
    out.push(
      finding(
        'MD-NET-001',
        cluster.name,
        'Namespace/istio-system',
        `the mesh spans networks ${[...networks].sort().join(', ')}, but istio-system of ${cluster.name} has no ${NETWORK_LABEL} label${network ? ` (the installation says ${network})` : ''}: istiod cannot tell which network its endpoints are on`,
        `kubectl --context ${cluster.name} label namespace istio-system ${NETWORK_LABEL}=${network ?? '<network>'}`,
      ),
    );
  }
  return out;
}
