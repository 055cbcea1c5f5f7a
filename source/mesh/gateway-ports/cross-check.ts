import type { GatewayKind, GatewayPortContext, PortFinding, ServicePort } from './types.js';
import { suggestedName } from './names.js';
import { finding, portSubject } from './validate.js';

const HEALTH_PORT = 15021;

const isTcp = (port: ServicePort) => (port.protocol ?? 'TCP').toUpperCase() === 'TCP';
const numericTarget = (port: ServicePort) => (typeof port.targetPort === 'number' ? port.targetPort : undefined);
const short = (port: ServicePort) => {
  const target = port.targetPort ?? port.port;
  return target === port.port ? `${port.port}` : `${port.port}→${target}`;
};

/**
 * The Service's ports against the Gateway resources that select the gateway: a server port no
 * Service port covers (Istio's analyzer IST0162: the server's port must be a TCP Service port or
 * the number of its targetPort, pooled over every Service selecting the pods), and a Service port no
 * server uses (the gateway opens no listener for it). The health port 15021 is never "unused".
 */
export function crossCheck(ports: readonly ServicePort[], ctx: GatewayPortContext): PortFinding[] {
  const out: PortFinding[] = [];
  const pooled = [...ports, ...ctx.siblingPorts.flatMap((s) => s.ports)].filter(isTcp);
  const offered = new Set<number>();
  for (const port of pooled) {
    offered.add(port.port);
    const target = numericTarget(port);
    if (target !== undefined) offered.add(target);
  }
  const listing = ports.filter(isTcp).map(short).join(', ') || 'no TCP ports';
  for (const gateway of ctx.gateways) {
    const ref = `${gateway.namespace}/${gateway.name}`;
    const missing = new Map<number, string>();
    for (const server of gateway.servers) if (!offered.has(server.port) && !missing.has(server.port)) missing.set(server.port, server.protocol);
    for (const [serverPort, protocol] of missing) {
      out.push(
        finding('gateway-port-missing', 'error', `${ref}:${serverPort}`, `Gateway ${ref} has a server on port ${serverPort}, which is not a port of Service ${ctx.service} (${listing}): no traffic reaches it (Istio analyzer IST0162)`, {
          gateway: ref,
          serverPort,
          fix: `add port ${serverPort} to the Service (e.g. name ${suggestedName(protocol, serverPort)}), or move the server to a port the Service has`,
        }),
      );
    }
  }
  const served = new Set(ctx.gateways.flatMap((g) => g.servers.map((s) => s.port)));
  for (const port of ports) {
    if (!isTcp(port) || port.port === HEALTH_PORT || port.name === 'status-port') continue;
    const target = numericTarget(port);
    if (served.has(port.port) || (target !== undefined && served.has(target))) continue;
    const subject = portSubject(port);
    out.push(
      finding('port-unused', 'info', subject, `no Gateway resource selecting this gateway has a server on port ${port.port} (${subject}): the gateway opens no listener for it, so connections to it are refused`, {
        port: subject,
        fix: `add a server on port ${port.port} to a Gateway whose selector matches the gateway's pods`,
      }),
    );
  }
  return out;
}

/** What stops working when a port the mesh relies on disappears from the gateway's Service. */
export function criticalPorts(kind: GatewayKind): Map<number, string> {
  const ports = new Map<number, string>([
    [HEALTH_PORT, 'the health port: cloud load balancers and external health checks probe /healthz/ready on it through the Service; without it they mark every gateway node unhealthy and stop sending traffic to the gateway'],
  ]);
  if (kind === 'east-west') {
    ports.set(15443, 'cross-network traffic: workloads on other networks reach services here through 15443 (AUTO_PASSTHROUGH mTLS); without it every cross-network request fails');
    ports.set(15012, "istiod for remote clusters: their proxies fetch configuration and certificates from istiod through 15012; without it they get no new configuration and their certificates expire");
    ports.set(15017, "istiod's webhooks for remote clusters: their API servers call sidecar injection and config validation through 15017; without it pod creation in injected namespaces fails there");
  }
  return ports;
}

/**
 * Critical ports the edit removes or points elsewhere (a different port number or targetPort): each
 * needs an explicit confirmation, and says what breaks.
 */
export function criticalChanges(before: readonly ServicePort[], after: readonly ServicePort[], kind: GatewayKind): PortFinding[] {
  const out: PortFinding[] = [];
  for (const [number, breaks] of criticalPorts(kind)) {
    const old = before.find((p) => p.port === number && isTcp(p));
    if (!old) continue;
    const kept = after.find((p) => p.port === number && isTcp(p));
    const target = (p: ServicePort) => p.targetPort ?? p.port;
    if (kept && target(kept) === target(old)) continue;
    const what = kept ? `sends port ${number} to ${target(kept)} instead of ${target(old)}` : `removes port ${number} (${old.name ?? 'unnamed'})`;
    out.push(
      finding('critical-port', 'error', String(number), `this change ${what}, which breaks ${breaks}`, {
        port: portSubject(old),
        breaks,
        fix: 'confirm explicitly (--confirm-critical) only if nothing depends on it any more',
      }),
    );
  }
  return out;
}
