import { applyPortEdit, gatewayServersOf, normalize, portLabel, validateEdit, type PortEdit, type PortFinding, type ServicePort } from '../../mesh/gateway-ports/index.js';
import { liveGatewayKind, portContext, type ContextOptions } from './context.js';
import { gatewayPath, readGatewayState, servicePath } from './live-state.js';
import { gatewayManagement } from './management.js';
import type { GatewayLiveState, GatewayPortPlan, Json, KubeApi, LiveGateway } from './types.js';
import { upgradeSafety } from './values.js';

export interface PortPlanOptions extends ContextOptions {
  /** Also move or drop the Gateway servers on a port the edit renumbers or removes. */
  updateGateways?: boolean;
  /** Removing or moving 15021 (and 15443/15012/15017 on east-west gateways) is confirmed. */
  confirmCritical?: boolean;
  now: Date;
}

const NETWORK_LABEL = 'topology.istio.io/network';

/** What a port edit would change: the Service's ports (and Gateway servers), as reviewable steps. */
export function planPortEdit(live: GatewayLiveState, edit: PortEdit, options: PortPlanOptions): GatewayPortPlan {
  const cluster = live.cluster;
  const service = `${live.service.namespace}/${live.service.name}`;
  const ctx = portContext(live, options);
  const kind = liveGatewayKind(live);
  // Gateway servers on a port the edit renumbers or removes follow it, when asked to.
  const moved = movedPorts(live.service.ports, applyPortEdit(live.service.ports, edit, ctx).ports);
  const changes = options.updateGateways ? live.gateways.map((gateway) => ({ gateway, change: gatewayChange(gateway, moved) })) : [];
  const gatewaysAfter = options.updateGateways
    ? live.gateways.map((g, i) => {
        const change = changes[i]!.change;
        const servers = change && change.servers.length > 0 ? change.servers : g.servers;
        return { namespace: g.namespace, name: g.name, servers: gatewayServersOf({ metadata: { name: g.name }, spec: { servers } }) };
      })
    : undefined;
  const validation = validateEdit(live.service.ports, edit, ctx, { confirmCritical: Boolean(options.confirmCritical), ...(gatewaysAfter ? { gatewaysAfter } : {}) });
  const management = gatewayManagement(live, kind);
  const pinned = new Set(edit.action === 'set' && edit.nodePort !== undefined ? [edit.name] : []);
  const upgrade = upgradeSafety({
    service,
    namespace: live.service.namespace,
    name: live.service.name,
    kind,
    networkGateway: live.service.labels[NETWORK_LABEL] !== undefined,
    ports: validation.desired,
    pinnedNodePorts: pinned,
    management,
  });
  const verb = edit.action === 'remove' ? `remove port ${edit.name} from` : `set port ${edit.name} (${edit.port}) on`;
  const plan: GatewayPortPlan = {
    kind: 'gateway-ports',
    version: 1,
    title: `${verb} ${service} in ${cluster}`,
    createdAt: options.now.toISOString(),
    cluster,
    gateway: { namespace: live.service.namespace, name: live.service.name, kind, service, ...(live.workloads[0] ? { workload: live.workloads[0].name } : {}) },
    edit,
    options: { updateGateways: Boolean(options.updateGateways), confirmCritical: Boolean(options.confirmCritical) },
    before: live.service.ports,
    after: validation.desired,
    findings: validation.findings,
    resolved: validation.resolved,
    upgrade,
    steps: [],
    blocked: [],
    notes: [],
  };
  const note = (message: string) => void plan.notes.push({ cluster, message });
  for (const { gateway, change } of changes) {
    if (change?.servers.length !== 0) continue;
    note(`Gateway ${gateway.namespace}/${gateway.name} would be left with no servers, so it is not changed; delete it if nothing needs it any more (kubectl --context ${cluster} delete gateway -n ${gateway.namespace} ${gateway.name})`);
  }
  for (const problem of validation.blocking) plan.blocked.push({ cluster, reason: blockReason(problem) });
  if (validation.unchanged || plan.blocked.length > 0) return plan;

  plan.steps.push({
    id: `${cluster}/patch-service`,
    cluster,
    verb: 'patch',
    object: 'service',
    target: `service ${service}`,
    path: servicePath(live.service.namespace, live.service.name),
    diff: portDiff(live.service.ports, validation.desired),
    undoable: true,
    precondition: { resourceVersion: live.service.resourceVersion },
    // The whole list: a merge patch replaces lists, and Kubernetes keeps node ports that are sent back.
    patch: { spec: { ports: validation.desired.map(wire) } },
    before: { summary: `${live.service.ports.length} ports (resourceVersion ${live.service.resourceVersion})` },
    after: { summary: `${validation.desired.length} ports` },
  });

  const missingAfter = validation.findings.filter((f) => f.code === 'gateway-port-missing' && f.introduced);
  for (const { gateway, change } of changes) {
    if (!change || change.servers.length === 0) continue;
    plan.steps.push({
      id: `${cluster}/patch-gateway-${gateway.namespace}-${gateway.name}`,
      cluster,
      verb: 'patch',
      object: 'gateway',
      target: `gateway ${gateway.namespace}/${gateway.name}`,
      path: gatewayPath(gateway.apiVersion, gateway.namespace, gateway.name),
      diff: change.diff,
      undoable: true,
      precondition: { resourceVersion: gateway.resourceVersion },
      patch: { spec: { servers: change.servers } },
      before: { summary: `${gateway.servers.length} servers` },
      after: { summary: `${change.servers.length} servers` },
    });
  }
  if (missingAfter.length > 0) {
    note(`after this change ${missingAfter.map((f) => `Gateway ${f.gateway} port ${f.serverPort}`).join(', ')} no longer ${missingAfter.length === 1 ? 'matches a Service port' : 'match Service ports'} (IST0162) and stop${missingAfter.length === 1 ? 's' : ''} receiving traffic`);
  }
  for (const f of validation.resolved.filter((r) => r.code === 'gateway-port-missing')) note(`fixes: ${f.message}`);
  if (upgrade.warning) note(upgrade.warning);
  if (live.pods.length === 0) note('no pods are selected by the Service, so verify cannot see ready endpoints');
  plan.steps.push({
    id: `${cluster}/verify`,
    cluster,
    verb: 'verify',
    object: 'endpoints',
    target: `endpoints ${service}`,
    path: servicePath(live.service.namespace, live.service.name),
    diff: [],
    undoable: false,
    before: { summary: `${live.pods.filter((p) => p.ready).length} of ${live.pods.length} gateway pods ready` },
    after: { summary: 'the Service has the new ports and its endpoints list them with ready addresses' },
  });
  return plan;
}

