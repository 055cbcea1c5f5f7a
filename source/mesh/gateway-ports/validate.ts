import type { GatewayPortContext, PortFinding, PortFindingCode, ServicePort, Severity } from './types.js';
import { isIstioChartName, isKnownAppProtocol, nameProtocol, portNameProblem, targetPortNameProblem } from './names.js';

/** Ports Envoy and istio-agent use for themselves; declaring them says nothing about traffic ports. */
const PROXY_ADMIN_PORTS = new Set([15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090]);
const L4_PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);

/** The port's identity in findings and forms: its name, else its number. */
export function portSubject(port: ServicePort): string {
  return port.name || String(port.port);
}

/** `http2 80→8080/TCP nodePort 31380`, as plans and tables show a port. */
export function portLabel(port: ServicePort): string {
  const target = port.targetPort ?? port.port;
  const numbers = target === port.port ? `${port.port}` : `${port.port}→${target}`;
  const extras = [port.appProtocol ? `appProtocol ${port.appProtocol}` : '', port.nodePort !== undefined ? `nodePort ${port.nodePort}` : ''].filter(Boolean);
  return [port.name ?? '(unnamed)', `${numbers}/${port.protocol ?? 'TCP'}`, ...extras].join(' ');
}

export function finding(code: PortFindingCode, severity: Severity, subject: string, message: string, extra: Partial<PortFinding> = {}): PortFinding {
  return { code, severity, key: `${code}:${subject}`, message, ...extra };
}

const validPort = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;

/**
 * Checks a Service's ports as a whole and one by one: names (Kubernetes' rules and Istio's protocol
 * prefixes), port and targetPort ranges, whether the proxy can listen on the targetPort, duplicates,
 * and node ports. `strict` names the ports being edited: a name without a protocol prefix is an error
 * for them, and only a warning for ports that are already there.
 */
export function validatePorts(ports: readonly ServicePort[], ctx: GatewayPortContext, strict: ReadonlySet<string> = new Set()): PortFinding[] {
  const out: PortFinding[] = [];
  const names = new Map<string, number>();
  const numbers = new Map<string, string>();
  const nodePorts = new Map<number, string>();
  ports.forEach((port, index) => {
    const subject = portSubject(port);
    const at = `spec.ports[${port.name ?? index}]`;
    const edited = strict.has(subject);
    if (!port.name) {
      if (ports.length > 1) out.push(finding('port-name-missing', 'error', subject, `port ${port.port} has no name; a Service with several ports must name each one`, { port: subject, field: `${at}.name`, fix: 'name it after its protocol, e.g. tcp-' + port.port }));
    } else {
      const problem = portNameProblem(port.name);
      if (problem) out.push(finding('port-name-invalid', 'error', subject, `port name "${port.name}" ${problem}`, { port: subject, field: `${at}.name` }));
      if (names.has(port.name)) out.push(finding('port-name-duplicate', 'error', subject, `two ports are named "${port.name}"; names must be unique within the Service`, { port: subject, field: `${at}.name` }));
      names.set(port.name, index);
      out.push(...protocolName(port, subject, at, edited));
    }
    if (!validPort(port.port)) out.push(finding('port-range', 'error', subject, `port ${String(port.port)} of ${subject} is outside 1-65535`, { port: subject, field: `${at}.port` }));
    const protocol = (port.protocol ?? 'TCP').toUpperCase();
    if (!L4_PROTOCOLS.has(protocol)) out.push(finding('protocol-invalid', 'error', subject, `protocol "${port.protocol}" of ${subject} is not TCP, UDP or SCTP`, { port: subject, field: `${at}.protocol` }));
    else if (protocol !== 'TCP') out.push(finding('protocol-udp', 'warning', subject, `${subject} is ${protocol}: Istio gateways proxy TCP only, so nothing on ${port.port}/${protocol} goes through Envoy`, { port: subject, field: `${at}.protocol` }));
    const numberKey = `${port.port}/${protocol}`;
    const holder = numbers.get(numberKey);
    if (holder !== undefined) out.push(finding('port-duplicate', 'error', subject, `port ${port.port}/${protocol} is already taken by ${holder}; a Service cannot expose it twice`, { port: subject, field: `${at}.port` }));
    else numbers.set(numberKey, subject);
    out.push(...targetPortChecks(port, subject, at, ctx));
    if (port.nodePort !== undefined) out.push(...nodePortChecks(port, subject, at, ctx, nodePorts));
  });
  const wantsNodePorts = ports.some((p) => p.nodePort !== undefined && strict.has(portSubject(p)));
  if (wantsNodePorts && ctx.nodePortsInUse === undefined) {
    out.push(finding('node-ports-unknown', 'info', ctx.service, "the cluster's other Services could not be listed, so node ports were not checked against them (the API server still refuses one in use)"));
  }
  return out;
}

