import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  applyPortEdit,
  checkGatewayPorts,
  crossCheck,
  gatewayServersOf,
  gatewaySelects,
  nameProtocol,
  proxyContainerOf,
  servicePortsOf,
  validateEdit,
  validatePorts,
  type GatewayPortContext,
  type PortEdit,
  type PortFinding,
  type ServicePort,
} from '../../source/mesh/gateway-ports/index.js';
import type { KubeObject } from '../../source/mesh/types.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'analyzer');

/** The istio-ingress chart's Service, as the simulator and `istioctl install` make it. */
const INGRESS: ServicePort[] = [
  { name: 'status-port', port: 15021, targetPort: 15021, nodePort: 31021, protocol: 'TCP' },
  { name: 'http2', port: 80, targetPort: 8080, nodePort: 31080, protocol: 'TCP' },
  { name: 'https', port: 443, targetPort: 8443, nodePort: 31443, protocol: 'TCP' },
];

const EAST_WEST: ServicePort[] = [
  { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP' },
  { name: 'tls', port: 15443, targetPort: 15443, protocol: 'TCP' },
  { name: 'tls-istiod', port: 15012, targetPort: 15012, protocol: 'TCP' },
  { name: 'tls-webhook', port: 15017, targetPort: 15017, protocol: 'TCP' },
];

function context(over: Partial<GatewayPortContext> = {}): GatewayPortContext {
  return {
    service: 'istio-system/istio-ingressgateway',
    kind: 'ingress',
    serviceType: 'LoadBalancer',
    containerPorts: [15021, 8080, 8443, 15090].map((containerPort) => ({ containerPort, protocol: 'TCP' })),
    workload: 'the istio-proxy container of deployment istio-ingressgateway',
    lowestBindablePort: 1024,
    nodePortsInUse: { '30500': 'shop/web' },
    nodePortRange: { min: 30000, max: 32767 },
    gateways: [{ namespace: 'sample', name: 'httpbin-gateway', servers: [{ port: 80, name: 'http', protocol: 'HTTP', hosts: ['*'] }] }],
    siblingPorts: [],
    ...over,
  };
}

const codes = (findings: PortFinding[]) => findings.map((f) => `${f.severity} ${f.code}${f.port ? ` ${f.port}` : ''}`);

describe('Istio protocol selection from port names', () => {
  it.each([
    ['http', 'http'],
    ['http2', 'http2'],
    ['https-admin', 'https'],
    ['grpc-web', 'grpc-web'],
    ['grpc-web-ui', 'grpc-web'],
    ['grpc-api', 'grpc'],
    ['tcp-db', 'tcp'],
    ['tls-istiod', 'tls'],
    ['mongo', 'mongo'],
    ['status-port', undefined],
    ['web', undefined],
    ['httpx', undefined],
  ])('%s → %s', (name, protocol) => {
    expect(nameProtocol(name)).toBe(protocol);
  });
});

describe('validatePorts', () => {
  it('finds nothing wrong with the istio-ingress chart layout', () => {
    expect(validatePorts(INGRESS, context())).toEqual([]);
  });

  it.each<[string, ServicePort, string[]]>([
    ['a name without a protocol prefix', { name: 'web', port: 9000, targetPort: 9000 }, ['error port-name-protocol web', 'warning target-port-not-declared web']],
    ['the same name rescued by appProtocol', { name: 'web', port: 9000, targetPort: 8080, appProtocol: 'http' }, []],
    ['an appProtocol Istio does not know', { name: 'web', port: 9000, targetPort: 8080, appProtocol: 'thrift' }, ['warning app-protocol-unknown web']],
    ['an upper-case name', { name: 'TCP-DB', port: 9000, targetPort: 8080 }, ['error port-name-invalid TCP-DB']],
    ['a name with an underscore', { name: 'tcp_db', port: 9000, targetPort: 8080 }, ['error port-name-invalid tcp_db', 'error port-name-protocol tcp_db']],
    ['no name among several ports', { port: 9000, targetPort: 8080 }, ['error port-name-missing 9000']],
    ['a duplicate name', { name: 'https', port: 9443, targetPort: 8443 }, ['error port-name-duplicate https']],
    ['a duplicate port', { name: 'http-alt', port: 80, targetPort: 8080 }, ['error port-duplicate http-alt']],
    ['the same port number over UDP', { name: 'udp-dns', port: 80, targetPort: 8080, protocol: 'UDP' }, ['warning protocol-udp udp-dns']],
    ['an unknown protocol', { name: 'tcp-x', port: 9000, targetPort: 8080, protocol: 'QUIC' }, ['error protocol-invalid tcp-x']],
    ['a port out of range', { name: 'tcp-big', port: 70000, targetPort: 8080 }, ['error port-range tcp-big']],
    ['a targetPort out of range', { name: 'tcp-x', port: 9000, targetPort: 0 }, ['error target-port-range tcp-x']],
    ['a privileged targetPort Envoy cannot bind', { name: 'http-alt', port: 81, targetPort: 81 }, ['error target-port-privileged http-alt', 'warning target-port-not-declared http-alt']],
    ['a targetPort the container does not declare', { name: 'tcp-db', port: 31400, targetPort: 31400 }, ['warning target-port-not-declared tcp-db']],
    ['a named targetPort the container lacks', { name: 'tcp-db', port: 31400, targetPort: 'db' }, ['error target-port-name-unknown tcp-db']],
    ['a nodePort outside the range', { name: 'tcp-db', port: 31400, targetPort: 8080, nodePort: 29999 }, ['error node-port-range tcp-db']],
    ['a nodePort of another Service', { name: 'tcp-db', port: 31400, targetPort: 8080, nodePort: 30500 }, ['error node-port-in-use tcp-db']],
    ['a nodePort twice in the Service', { name: 'tcp-db', port: 31400, targetPort: 8080, nodePort: 31080 }, ['error node-port-duplicate tcp-db']],
  ])('%s', (_case, extra, expected) => {
    expect(codes(validatePorts([...INGRESS, extra], context(), new Set([extra.name ?? String(extra.port)])))).toEqual(expected);
  });

  it('is only a warning for a non-conforming name that is already there', () => {
    expect(codes(validatePorts([...INGRESS, { name: 'web', port: 9000, targetPort: 8080 }], context()))).toEqual(['warning port-name-protocol web']);
  });

  it('refuses node ports on a ClusterIP Service, and says when other Services could not be read', () => {
    const port = { name: 'tcp-db', port: 31400, targetPort: 8080, nodePort: 31400 };
    expect(codes(validatePorts([port], context({ serviceType: 'ClusterIP' }), new Set(['tcp-db'])))).toEqual(['error node-port-type tcp-db']);
    expect(codes(validatePorts([port], context({ nodePortsInUse: undefined }), new Set(['tcp-db'])))).toEqual(['info node-ports-unknown']);
  });

  it('lets a gateway that may bind low ports (the gateway chart sets the sysctl) use 80 and 443', () => {
    const chart = [{ name: 'http2', port: 80, targetPort: 80 }, { name: 'https', port: 443, targetPort: 443 }];
    expect(validatePorts(chart, context({ lowestBindablePort: 0, containerPorts: [{ containerPort: 15090, name: 'http-envoy-prom' }] }))).toEqual([]);
  });

  it('explains the privileged targetPort and suggests what Istio charts use', () => {
    const [f] = validatePorts([{ name: 'http2', port: 80, targetPort: 80 }], context({ containerPorts: [] }));
    expect(f).toMatchObject({ code: 'target-port-privileged', field: 'spec.ports[http2].targetPort', fix: 'use targetPort 8080' });
    expect(f!.message).toBe("the istio-proxy container of deployment istio-ingressgateway runs Envoy as a non-root user, which cannot listen on 80 (below 1024) without net.ipv4.ip_unprivileged_port_start=0 or NET_BIND_SERVICE; Istio's charts map 80→8080 and 443→8443 for this reason");
  });
});

describe('crossCheck: Gateway servers against Service ports', () => {
  it('reports a Gateway server port the Service lacks (IST0162), and Service ports no server uses', () => {
    const ctx = context({ gateways: [{ namespace: 'sample', name: 'httpbin-gateway', servers: [{ port: 8088, name: 'http', protocol: 'HTTP', hosts: ['*'] }] }] });
    const findings = crossCheck(INGRESS, ctx);
    expect(codes(findings)).toEqual(['error gateway-port-missing', 'info port-unused http2', 'info port-unused https']);
    expect(findings[0]).toMatchObject({
      gateway: 'sample/httpbin-gateway',
      serverPort: 8088,
      message: 'Gateway sample/httpbin-gateway has a server on port 8088, which is not a port of Service istio-system/istio-ingressgateway (15021, 80→8080, 443→8443): no traffic reaches it (Istio analyzer IST0162)',
      fix: 'add port 8088 to the Service (e.g. name http-8088), or move the server to a port the Service has',
    });
  });

  it('accepts a server on the targetPort, and on a port of another Service selecting the same pods', () => {
    const ctx = context({
      gateways: [{ namespace: 'sample', name: 'g', servers: [8080, 80, 443, 9000].map((port) => ({ port, protocol: 'HTTP', hosts: ['*'] })) }],
      siblingPorts: [{ service: 'istio-system/extra', ports: [{ name: 'tcp-x', port: 9000 }] }],
    });
    expect(crossCheck(INGRESS, ctx)).toEqual([]);
  });

  // Istio's own analyzer test inputs: the same Gateways must be flagged (analyzers_test.go, see IST0162.md).
  const expected: Record<string, string[]> = {
    'gateway-no-port.yaml': ['httpbin-gateway:8004'],
    'gateway-correct-port.yaml': [],
    'gateway-custom-ingressgateway.yaml': [],
    'gateway-custom-ingressgateway-badport.yaml': ['httpbin-gateway:8004'],
    'gateway-custom-ingressgateway-badport-notarget.yaml': ['httpbin-gateway:8004'],
    'gateway-custom-ingressgateway-translation.yaml': [],
    'gateway-custom-ingressgateway-svcselector.yaml': ['httpbin8002-gateway:8002'],
  };
  it('covers every analyzer input', () => {
    expect(readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).sort()).toEqual(Object.keys(expected).sort());
  });
  it.each(Object.entries(expected))('%s', (file, flagged) => {
    expect(analyze(file)).toEqual(flagged);
  });
});