/**
 * After a conflict: reads the gateway again and plans the same edit, with the same choices, against
 * what is there now, so the user reviews the new diff instead of having the other edit overwritten.
 */
export async function planAgain(api: KubeApi, plan: GatewayPortPlan, options: ContextOptions & { now: Date }): Promise<GatewayPortPlan> {
  const live = await readGatewayState(plan.cluster, api, { namespace: plan.gateway.namespace, name: plan.gateway.name });
  return planPortEdit(live, plan.edit, { ...options, ...plan.options });
}

function blockReason(problem: PortFinding): string {
  if (problem.code === 'critical-port') return `${problem.message}; pass --confirm-critical to do it anyway`;
  if (problem.code === 'gateway-port-missing') return `${problem.message}; pass --update-gateways to move or drop that server too, or --confirm-critical to cut it off anyway`;
  return problem.fix ? `${problem.message} (${problem.fix})` : problem.message;
}

/** A port as sent to the API server: every field spelled out, nothing meshdeck does not own. */
function wire(port: ServicePort): Json {
  return { ...normalize(port) } as Json;
}

/** `- old` / `+ new` lines for the ports that differ, matched by name. */
export function portDiff(before: readonly ServicePort[], after: readonly ServicePort[]): string[] {
  const lines: string[] = [];
  const key = (p: ServicePort) => p.name ?? String(p.port);
  const same = (a: ServicePort, b: ServicePort) => JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
  for (const old of before) {
    const now = after.find((p) => key(p) === key(old));
    if (!now) lines.push(`- ${portLabel(old)}`);
    else if (!same(old, now)) lines.push(`- ${portLabel(old)}`, `+ ${portLabel(now)}`);
  }
  for (const port of after) if (!before.some((p) => key(p) === key(port))) lines.push(`+ ${portLabel(port)}`);
  return lines;
}

/** Service port numbers the edit renumbers (old → new) or removes (old → undefined). */
function movedPorts(before: readonly ServicePort[], after: readonly ServicePort[]): Map<number, number | undefined> {
  const out = new Map<number, number | undefined>();
  const offered = new Set(after.flatMap((p) => [p.port, ...(typeof p.targetPort === 'number' ? [p.targetPort] : [])]));
  for (const old of before) {
    if (offered.has(old.port)) continue;
    const now = after.find((p) => p.name !== undefined && p.name === old.name);
    out.set(old.port, now?.port);
  }
  return out;
}

function serverLine(server: Json): string {
  const port = (server['port'] as Json | undefined) ?? {};
  const hosts = ((server['hosts'] as string[] | undefined) ?? []).join(', ');
  return `server ${String(port['number'])}/${String(port['protocol'] ?? '')}${port['name'] ? ` ${String(port['name'])}` : ''} hosts ${hosts || '-'}`;
}

function gatewayChange(gateway: LiveGateway, moved: Map<number, number | undefined>): { servers: Json[]; diff: string[] } | undefined {
  const diff: string[] = [];
  const servers: Json[] = [];
  for (const server of gateway.servers) {
    const port = (server['port'] as Json | undefined) ?? {};
    const number = Number(port['number']);
    if (!moved.has(number)) {
      servers.push(server);
      continue;
    }
    const to = moved.get(number);
    diff.push(`- ${serverLine(server)}`);
    if (to === undefined) continue;
    const next = { ...server, port: { ...port, number: to } };
    diff.push(`+ ${serverLine(next)}`);
    servers.push(next);
  }
  return diff.length > 0 ? { servers, diff } : undefined;
}
