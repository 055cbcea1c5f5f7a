// Gateway Service ports: pure checks of a gateway's Service ports against its pods and the Gateway
// resources that use them, and of an edit before it is applied. No I/O, no clock.
import type { GatewayPortContext, PortEdit, PortFinding, ServicePort } from './types.js';
import { validatePorts } from './validate.js';
import { criticalChanges, crossCheck } from './cross-check.js';
import { applyPortEdit } from './edit.js';

export * from './types.js';
export { validatePorts, portLabel, portSubject } from './validate.js';
export { crossCheck, criticalChanges, criticalPorts } from './cross-check.js';
export { applyPortEdit, defaultTargetPort, normalize, type EditResult } from './edit.js';
export { nameProtocol, portNameProblem, suggestedName, ISTIO_NAME_PROTOCOLS } from './names.js';

const ORDER = { error: 0, warning: 1, info: 2 } as const;
const sorted = (findings: PortFinding[]) => [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);

/** Findings on a gateway's Service ports as they are (the `ports` view): errors first. */
export function checkGatewayPorts(ports: readonly ServicePort[], ctx: GatewayPortContext): PortFinding[] {
  return sorted([...validatePorts(ports, ctx), ...crossCheck(ports, ctx)]);
}

export interface EditValidation {
  /** The ports after the edit (the current ones when the edit is refused outright). */
  desired: ServicePort[];
  /** Names of the ports the edit adds or changes. */
  changed: string[];
  removed: ServicePort[];
  /** Findings on the ports after the edit, each marked with whether the edit brings it in. */
  findings: (PortFinding & { introduced: boolean })[];
  /** Findings of the current ports that the edit clears (a Gateway port now on the Service, ...). */
  resolved: PortFinding[];
  /** What stops the edit: errors it introduces, and critical ports not confirmed. */
  blocking: PortFinding[];
  /** Critical ports the edit removes or moves (warnings once confirmed with `confirmCritical`). */
  critical: PortFinding[];
  /** The edit changes nothing. */
  unchanged: boolean;
}

export interface EditOptions {
  /** Removing or moving a critical port, or cutting off a Gateway server, is confirmed: a warning, not a block. */
  confirmCritical?: boolean;
  /** The Gateways as the plan leaves them, when it updates their servers too. */
  gatewaysAfter?: GatewayPortContext['gateways'];
}

/**
 * Validates one edit as the editor does while it is typed: applies it, checks the result, and tells
 * the problems the edit brings in (which block it) from those that were there before (which do not).
 * Removing or moving a critical port, or a port a Gateway server uses, blocks unless `confirmCritical`;
 * then it is a warning.
 */
export function validateEdit(current: readonly ServicePort[], edit: PortEdit, ctx: GatewayPortContext, options: EditOptions = {}): EditValidation {
  const result = applyPortEdit(current, edit, ctx);
  const before = checkGatewayPorts(current, ctx);
  const strict = new Set(result.changed);
  const confirm = (f: PortFinding): PortFinding => (options.confirmCritical ? { ...f, severity: 'warning' } : f);
  const critical = criticalChanges(current, result.ports, ctx.kind).map(confirm);
  const ctxAfter = options.gatewaysAfter ? { ...ctx, gateways: options.gatewaysAfter } : ctx;
  const after = sorted([...result.findings, ...critical, ...validatePorts(result.ports, ctx, strict), ...crossCheck(result.ports, ctxAfter)]);
  const previous = new Map(before.map((f) => [f.key, f]));
  const findings = after.map((f) => {
    const old = previous.get(f.key);
    const introduced = !old || ORDER[f.severity] < ORDER[old.severity];
    // A Gateway server the edit cuts off is confirmed like a critical port.
    return { ...(introduced && f.code === 'gateway-port-missing' ? confirm(f) : f), introduced };
  });
  const keys = new Set(after.map((f) => f.key));
  return {
    desired: result.ports,
    changed: result.changed,
    removed: result.removed,
    findings,
    resolved: before.filter((f) => !keys.has(f.key)),
    blocking: findings.filter((f) => f.severity === 'error' && f.introduced),
    critical,
    unchanged: result.changed.length === 0 && result.removed.length === 0,
  };
}
export { servicePortsOf, serviceSelector, serviceType, templateLabels, labelsMatch, proxyContainerOf, gatewayServersOf, gatewaySelectorOf, gatewaySelects, type ProxyContainer } from './objects.js';
