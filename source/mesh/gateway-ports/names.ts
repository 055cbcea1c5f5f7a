// Naming rules for Service ports: Kubernetes' (DNS-1123 labels, IANA service names for named
// target ports) and Istio's protocol selection (`<protocol>[-<suffix>]` names, or appProtocol).

/** Protocols Istio reads from a port name's first segment (pkg/config/protocol). */
export const ISTIO_NAME_PROTOCOLS = ['http', 'http2', 'https', 'grpc', 'grpc-web', 'tcp', 'tls', 'udp', 'mongo', 'mysql', 'redis'] as const;

/** appProtocol values Istio understands: its own protocols and Kubernetes' standard ones. */
const APP_PROTOCOLS = new Set<string>([...ISTIO_NAME_PROTOCOLS, 'kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss']);

/** Names Istio's own charts give gateway ports that carry no routed traffic. */
const ISTIO_CHART_NAMES = new Set(['status-port']);

/** Why a Service port name is not a DNS-1123 label, or undefined when it is one. */
export function portNameProblem(name: string): string | undefined {
  if (name.length > 63) return `is ${name.length} characters long; a Service port name has at most 63`;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) return 'must be lower-case letters, digits and "-", starting and ending with a letter or digit (a DNS-1123 label)';
  return undefined;
}

/** Why a named targetPort is not an IANA service name (what container port names are), or undefined. */
export function targetPortNameProblem(name: string): string | undefined {
  if (name.length > 15) return `is ${name.length} characters long; a container port name has at most 15`;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.includes('--')) return 'must be lower-case letters, digits and single "-" (an IANA service name)';
  if (!/[a-z]/.test(name)) return 'must contain at least one letter';
  return undefined;
}

/**
 * The protocol Istio selects from a port name (`http2`, `tcp-db`, `grpc-web-x`), or undefined when the
 * name does not start with one. Istio matches case-insensitively; Kubernetes names are lower case anyway.
 */
export function nameProtocol(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower === 'grpc-web' || lower.startsWith('grpc-web-')) return 'grpc-web';
  const first = lower.split('-')[0]!;
  return (ISTIO_NAME_PROTOCOLS as readonly string[]).includes(first) ? first : undefined;
}

export function isKnownAppProtocol(value: string): boolean {
  return APP_PROTOCOLS.has(value.toLowerCase());
}

export function isIstioChartName(name: string): boolean {
  return ISTIO_CHART_NAMES.has(name);
}

/** A port name following Istio's convention for a Gateway server protocol: `tcp-31400`, `https-8443`. */
export function suggestedName(serverProtocol: string, port: number): string {
  const protocol = serverProtocol.toLowerCase();
  const prefix = (ISTIO_NAME_PROTOCOLS as readonly string[]).includes(protocol) ? protocol : 'tcp';
  return `${prefix}-${port}`;
}