/** IST0162 as `istioctl analyze` runs it offline on one file: with its default ingress gateway when the file has no pods. */
function analyze(file: string): string[] {
  const objects = parseAllDocuments(readFileSync(join(FIXTURES, file), 'utf8')).map((d) => d.toJS() as KubeObject).filter(Boolean);
  if (!objects.some((o) => o.kind === 'Pod')) objects.push(...defaultIngress());
  const ns = (o: KubeObject) => o.metadata.namespace ?? 'default';
  const pods = objects.filter((o) => o.kind === 'Pod');
  const services = objects.filter((o) => o.kind === 'Service');
  const flagged: string[] = [];
  for (const gateway of objects.filter((o) => o.kind === 'Gateway')) {
    const selected = pods.filter((p) => gatewaySelects(gateway, [p.metadata.labels ?? {}]));
    const matching = services.filter((s) => selected.some((p) => ns(p) === ns(s) && gatewaySelects({ metadata: { name: 's' }, spec: { selector: (s['spec'] as { selector: unknown }).selector } }, [p.metadata.labels ?? {}])));
    const ctx = context({ gateways: [{ namespace: ns(gateway), name: gateway.metadata.name, servers: gatewayServersOf(gateway) }], siblingPorts: matching.map((s) => ({ service: s.metadata.name, ports: servicePortsOf(s) })) });
    for (const f of crossCheck([], ctx)) if (f.code === 'gateway-port-missing') flagged.push(`${gateway.metadata.name}:${f.serverPort}`);
  }
  return flagged;
}

