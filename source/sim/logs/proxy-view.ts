import type { JsonObject, KubeObject } from '../objects.js';
import type { ObjectStore } from '../store/object-store.js';
import { K } from '../controllers/kinds.js';
import { findResource } from '../resources/registry.js';
import { matcherFromServiceSelector } from '../selectors.js';

/** What kind of Envoy an `istio-proxy` container is. */
export type ProxyRole = 'sidecar' | 'ingress' | 'eastwest' | 'egress';

export type PortKind = 'http' | 'http2' | 'grpc' | 'tcp' | 'tls';

export interface PortView {
  name: string;
  port: number;
  targetPort: number;
  kind: PortKind;
}

export interface ServiceView {
  name: string;
  namespace: string;
  clusterIP: string;
  ports: PortView[];
  /** Ready endpoint addresses; empty means Envoy has no healthy upstream. */
  endpoints: string[];
}

/** An ingress route from a VirtualService bound to a gateway. */
export interface RouteView {
  /** The Host the client sends (`*` becomes the gateway's external address). */
  host: string;
  service: ServiceView;
  port: PortView;
  routeName?: string;
}

/** A proxy's view of the mesh, taken from the cluster's objects; access-log lines are drawn from it. */
export interface ProxyView {
  role: ProxyRole;
  podName: string;
  namespace: string;
  podIP: string;
  /** The proxy's Istio version (from the proxyv2 image tag). */
  version: string;
  /** Services that select this pod: the inbound side of a sidecar. */
  inbound: ServiceView[];
  /** Services this proxy sends requests to. */
  outbound: ServiceView[];
  /** Addresses of workloads that call in. */
  callers: string[];
  /** Ingress routes (ingress gateways only). */
  routes: RouteView[];
  /** The gateway's load-balancer address, when it has one. */
  externalAddress?: string;
  /** East-west gateways of a cluster that runs istiod expose it to remote proxies (15012) and API servers (15017). */
  istiod?: ServiceView;
}

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'istio-system']);
const TCP_PORTS = new Set([3306, 5432, 6379, 9042, 9092, 11211, 27017]);
const MAX_PEERS = 40;
const MAX_CALLERS = 24;
const DEFAULT_VERSION = '1.24.3';

export function isProxyContainer(pod: KubeObject, container: string): boolean {
  return container === 'istio-proxy' && containerNames(pod).includes('istio-proxy');
}

export function proxyRole(pod: KubeObject): ProxyRole {
  const labels = pod.metadata.labels ?? {};
  const istio = labels['istio'] ?? '';
  const name = pod.metadata.name ?? '';
  if (istio === 'eastwestgateway' || name.includes('eastwestgateway')) return 'eastwest';
  if (istio === 'egressgateway' || name.includes('egressgateway')) return 'egress';
  if (istio === 'ingressgateway' || labels['gateway.networking.k8s.io/gateway-name'] || containerNames(pod).every((c) => c === 'istio-proxy')) return 'ingress';
  return 'sidecar';
}

export function buildProxyView(store: ObjectStore, pod: KubeObject): ProxyView {
  const namespace = pod.metadata.namespace ?? 'default';
  const role = proxyRole(pod);
  const podIP = String((pod['status'] as JsonObject | undefined)?.['podIP'] ?? '10.0.0.1');
  const services = meshServices(store);
  const labels = pod.metadata.labels ?? {};
  const selecting = store
    .list(K.services, namespace)
    .filter((service) => matcherFromServiceSelector(((service['spec'] as JsonObject | undefined)?.['selector'] as Record<string, string> | undefined) ?? {})(labels));
  const inbound = role === 'sidecar' ? selecting.map((service) => serviceView(store, service)).filter((s) => s.ports.length > 0) : [];
  const own = new Set(inbound.map((s) => `${s.namespace}/${s.name}`));
  const outbound = services
    .filter((s) => !own.has(`${s.namespace}/${s.name}`))
    // Own namespace first, as most calls stay there; then the rest of the mesh.
    .sort((a, b) => Number(b.namespace === namespace) - Number(a.namespace === namespace))
    .slice(0, MAX_PEERS);
  const callers = [...new Set(services.filter((s) => !own.has(`${s.namespace}/${s.name}`)).flatMap((s) => s.endpoints))].filter((ip) => ip !== podIP).slice(0, MAX_CALLERS);
  const view: ProxyView = { role, podName: pod.metadata.name ?? '', namespace, podIP, version: proxyVersion(pod), inbound, outbound, callers, routes: [] };
  const external = externalAddress(selecting);
  if (external) view.externalAddress = external;
  if (role === 'ingress') view.routes = ingressRoutes(store, services);
  if (role === 'eastwest') {
    // Only where istiod runs: a remote's `istiod` Service points at its primary instead.
    const runsIstiod = store.list(K.pods, 'istio-system').some((p) => p.metadata.labels?.['app'] === 'istiod');
    const istiod = store.get(K.services, 'istio-system', 'istiod');
    if (runsIstiod && istiod) view.istiod = serviceView(store, istiod);
  }
  return view;
}

