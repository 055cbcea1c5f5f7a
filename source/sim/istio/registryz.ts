import type { JsonObject, KubeObject } from '../objects.js';

/** The Kubernetes cluster domain of Service hostnames (istiod's --domain default). */
const DOMAIN = 'cluster.local';

// istiod's protocol sniffing from a Service port: appProtocol, else the name prefix (kube.ConvertProtocol).
const PROTOCOLS: Record<string, string> = { http: 'HTTP', http2: 'HTTP2', https: 'HTTPS', grpc: 'GRPC', 'grpc-web': 'GRPC-Web', tcp: 'TCP', tls: 'TLS', udp: 'UDP', mongo: 'Mongo', mysql: 'MySQL', redis: 'Redis' };

function protocolOf(port: JsonObject): string {
  if (port['protocol'] === 'UDP') return 'UDP';
  if (port['protocol'] === 'SCTP') return 'SCTP';
  const app = String(port['appProtocol'] ?? '').toLowerCase();
  if (PROTOCOLS[app]) return PROTOCOLS[app]!;
  const name = String(port['name'] ?? '').toLowerCase();
  const prefix = name.split('-')[0]!;
  return PROTOCOLS[name.startsWith('grpc-web') ? 'grpc-web' : prefix] ?? 'UnsupportedProtocol';
}

/** A headless Service has no VIP; istiod records 0.0.0.0 for it. */
function addressOf(spec: JsonObject): string {
  const ip = String((spec['clusterIPs'] as string[] | undefined)?.[0] ?? spec['clusterIP'] ?? '');
  return ip && ip !== 'None' ? ip : '0.0.0.0';
}

/**
 * One `model.Service` as `json.Marshal` writes it: `Attributes` (no JSON tags, so Go field names),
 * then the tagged fields. ClusterVIPs is an `AddressMap` whose only exported field is `Addresses`.
 */
function modelService(service: KubeObject, clusterId: string): JsonObject {
  const spec = (service['spec'] as JsonObject | undefined) ?? {};
  const name = service.metadata.name!;
  const namespace = service.metadata.namespace!;
  const address = addressOf(spec);
  return {
    Attributes: {
      ServiceRegistry: 'Kubernetes',
      Name: name,
      Namespace: namespace,
      Labels: service.metadata.labels ?? null,
      ExportTo: null,
      LabelSelectors: (spec['selector'] as JsonObject | undefined) ?? null,
      Aliases: null,
      ClusterExternalAddresses: null,
      ClusterExternalPorts: null,
      PassthroughTargetPorts: null,
      Type: String(spec['type'] ?? 'ClusterIP'),
      ExternalName: String(spec['externalName'] ?? ''),
      NodeLocal: spec['internalTrafficPolicy'] === 'Local',
      TrafficDistribution: 0,
      ObjectName: name,
      PublishNotReadyAddresses: spec['publishNotReadyAddresses'] === true,
    },
    ports: ((spec['ports'] as JsonObject[] | undefined) ?? []).map((p) => ({ ...(p['name'] ? { name: p['name'] } : {}), port: p['port'] as number, protocol: protocolOf(p) })),
    creationTime: service.metadata.creationTimestamp ?? '0001-01-01T00:00:00Z',
    hostname: `${name}.${namespace}.svc.${DOMAIN}`,
    clusterVIPs: { Addresses: { [clusterId]: [address] } },
    defaultAddress: address,
    Resolution: 0,
    ResourceVersion: service.metadata.resourceVersion ?? '',
  };
}

/**
 * `/debug/registryz`: istiod's merged service list. The aggregate registry lists the config cluster's
 * services first; a hostname that several clusters have is one entry whose clusterVIPs name each of them.
 */
export function registryz(registries: { clusterId: string; services: KubeObject[] }[]): JsonObject[] {
  const byHost = new Map<string, JsonObject>();
  for (const { clusterId, services } of registries) {
    for (const service of services) {
      const entry = modelService(service, clusterId);
      const seen = byHost.get(entry['hostname'] as string);
      if (!seen) byHost.set(entry['hostname'] as string, entry);
      else ((seen['clusterVIPs'] as { Addresses: Record<string, string[]> }).Addresses[clusterId] = [addressOf((service['spec'] as JsonObject | undefined) ?? {})]);
    }
  }
  return [...byHost.values()];
}