function defaultIngress(): KubeObject[] {
  const md = readFileSync(join(FIXTURES, 'IST0162.md'), 'utf8');
  const template = /const defaultIstioIngressGateway = `([\s\S]*?)`/.exec(md)![1]!;
  const text = template.replaceAll('{{.ingressService}}', 'istio-ingressgateway').replaceAll('{{.namespace}}', 'istio-system');
  return parseAllDocuments(text).map((d) => d.toJS() as KubeObject);
}

describe('applyPortEdit', () => {
  const ctx = context();
  it.each<[string, PortEdit, ServicePort[] | 'same']>([
    ['appends a new port, targetPort defaulting to the port', { action: 'set', name: 'tcp-db', port: 31400 }, [...INGRESS, { name: 'tcp-db', port: 31400, targetPort: 31400, protocol: 'TCP' }]],
    ['sends a new 443 to 8443 where Envoy cannot bind 443', { action: 'set', name: 'https-alt', port: 443, protocol: 'tcp' }, [...INGRESS, { name: 'https-alt', port: 443, targetPort: 8443, protocol: 'TCP' }]],
    ['keeps the targetPort and nodePort of a port it renumbers', { action: 'set', name: 'http2', port: 8081 }, [INGRESS[0]!, { name: 'http2', port: 8081, targetPort: 8080, nodePort: 31080, protocol: 'TCP' }, INGRESS[2]!]],
    ['changes nothing when the port is already so', { action: 'set', name: 'https', port: 443 }, 'same'],
    ['removes a port by name', { action: 'remove', name: 'https' }, INGRESS.slice(0, 2)],
  ])('%s', (_case, edit, expected) => {
    const result = applyPortEdit(INGRESS, edit, ctx);
    expect(result.ports).toEqual(expected === 'same' ? INGRESS : expected);
    expect(result.findings).toEqual([]);
  });

  it('refuses to remove a port that is not there, naming those that are', () => {
    expect(applyPortEdit(INGRESS, { action: 'remove', name: 'tcp-db' }, ctx).findings[0]!.message).toBe('Service istio-system/istio-ingressgateway has no port named "tcp-db" (its ports: status-port, http2, https)');
  });
});

