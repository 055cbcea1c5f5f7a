import type { GatewayRow } from '../types.js';
import type { Check, Finding } from './types.js';
import { finding } from './codes.js';
import { components, topology, type ClusterFacts, type Topology } from './topology.js';
import { applicableGateways, gatewayServers, rowPorts, selectsLabels } from './gateway-config.js';

const GEN_EASTWEST = (cluster: ClusterFacts, network: string) =>
  `samples/multicluster/gen-eastwest-gateway.sh --network ${network} | istioctl --context=${cluster.name} install -y -f -`;
const EXPOSE_SERVICES = (cluster: string) => `kubectl --context=${cluster} apply -n istio-system -f samples/multicluster/expose-services.yaml`;

/** On a multi-network mesh every network needs an east-west gateway with the right ports, passing 15443 through. */
export const checkEastWest: Check = (snapshots, model) => {
  const topo = topology(snapshots);
  const out: Finding[] = [];
  for (const group of components(topo)) {
    const members = group.filter((c) => c.hasData && c.hasIstio);
    const byNetwork = new Map<string, ClusterFacts[]>();
    for (const cluster of members) {
      const network = cluster.identity.network;
      if (network) byNetwork.set(network, [...(byNetwork.get(network) ?? []), cluster]);
    }
    if (byNetwork.size < 2) continue;
    for (const [network, clusters] of byNetwork) {
      const gateways = model.gateways.filter((g) => g.kind === 'east-west' && clusters.some((c) => c.name === g.cluster));
      if (gateways.length === 0) {
        for (const cluster of clusters) {
          out.push(
            finding(
              'MD-EW-001',
              cluster.name,
              `Cluster/${cluster.name}`,
              `${cluster.name} is on ${network} of a multi-network mesh (${[...byNetwork.keys()].sort().join(', ')}), but no cluster of ${network} runs an east-west gateway: traffic from other networks cannot reach its workloads`,
              `install one: ${GEN_EASTWEST(cluster, network)}, then ${EXPOSE_SERVICES(cluster.name)}`,
            ),
          );
        }
        continue;
      }
      for (const row of gateways) out.push(...missingPorts(row, topo));
      const passing = gateways.filter((row) => passesThrough(row, topo));
      if (passing.length > 0) continue;
      for (const row of gateways) {
        out.push(
          finding(
            'MD-EW-003',
            row.cluster,
            `Deployment/${row.namespace}/${row.name}`,
            `no Gateway passes port 15443 through (tls mode AUTO_PASSTHROUGH) on the east-west gateway ${row.namespace}/${row.name}, the only way into ${network} from other networks`,
            EXPOSE_SERVICES(row.cluster),
          ),
        );
      }
    }
  }
  return out;
};

function missingPorts(row: GatewayRow, topo: Topology): Finding[] {
  const cluster = topo.byName.get(row.cluster)!;
  const required = [15443];
  // Remotes on other networks reach istiod (xDS 15012, injection webhook 15017) through this gateway.
  const remotes = cluster.hasIstiod ? topo.remotesOf(cluster).filter((r) => r.identity.network && r.identity.network !== cluster.identity.network) : [];
  if (remotes.length > 0) required.push(15012, 15017);
  const { ports } = rowPorts(row.ports);
  const missing = required.filter((p) => !ports.has(p));
  if (missing.length === 0 || row.ports.length === 0) return [];
  const why = missing.some((p) => p !== 15443) ? ` (remotes ${remotes.map((r) => r.name).join(', ')} reach istiod through it)` : '';
  return [
    finding(
      'MD-EW-002',
      row.cluster,
      `Service/${row.namespace}/${row.name}`,
      `the east-west gateway's Service lacks port ${missing.join(', ')}${why}; it has ${row.ports.join(', ')}`,
      `regenerate it with samples/multicluster/gen-eastwest-gateway.sh --network ${cluster.identity.network ?? '<network>'} and install it again (istioctl --context=${row.cluster} install -f -), which restores 15021, 15443, 15012 and 15017`,
    ),
  ];
}

function passesThrough(row: GatewayRow, topo: Topology): boolean {
  const cluster = topo.byName.get(row.cluster)!;
  return applicableGateways(topo, cluster).some(({ gateway }) => selectsLabels(gateway, row.labels) && gatewayServers(gateway).some((s) => s.port === 15443 && s.tlsMode === 'AUTO_PASSTHROUGH'));
}