function protocolName(port: ServicePort, subject: string, at: string, edited: boolean): PortFinding[] {
  const name = port.name!;
  if (port.appProtocol) {
    if (isKnownAppProtocol(port.appProtocol)) return [];
    return [finding('app-protocol-unknown', 'warning', subject, `appProtocol "${port.appProtocol}" of ${name} is not one Istio knows; it treats the port as plain TCP`, { port: subject, field: `${at}.appProtocol`, fix: 'use http, http2, https, grpc, tcp, tls, ... or kubernetes.io/h2c' })];
  }
  if (nameProtocol(name) || isIstioChartName(name)) return [];
  const base = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'port';
  return [
    finding(
      'port-name-protocol',
      edited ? 'error' : 'warning',
      subject,
      `port name "${name}" does not start with a protocol Istio knows (http-, http2-, https-, grpc-, grpc-web-, tcp-, tls-, udp-, mongo-, mysql-, redis-) and the port has no appProtocol, so Istio cannot tell what it carries`,
      { port: subject, field: `${at}.name`, fix: `name it like tcp-${base} or https-${base}, or set appProtocol` },
    ),
  ];
}

function targetPortChecks(port: ServicePort, subject: string, at: string, ctx: GatewayPortContext): PortFinding[] {
  const target = port.targetPort ?? port.port;
  const field = `${at}.targetPort`;
  if (typeof target === 'string') {
    const problem = targetPortNameProblem(target);
    if (problem) return [finding('target-port-name-unknown', 'error', subject, `targetPort "${target}" of ${subject} ${problem}`, { port: subject, field })];
    if (ctx.containerPorts.length > 0 && !ctx.containerPorts.some((c) => c.name === target)) {
      const declared = ctx.containerPorts.filter((c) => c.name).map((c) => c.name).join(', ') || 'none';
      return [finding('target-port-name-unknown', 'error', subject, `targetPort "${target}" of ${subject} names no port of the gateway container (its named ports: ${declared}); the endpoints get no port and traffic to ${port.port} is dropped`, { port: subject, field, fix: 'use the port number the gateway listens on' })];
    }
    return [];
  }
  if (!validPort(target)) return [finding('target-port-range', 'error', subject, `targetPort ${String(target)} of ${subject} is outside 1-65535`, { port: subject, field })];
  const out: PortFinding[] = [];
  const lowest = ctx.lowestBindablePort;
  if (lowest !== undefined && target < lowest) {
    const suggestion = port.port === 80 ? 8080 : port.port === 443 ? 8443 : undefined;
    out.push(
      finding(
        'target-port-privileged',
        'error',
        subject,
        `${ctx.workload ?? 'the gateway'} runs Envoy as a non-root user, which cannot listen on ${target} (below ${lowest}) without net.ipv4.ip_unprivileged_port_start=0 or NET_BIND_SERVICE; Istio's charts map 80→8080 and 443→8443 for this reason`,
        { port: subject, field, fix: suggestion ? `use targetPort ${suggestion}` : 'use a targetPort of 1024 or above' },
      ),
    );
  }
  const declared = ctx.containerPorts.filter((c) => !PROXY_ADMIN_PORTS.has(c.containerPort));
  if (declared.length > 0 && !ctx.containerPorts.some((c) => c.containerPort === target) && target !== 15021) {
    out.push(
      finding(
        'target-port-not-declared',
        'warning',
        subject,
        `targetPort ${target} of ${subject} is not a port ${ctx.workload ?? 'the gateway container'} declares (${ctx.containerPorts.map((c) => c.containerPort).join(', ')}); Envoy still listens on it once a Gateway server uses port ${port.port}, but check that ${target} is the port you meant`,
        { port: subject, field },
      ),
    );
  }
  return out;
}

function nodePortChecks(port: ServicePort, subject: string, at: string, ctx: GatewayPortContext, seen: Map<number, string>): PortFinding[] {
  const nodePort = port.nodePort!;
  const field = `${at}.nodePort`;
  if (ctx.serviceType !== 'NodePort' && ctx.serviceType !== 'LoadBalancer') {
    return [finding('node-port-type', 'error', subject, `${ctx.service} is of type ${ctx.serviceType}, which has no node ports; nodePort ${nodePort} cannot be set`, { port: subject, field })];
  }
  const out: PortFinding[] = [];
  const { min, max } = ctx.nodePortRange;
  if (!Number.isInteger(nodePort) || nodePort < min || nodePort > max) {
    out.push(finding('node-port-range', 'error', subject, `nodePort ${nodePort} of ${subject} is outside the cluster's node port range ${min}-${max}`, { port: subject, field, fix: `pick one in ${min}-${max}, or leave it out and Kubernetes picks a free one` }));
  }
  const twin = seen.get(nodePort);
  if (twin !== undefined) out.push(finding('node-port-duplicate', 'error', subject, `nodePort ${nodePort} is given to both ${twin} and ${subject}`, { port: subject, field }));
  else seen.set(nodePort, subject);
  const holder = ctx.nodePortsInUse?.[String(nodePort)];
  if (holder !== undefined) {
    out.push(finding('node-port-in-use', 'error', subject, `nodePort ${nodePort} is already used by Service ${holder}`, { port: subject, field, fix: 'pick another node port, or leave it out and Kubernetes picks a free one' }));
  }
  return out;
}