describe('validateEdit', () => {
  it('adds a TCP port: not blocked, the missing Gateway listener is a note', () => {
    const v = validateEdit(INGRESS, { action: 'set', name: 'tcp-db', port: 31400 }, context({ containerPorts: [] }));
    expect(v.blocking).toEqual([]);
    expect(codes(v.findings.filter((f) => f.introduced))).toEqual(['info port-unused tcp-db']);
  });

  it('blocks a duplicate nodePort and an invalid name with the reason', () => {
    const dup = validateEdit(INGRESS, { action: 'set', name: 'tcp-db', port: 31400, nodePort: 31080 }, context());
    expect(dup.blocking.map((f) => f.message)).toEqual(['nodePort 31080 is given to both http2 and tcp-db']);
    const inUse = validateEdit(INGRESS, { action: 'set', name: 'tcp-db', port: 31400, nodePort: 30500 }, context());
    expect(inUse.blocking.map((f) => f.message)).toEqual(['nodePort 30500 is already used by Service shop/web']);
    const bad = validateEdit(INGRESS, { action: 'set', name: 'Admin_Port', port: 9000, targetPort: 8080 }, context());
    expect(bad.blocking.map((f) => f.code)).toEqual(['port-name-invalid', 'port-name-protocol']);
    expect(bad.blocking[0]!.message).toBe('port name "Admin_Port" must be lower-case letters, digits and "-", starting and ending with a letter or digit (a DNS-1123 label)');
  });

  it('does not block on problems that were there before, and says which the edit fixes', () => {
    const ctx = context({ gateways: [{ namespace: 'sample', name: 'httpbin-gateway', servers: [{ port: 8088, protocol: 'HTTP', hosts: ['*'] }] }] });
    expect(checkGatewayPorts(INGRESS, ctx)[0]!.code).toBe('gateway-port-missing');
    const other = validateEdit(INGRESS, { action: 'set', name: 'tcp-db', port: 31400, targetPort: 8080 }, ctx);
    expect(other.blocking).toEqual([]);
    const fix = validateEdit(INGRESS, { action: 'set', name: 'http-8088', port: 8088, targetPort: 8080 }, ctx);
    expect(fix.resolved.map((f) => f.code)).toEqual(['gateway-port-missing']);
  });

  it.each<[string, ServicePort[], PortEdit, GatewayPortContext['kind'], number[]]>([
    ['removing the health port', INGRESS, { action: 'remove', name: 'status-port' }, 'ingress', [15021]],
    ['moving the health port elsewhere', INGRESS, { action: 'set', name: 'status-port', port: 15021, targetPort: 15020 }, 'ingress', [15021]],
    ['removing 15443 from an east-west gateway', EAST_WEST, { action: 'remove', name: 'tls' }, 'east-west', [15443]],
    ['removing 15012 from an east-west gateway', EAST_WEST, { action: 'remove', name: 'tls-istiod' }, 'east-west', [15012]],
    ['removing 15017 from an east-west gateway', EAST_WEST, { action: 'remove', name: 'tls-webhook' }, 'east-west', [15017]],
  ])('needs a confirmation for %s, saying what breaks', (_case, ports, edit, kind, critical) => {
    const ctx = context({ kind, gateways: [], containerPorts: [] });
    const refused = validateEdit(ports, edit, ctx);
    expect(refused.critical.map((f) => Number(f.key.split(':')[1]))).toEqual(critical);
    expect(refused.blocking.map((f) => f.code)).toEqual(['critical-port']);
    expect(refused.blocking[0]!.breaks).toBeTruthy();
    const confirmed = validateEdit(ports, edit, ctx, { confirmCritical: true });
    expect(confirmed.blocking).toEqual([]);
    expect(confirmed.critical[0]!.severity).toBe('warning');
  });

  it('lets 15443 go from an ingress gateway without a confirmation', () => {
    const ports = [...INGRESS, { name: 'tls', port: 15443, targetPort: 15443 }];
    expect(validateEdit(ports, { action: 'remove', name: 'tls' }, context({ containerPorts: [] })).blocking).toEqual([]);
  });

  it('blocks cutting off a Gateway server unless confirmed or the server moves too', () => {
    const ctx = context();
    expect(validateEdit(INGRESS, { action: 'remove', name: 'http2' }, ctx).blocking.map((f) => f.code)).toEqual(['gateway-port-missing']);
    expect(validateEdit(INGRESS, { action: 'remove', name: 'http2' }, ctx, { confirmCritical: true }).blocking).toEqual([]);
    const moved = validateEdit(INGRESS, { action: 'set', name: 'http2', port: 8081 }, ctx, { gatewaysAfter: [{ namespace: 'sample', name: 'httpbin-gateway', servers: [{ port: 8081, protocol: 'HTTP', hosts: ['*'] }] }] });
    expect(moved.blocking).toEqual([]);
  });
});

