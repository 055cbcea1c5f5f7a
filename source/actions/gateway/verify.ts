import { KubeRequestError } from '../../kube/errors.js';
import { normalize, portLabel, servicePortsOf, type ServicePort } from '../../mesh/gateway-ports/index.js';
import type { KubeObject } from '../../kube/types.js';
import { selectorQuery, servicePath } from './live-state.js';
import type { GatewayPortPlan, Json, KubeApi } from './types.js';

export interface PortCheck {
  what: 'service' | 'endpoints' | 'gateway';
  ok: boolean;
  message: string;
}

export interface PortVerifyReport {
  ok: boolean;
  checks: PortCheck[];
}

export interface VerifyOptions {
  /** How long to wait for the endpoints to catch up (default 60 s). */
  timeoutMs?: number;
  pollMs?: number;
  onWaiting?: (message: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const key = (p: ServicePort) => p.name ?? String(p.port);

/** Whether the live Service, its endpoints and the planned Gateways are as the plan leaves them; once. */
export async function checkPlanOnce(api: KubeApi, plan: GatewayPortPlan): Promise<PortVerifyReport> {
  const checks: PortCheck[] = [];
  const { namespace, name, service } = { ...plan.gateway };
  const object = await api.requestJson<KubeObject>(servicePath(namespace, name));
  const live = servicePortsOf(object);
  const wrong: string[] = [];
  for (const want of plan.after) {
    const have = live.find((p) => key(p) === key(want));
    if (!have) wrong.push(`${key(want)} is missing`);
    else if (!samePort(have, want)) wrong.push(`${key(want)} is ${portLabel(have)}, not ${portLabel(want)}`);
  }
  for (const gone of plan.before.filter((p) => !plan.after.some((q) => key(q) === key(p)))) {
    if (live.some((p) => key(p) === key(gone))) wrong.push(`${key(gone)} is still there`);
  }
  checks.push(
    wrong.length === 0
      ? { what: 'service', ok: true, message: `Service ${service} has the planned ports: ${live.map(portLabel).join(', ')}` }
      : { what: 'service', ok: false, message: `Service ${service} is not as planned: ${wrong.join('; ')}` },
  );
  checks.push(await endpointsCheck(api, plan, live));
  for (const step of plan.steps.filter((s) => s.object === 'gateway')) {
    const gateway = await api.requestJson<{ spec?: { servers?: Json[] } }>(step.path).catch(() => undefined);
    const want = JSON.stringify((step.patch?.['spec'] as Json | undefined)?.['servers']);
    const ok = gateway !== undefined && JSON.stringify(gateway.spec?.servers) === want;
    checks.push({ what: 'gateway', ok, message: ok ? `${step.target} has the planned servers` : `${step.target} does not have the planned servers` });
  }
  return { ok: checks.every((c) => c.ok), checks };
}

/**
 * Waits until the Service has the planned ports and its endpoints list every port with at least one
 * ready address (or the time is up), then reports what it saw.
 */
export async function verifyPortPlan(api: KubeApi, plan: GatewayPortPlan, options: VerifyOptions = {}): Promise<PortVerifyReport> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const report = await checkPlanOnce(api, plan);
    if (report.ok || Date.now() >= deadline) return report;
    options.onWaiting?.(report.checks.filter((c) => !c.ok).map((c) => c.message).join('; '));
    await sleep(options.pollMs ?? 500);
  }
}

function samePort(have: ServicePort, want: ServicePort): boolean {
  const a = normalize(have);
  const b = normalize(want);
  // A node port the plan left out is Kubernetes' to pick.
  if (b.nodePort === undefined) delete a.nodePort;
  return JSON.stringify(a) === JSON.stringify(b);
}

interface EndpointView {
  ports: { name: string; port: number }[];
  ready: number;
  total: number;
}

async function endpointsCheck(api: KubeApi, plan: GatewayPortPlan, live: ServicePort[]): Promise<PortCheck> {
  const { namespace, name, service } = plan.gateway;
  const view = await readEndpoints(api, namespace, name);
  if (!view) return { what: 'endpoints', ok: false, message: `Service ${service} has no endpoints yet` };
  const missing = live.filter((p) => !view.ports.some((e) => e.name === (p.name ?? '')));
  const stale = plan.before.filter((p) => !plan.after.some((q) => key(q) === key(p))).filter((p) => view.ports.some((e) => e.name === (p.name ?? '')));
  const problems = [
    ...(missing.length > 0 ? [`no endpoint port for ${missing.map(key).join(', ')} yet`] : []),
    ...(stale.length > 0 ? [`the endpoints still list ${stale.map(key).join(', ')}`] : []),
    ...(view.ready === 0 ? [`none of ${view.total} endpoint address${view.total === 1 ? ' is' : 'es are'} ready${view.total === 0 ? ' (no pods selected?)' : ''}`] : []),
  ];
  if (problems.length > 0) return { what: 'endpoints', ok: false, message: `endpoints of ${service}: ${problems.join('; ')}` };
  const ports = view.ports.map((p) => `${p.name || '(unnamed)'}→${p.port}`).join(', ');
  return { what: 'endpoints', ok: true, message: `endpoints of ${service}: ${view.ready} of ${view.total} address${view.total === 1 ? '' : 'es'} ready on ${ports}` };
}

/** The Service's endpoints from its EndpointSlices, else from its Endpoints object. */
async function readEndpoints(api: KubeApi, namespace: string, name: string): Promise<EndpointView | undefined> {
  try {
    const slices = await api.requestJson<{ items: Json[] }>(`/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/endpointslices?${selectorQuery({ 'kubernetes.io/service-name': name })}`);
    if (slices.items.length > 0) {
      const view: EndpointView = { ports: [], ready: 0, total: 0 };
      for (const slice of slices.items) {
        for (const port of (slice['ports'] as Json[] | undefined) ?? []) view.ports.push({ name: String(port['name'] ?? ''), port: Number(port['port']) });
        for (const endpoint of (slice['endpoints'] as Json[] | undefined) ?? []) {
          view.total++;
          if ((endpoint['conditions'] as Json | undefined)?.['ready'] !== false) view.ready++;
        }
      }
      return view;
    }
  } catch (error) {
    if (!(error instanceof KubeRequestError && (error.status === 404 || error.status === 403))) throw error;
  }
  try {
    const endpoints = await api.requestJson<{ subsets?: Json[] }>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/endpoints/${encodeURIComponent(name)}`);
    const view: EndpointView = { ports: [], ready: 0, total: 0 };
    for (const subset of endpoints.subsets ?? []) {
      for (const port of (subset['ports'] as Json[] | undefined) ?? []) view.ports.push({ name: String(port['name'] ?? ''), port: Number(port['port']) });
      const ready = ((subset['addresses'] as unknown[] | undefined) ?? []).length;
      view.ready += ready;
      view.total += ready + ((subset['notReadyAddresses'] as unknown[] | undefined) ?? []).length;
    }
    return view;
  } catch (error) {
    if (error instanceof KubeRequestError && error.status === 404) return undefined;
    throw error;
  }
}
