// Reading the port facts out of Kubernetes and Istio objects (plain JSON), for the checks.
import type { KubeObject } from '../types.js';
import type { ContainerPort, GatewayServerFacts, ServicePort } from './types.js';

type Json = Record<string, unknown>;

const UNPRIVILEGED_SYSCTL = 'net.ipv4.ip_unprivileged_port_start';
/** Istio's proxies run as this user unless told otherwise (the injection template sets it). */
const ISTIO_PROXY_UID = 1337;

const asObject = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const asArray = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

/** A Service's `spec.ports`, with the fields the checks read. */
export function servicePortsOf(service: KubeObject): ServicePort[] {
  return asArray(asObject(service['spec'])['ports']).map((p) => ({
    ...(typeof p['name'] === 'string' && p['name'] !== '' ? { name: p['name'] } : {}),
    port: Number(p['port']),
    ...(typeof p['targetPort'] === 'number' || typeof p['targetPort'] === 'string' ? { targetPort: p['targetPort'] } : {}),
    ...(typeof p['nodePort'] === 'number' ? { nodePort: p['nodePort'] } : {}),
    protocol: typeof p['protocol'] === 'string' ? p['protocol'] : 'TCP',
    ...(typeof p['appProtocol'] === 'string' ? { appProtocol: p['appProtocol'] } : {}),
  }));
}

export function serviceSelector(service: KubeObject): Record<string, string> {
  return (asObject(service['spec'])['selector'] as Record<string, string> | undefined) ?? {};
}

export function serviceType(service: KubeObject): string {
  return String(asObject(service['spec'])['type'] ?? 'ClusterIP');
}

/** Pod-template labels of a workload (Deployment, DaemonSet, ...). */
export function templateLabels(workload: KubeObject): Record<string, string> {
  return (asObject(asObject(asObject(workload['spec'])['template'])['metadata'])['labels'] as Record<string, string> | undefined) ?? {};
}

/** Whether every key of `selector` is in `labels` with the same value (an empty selector matches anything). */
export function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

export interface ProxyContainer {
  name: string;
  ports: ContainerPort[];
  /** See GatewayPortContext.lowestBindablePort. */
  lowestBindablePort: number;
}

/**
 * The gateway's proxy container (`istio-proxy`, else the first) in a workload's pod template: its
 * declared ports, and the lowest port it can bind given its user, capabilities and the pod's sysctls.
 */
export function proxyContainerOf(workload: KubeObject): ProxyContainer | undefined {
  const podSpec = asObject(asObject(asObject(workload['spec'])['template'])['spec']);
  const containers = asArray(podSpec['containers']);
  const container = containers.find((c) => c['name'] === 'istio-proxy') ?? containers[0];
  if (!container) return undefined;
  const ports = asArray(container['ports'])
    .filter((p) => typeof p['containerPort'] === 'number')
    .map((p) => ({ containerPort: p['containerPort'] as number, ...(typeof p['name'] === 'string' ? { name: p['name'] } : {}), protocol: typeof p['protocol'] === 'string' ? p['protocol'] : 'TCP' }));
  return { name: String(container['name'] ?? ''), ports, lowestBindablePort: lowestBindablePort(asObject(podSpec['securityContext']), asObject(container['securityContext'])) };
}

function lowestBindablePort(pod: Json, container: Json): number {
  const sysctl = asArray(pod['sysctls']).find((s) => s['name'] === UNPRIVILEGED_SYSCTL);
  const fromSysctl = sysctl ? Number(sysctl['value']) : undefined;
  const capabilities = asObject(container['capabilities']);
  const added = asArray(capabilities['add']).map(String);
  const dropped = asArray(capabilities['drop']).map(String);
  if (added.includes('NET_BIND_SERVICE')) return 0;
  const user = container['runAsUser'] ?? pod['runAsUser'] ?? ISTIO_PROXY_UID;
  const root = user === 0 && !dropped.includes('ALL') && !dropped.includes('NET_BIND_SERVICE');
  if (root) return 0;
  if (fromSysctl !== undefined && Number.isFinite(fromSysctl)) return Math.max(0, Math.min(1024, fromSysctl));
  return 1024;
}

/** The servers of an Istio Gateway, by port. */
export function gatewayServersOf(gateway: KubeObject): GatewayServerFacts[] {
  const out: GatewayServerFacts[] = [];
  for (const server of asArray(asObject(gateway['spec'])['servers'])) {
    const port = asObject(server['port']);
    const number = Number(port['number']);
    if (!Number.isInteger(number)) continue;
    const hosts = asArray(server['hosts']).map((h) => String(h));
    out.push({ port: number, ...(typeof port['name'] === 'string' ? { name: port['name'] } : {}), protocol: String(port['protocol'] ?? '').toUpperCase(), hosts });
  }
  return out;
}

/** An Istio Gateway's `spec.selector` (empty: it applies to every gateway workload). */
export function gatewaySelectorOf(gateway: KubeObject): Record<string, string> {
  return (asObject(gateway['spec'])['selector'] as Record<string, string> | undefined) ?? {};
}

/** Whether a Gateway configures pods with any of these label sets, as istiod matches them. */
export function gatewaySelects(gateway: KubeObject, podLabelSets: readonly Record<string, string>[]): boolean {
  const selector = gatewaySelectorOf(gateway);
  return podLabelSets.some((labels) => labelsMatch(selector, labels));
}
