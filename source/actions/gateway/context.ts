import { gatewayKind } from '../../mesh/gateways.js';
import { checkGatewayPorts, DEFAULT_NODE_PORT_RANGE, gatewayServersOf, type GatewayKind, type GatewayPortContext, type PortFinding } from '../../mesh/gateway-ports/index.js';
import { gatewayManagement, managementWarning } from './management.js';
import type { GatewayLiveState, Management } from './types.js';

export interface ContextOptions {
  /** The API server's --service-node-port-range, when it is not the default 30000-32767. */
  nodePortRange?: { min: number; max: number };
}

/** The gateway's kind from its pods' `istio` label (or the Service's), else its name. */
export function liveGatewayKind(live: GatewayLiveState): GatewayKind {
  const istio = live.workloads[0]?.podLabels['istio'] ?? live.service.selector['istio'] ?? live.service.labels['istio'] ?? '';
  return gatewayKind(istio, live.service.name);
}

/** What the pure port checks need, from what was read. */
export function portContext(live: GatewayLiveState, options: ContextOptions = {}): GatewayPortContext {
  const workload = live.workloads[0];
  const container = workload?.container;
  return {
    service: `${live.service.namespace}/${live.service.name}`,
    kind: liveGatewayKind(live),
    serviceType: live.service.type,
    containerPorts: container?.ports ?? [],
    ...(workload && container ? { workload: `the ${container.name} container of deployment ${workload.name}`, lowestBindablePort: container.lowestBindablePort } : {}),
    ...(live.nodePortsInUse ? { nodePortsInUse: live.nodePortsInUse } : {}),
    nodePortRange: options.nodePortRange ?? { ...DEFAULT_NODE_PORT_RANGE },
    gateways: live.gateways.map((g) => ({ namespace: g.namespace, name: g.name, servers: gatewayServersOf({ metadata: { name: g.name }, spec: { servers: g.servers } }) })),
    siblingPorts: live.siblings.map((s) => ({ service: `${live.service.namespace}/${s.name}`, ports: s.ports })),
  };
}

/** The gateway's ports as they are, with their findings: what `meshdeck gateway ports` shows. */
export interface GatewayPortsReport {
  cluster: string;
  gateway: { namespace: string; name: string; kind: GatewayKind; type: string; workload?: string };
  ports: GatewayLiveState['service']['ports'];
  containerPorts: { containerPort: number; name?: string; protocol?: string }[];
  servers: { gateway: string; port: number; name?: string; protocol: string; hosts: string[] }[];
  pods: { name: string; ready: boolean }[];
  findings: PortFinding[];
  management: Management;
  /** Set when a direct edit would be undone by the next Helm or istioctl upgrade. */
  upgradeWarning?: string;
  notes: string[];
}

export function portsReport(live: GatewayLiveState, options: ContextOptions = {}): GatewayPortsReport {
  const ctx = portContext(live, options);
  const notes = [...live.notes];
  const management = gatewayManagement(live, ctx.kind);
  const warning = managementWarning(management, ctx.service);
  if (live.istiod === false && live.gateways.length > 0) {
    notes.push(`${live.cluster} runs no istiod (a remote?): its gateways are configured from the Gateway resources of its primary, which were not read here`);
  }
  return {
    cluster: live.cluster,
    gateway: { namespace: live.service.namespace, name: live.service.name, kind: ctx.kind, type: live.service.type, ...(live.workloads[0] ? { workload: live.workloads[0].name } : {}) },
    ports: live.service.ports,
    containerPorts: ctx.containerPorts,
    servers: ctx.gateways.flatMap((g) => g.servers.map((s) => ({ gateway: `${g.namespace}/${g.name}`, ...s }))),
    pods: live.pods.map((p) => ({ name: p.name, ready: p.ready })),
    findings: checkGatewayPorts(live.service.ports, ctx),
    management,
    ...(warning ? { upgradeWarning: warning } : {}),
    notes,
  };
}