describe('reading objects', () => {
  it('reads the Service ports and the proxy container as Kubernetes stores them', () => {
    const service: KubeObject = { metadata: { name: 's' }, spec: { ports: [{ name: 'http2', port: 80, targetPort: 8080, nodePort: 31080, protocol: 'TCP' }, { port: 9000, targetPort: 'admin' }] } };
    expect(servicePortsOf(service)).toEqual([
      { name: 'http2', port: 80, targetPort: 8080, nodePort: 31080, protocol: 'TCP' },
      { port: 9000, targetPort: 'admin', protocol: 'TCP' },
    ]);
    const deployment = (pod: Record<string, unknown>, container: Record<string, unknown> = {}): KubeObject => ({
      metadata: { name: 'gw' },
      spec: { template: { spec: { ...pod, containers: [{ name: 'istio-proxy', ports: [{ containerPort: 8080, protocol: 'TCP' }], ...container }] } } },
    });
    expect(proxyContainerOf(deployment({ securityContext: { runAsUser: 1337 } }))).toEqual({ name: 'istio-proxy', ports: [{ containerPort: 8080, protocol: 'TCP' }], lowestBindablePort: 1024 });
    expect(proxyContainerOf(deployment({ securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] } }))!.lowestBindablePort).toBe(0);
    expect(proxyContainerOf(deployment({}, { securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] } } }))!.lowestBindablePort).toBe(0);
    expect(proxyContainerOf(deployment({ securityContext: { runAsUser: 0 } }, { securityContext: { capabilities: { drop: ['ALL'] } } }))!.lowestBindablePort).toBe(1024);
  });
});
