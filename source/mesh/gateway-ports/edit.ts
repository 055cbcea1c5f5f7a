import type { GatewayPortContext, PortEdit, PortFinding, ServicePort } from './types.js';
import { finding } from './validate.js';

/**
 * The targetPort a new port gets when none is given: the port itself, except 80 and 443 on a gateway
 * whose proxy cannot bind ports below 1024, which Istio's charts send to 8080 and 8443.
 */
export function defaultTargetPort(port: number, ctx: Pick<GatewayPortContext, 'lowestBindablePort'>): number {
  const lowest = ctx.lowestBindablePort ?? 0;
  if (port < lowest && port === 80) return 8080;
  if (port < lowest && port === 443) return 8443;
  return port;
}

export interface EditResult {
  /** The Service's ports after the edit. */
  ports: ServicePort[];
  /** The port the edit adds or changes (by name); empty when it changes nothing or removes. */
  changed: string[];
  removed: ServicePort[];
  /** A remove of a port the Service does not have. */
  findings: PortFinding[];
}

const same = (a: ServicePort, b: ServicePort) => JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));

/** A port as written by meshdeck: fields in a fixed order, defaults spelled out. */
export function normalize(port: ServicePort): ServicePort {
  return {
    ...(port.name !== undefined ? { name: port.name } : {}),
    port: port.port,
    targetPort: port.targetPort ?? port.port,
    ...(port.nodePort !== undefined ? { nodePort: port.nodePort } : {}),
    protocol: (port.protocol ?? 'TCP').toUpperCase(),
    ...(port.appProtocol !== undefined ? { appProtocol: port.appProtocol } : {}),
  };
}

/**
 * Applies one edit to a Service's ports. `set` changes the port of that name (fields not given keep
 * their values; a targetPort equal to the old port follows the new one) or appends a new one;
 * `remove` drops it. Nothing else moves, so the diff is the edit alone.
 */
export function applyPortEdit(current: readonly ServicePort[], edit: PortEdit, ctx: Pick<GatewayPortContext, 'lowestBindablePort' | 'service'>): EditResult {
  const index = current.findIndex((p) => p.name === edit.name);
  if (edit.action === 'remove') {
    if (index < 0) {
      const names = current.map((p) => p.name ?? String(p.port)).join(', ');
      return { ports: [...current], changed: [], removed: [], findings: [finding('port-not-found', 'error', edit.name, `Service ${ctx.service} has no port named "${edit.name}" (its ports: ${names})`, { port: edit.name })] };
    }
    return { ports: current.filter((_, i) => i !== index), changed: [], removed: [current[index]!], findings: [] };
  }
  const existing = index >= 0 ? current[index] : undefined;
  let targetPort = edit.targetPort;
  if (targetPort === undefined) {
    const oldTarget = existing?.targetPort ?? existing?.port;
    // An existing port keeps its targetPort unless it only mirrored the port number, which changes.
    targetPort = existing && (edit.port === existing.port || oldTarget !== existing.port) ? oldTarget! : defaultTargetPort(edit.port, ctx);
  }
  const nodePort = edit.nodePort ?? existing?.nodePort;
  const appProtocol = edit.appProtocol ?? existing?.appProtocol;
  const next = normalize({
    name: edit.name,
    port: edit.port,
    targetPort,
    ...(nodePort !== undefined ? { nodePort } : {}),
    protocol: edit.protocol ?? existing?.protocol ?? 'TCP',
    ...(appProtocol !== undefined ? { appProtocol } : {}),
  });
  if (existing && same(existing, next)) return { ports: [...current], changed: [], removed: [], findings: [] };
  const ports = existing ? current.map((p, i) => (i === index ? next : p)) : [...current, next];
  return { ports, changed: [edit.name], removed: [], findings: [] };
}
