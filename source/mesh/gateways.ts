import type { ClusterSnapshot, GatewayKind, GatewayRow, KubeObject } from './types.js';

type Json = Record<string, unknown>;

/**
 * The kind from the pods' `istio` label. The istio-ingress/egress charts set ingressgateway/egressgateway;
 * the gateway chart sets the release name without "istio-" (so `istio-ingress` gives `ingress`), and
 * gen-eastwest-gateway.sh sets eastwestgateway.
 */
export function gatewayKind(istioLabel: string, name: string): GatewayKind {
  for (const text of [istioLabel, name]) {
    if (/east-?west/.test(text)) return 'east-west';
    if (/egress/.test(text)) return 'egress';
    if (/ingress/.test(text)) return 'ingress';
  }
  return 'gateway';
}

/** Gateway deployments (label `istio`), with their Service, ports and the Gateway resources that bind them. */
export function deriveGatewayRows(snapshot: ClusterSnapshot): GatewayRow[] {
  const rows: GatewayRow[] = [];
  const services = [...snapshot.kinds.services.items.values()];
  const gatewayResources = [...snapshot.kinds.gateways.items.values()];
  for (const deployment of snapshot.kinds.deployments.items.values()) {
    const labels = podTemplateLabels(deployment);
    const istioLabel = labels['istio'] ?? deployment.metadata.labels?.['istio'];
    if (!istioLabel || istioLabel === 'pilot') continue;
    const namespace = deployment.metadata.namespace ?? '';
    const service = findService(services, namespace, deployment.metadata.name, labels);
    const spec = (deployment['spec'] as Json | undefined) ?? {};
    const status = (deployment['status'] as Json | undefined) ?? {};
    const row: GatewayRow = {
      key: `${snapshot.name}/${namespace}/Deployment/${deployment.metadata.name}`,
      cluster: snapshot.name,
      namespace,
      name: deployment.metadata.name,
      kind: gatewayKind(istioLabel, deployment.metadata.name),
      ready: (status['readyReplicas'] as number | undefined) ?? 0,
      desired: (spec['replicas'] as number | undefined) ?? 1,
      ports: service ? formatPorts(service) : [],
      boundGateways: gatewayResources.filter((gw) => selects(gw, labels)).map((gw) => `${gw.metadata.namespace}/${gw.metadata.name}`).sort(),
      labels,
    };
    if (service) {
      const serviceSpec = (service['spec'] as Json | undefined) ?? {};
      row.serviceType = String(serviceSpec['type'] ?? 'ClusterIP');
      const address = serviceAddress(service);
      if (address) row.address = address;
    }
    rows.push(row);
  }
  return rows;
}

export function podTemplateLabels(deployment: KubeObject): Record<string, string> {
  return ((((deployment['spec'] as Json | undefined)?.['template'] as Json | undefined)?.['metadata'] as Json | undefined)?.['labels'] as Record<string, string> | undefined) ?? {};
}

function findService(services: KubeObject[], namespace: string, name: string, podLabels: Record<string, string>): KubeObject | undefined {
  const inNamespace = services.filter((s) => s.metadata.namespace === namespace);
  const sameName = inNamespace.find((s) => s.metadata.name === name);
  if (sameName) return sameName;
  return inNamespace.find((s) => {
    const selector = ((s['spec'] as Json | undefined)?.['selector'] as Record<string, string> | undefined) ?? {};
    const entries = Object.entries(selector);
    return entries.length > 0 && entries.every(([k, v]) => podLabels[k] === v);
  });
}

// As istiod merges Gateways: a Gateway without a selector applies to every gateway workload.
function selects(gateway: KubeObject, labels: Record<string, string>): boolean {
  const selector = ((gateway['spec'] as Json | undefined)?.['selector'] as Record<string, string> | undefined) ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** `80→8080/http2`, or `15443/tls` when port and targetPort agree. */
export function formatPorts(service: KubeObject): string[] {
  const ports = ((service['spec'] as Json | undefined)?.['ports'] as Json[] | undefined) ?? [];
  return ports.map((port) => {
    const number = port['port'];
    const target = port['targetPort'];
    const name = port['name'] ? `/${port['name']}` : '';
    return target !== undefined && target !== number ? `${number}→${target}${name}` : `${number}${name}`;
  });
}

function serviceAddress(service: KubeObject): string | undefined {
  const ingress = ((((service['status'] as Json | undefined)?.['loadBalancer'] as Json | undefined)?.['ingress'] as Json[] | undefined) ?? [])[0];
  if (ingress) return String(ingress['ip'] ?? ingress['hostname'] ?? '');
  const type = (service['spec'] as Json | undefined)?.['type'];
  if (type === 'LoadBalancer') return '<pending>';
  const clusterIP = (service['spec'] as Json | undefined)?.['clusterIP'];
  return typeof clusterIP === 'string' ? clusterIP : undefined;
}