/** Services of the mesh: namespaces marked for injection, or every application namespace when none is. */
function meshServices(store: ObjectStore): ServiceView[] {
  const namespaces = store.list(K.namespaces);
  const injected = namespaces.filter((ns) => {
    const labels = ns.metadata.labels ?? {};
    return labels['istio-injection'] === 'enabled' || (labels['istio.io/rev'] !== undefined && labels['istio-injection'] !== 'disabled');
  });
  const chosen = (injected.length > 0 ? injected : namespaces).map((ns) => ns.metadata.name!).filter((name) => !SYSTEM_NAMESPACES.has(name));
  const out: ServiceView[] = [];
  for (const namespace of chosen) {
    for (const service of store.list(K.services, namespace)) {
      const spec = (service['spec'] as JsonObject | undefined) ?? {};
      if (spec['type'] === 'ExternalName' || spec['clusterIP'] === 'None') continue;
      if (namespace === 'default' && service.metadata.name === 'kubernetes') continue;
      const view = serviceView(store, service);
      if (view.ports.length > 0) out.push(view);
    }
  }
  return out;
}

function serviceView(store: ObjectStore, service: KubeObject): ServiceView {
  const spec = (service['spec'] as JsonObject | undefined) ?? {};
  const namespace = service.metadata.namespace ?? 'default';
  const endpoints = store.get(K.endpoints, namespace, service.metadata.name!);
  const subsets = (endpoints?.['subsets'] as JsonObject[] | undefined) ?? [];
  const addresses = subsets.flatMap((subset) => ((subset['addresses'] as JsonObject[] | undefined) ?? []).map((a) => String(a['ip'])));
  const endpointPorts = subsets.flatMap((subset) => (subset['ports'] as JsonObject[] | undefined) ?? []);
  const ports = ((spec['ports'] as JsonObject[] | undefined) ?? []).map((port, index): PortView => {
    const number = Number(port['port']);
    const name = String(port['name'] ?? '');
    const resolved = endpointPorts.find((p) => String(p['name'] ?? '') === name) ?? endpointPorts[index];
    const target = typeof port['targetPort'] === 'number' ? port['targetPort'] : Number(resolved?.['port'] ?? number);
    return { name, port: number, targetPort: Number.isFinite(target) && target > 0 ? target : number, kind: portKind(name, String(port['appProtocol'] ?? ''), number) };
  });
  return { name: service.metadata.name!, namespace, clusterIP: String(spec['clusterIP'] ?? '10.96.0.1'), ports, endpoints: addresses };
}

/** Istio's protocol selection: appProtocol, then the port name's prefix, then the port number. */
function portKind(name: string, appProtocol: string, port: number): PortKind {
  const protocol = (appProtocol || name.split('-')[0] || '').toLowerCase();
  if (protocol === 'grpc' || protocol === 'grpc-web') return 'grpc';
  if (protocol === 'http2' || protocol === 'h2c') return 'http2';
  if (protocol === 'http') return 'http';
  if (protocol === 'https' || protocol === 'tls') return 'tls';
  if (['tcp', 'mongo', 'mysql', 'redis'].includes(protocol)) return 'tcp';
  return TCP_PORTS.has(port) ? 'tcp' : 'http';
}

function ingressRoutes(store: ObjectStore, services: ServiceView[]): RouteView[] {
  const def = findResource('networking.istio.io', 'virtualservices');
  if (!def) return [];
  const routes: RouteView[] = [];
  for (const vs of store.list(def)) {
    const spec = (vs['spec'] as JsonObject | undefined) ?? {};
    const gateways = ((spec['gateways'] as string[] | undefined) ?? []).filter((g) => g !== 'mesh');
    if (gateways.length === 0) continue;
    const hosts = (spec['hosts'] as string[] | undefined) ?? ['*'];
    for (const http of (spec['http'] as JsonObject[] | undefined) ?? []) {
      for (const route of (http['route'] as JsonObject[] | undefined) ?? []) {
        const destination = (route['destination'] as JsonObject | undefined) ?? {};
        const service = resolveHost(String(destination['host'] ?? ''), vs.metadata.namespace ?? 'default', services);
        if (!service) continue;
        const number = Number(((destination['port'] as JsonObject | undefined) ?? {})['number']);
        const port = service.ports.find((p) => p.port === number) ?? service.ports[0]!;
        for (const host of hosts) routes.push({ host, service, port, ...(http['name'] ? { routeName: String(http['name']) } : {}) });
      }
    }
  }
  return routes;
}

function resolveHost(host: string, namespace: string, services: ServiceView[]): ServiceView | undefined {
  const parts = host.replace(/\.svc\.cluster\.local$/, '').split('.');
  const name = parts[0];
  const ns = parts[1] ?? namespace;
  return services.find((s) => s.name === name && s.namespace === ns);
}

function externalAddress(services: KubeObject[]): string | undefined {
  for (const service of services) {
    const ingress = (((service['status'] as JsonObject | undefined)?.['loadBalancer'] as JsonObject | undefined)?.['ingress'] as JsonObject[] | undefined) ?? [];
    const address = ingress[0]?.['ip'] ?? ingress[0]?.['hostname'];
    if (typeof address === 'string') return address;
  }
  return undefined;
}

function proxyVersion(pod: KubeObject): string {
  const proxy = (((pod['spec'] as JsonObject | undefined)?.['containers'] as JsonObject[] | undefined) ?? []).find((c) => c['name'] === 'istio-proxy');
  const tag = /:(\d+\.\d+\.\d+[^@]*)/.exec(String(proxy?.['image'] ?? ''))?.[1];
  return tag?.replace(/-distroless$/, '') ?? DEFAULT_VERSION;
}

function containerNames(pod: KubeObject): string[] {
  return (((pod['spec'] as JsonObject | undefined)?.['containers'] as JsonObject[] | undefined) ?? []).map((c) => String(c['name']));
}
