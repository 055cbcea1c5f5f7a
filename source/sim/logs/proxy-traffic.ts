import type { SeededRandom } from '../seeded-random.js';
import type { AccessLogEntry } from './access-log-format.js';
import type { PortView, ProxyView, RouteView, ServiceView } from './proxy-view.js';

// One request or connection a proxy handled, drawn from a realistic mix. The response flags, codes,
// details and bodies are the combinations Envoy really logs (see the response-flag table in
// Envoy's access-log documentation and real Istio proxy logs).

type Direction = 'inbound' | 'outbound' | 'ingress';

/** How a request ended. `local` outcomes are answered by Envoy itself (no upstream response). */
interface Outcome {
  code: number;
  flags?: string;
  details?: string;
  failureReason?: string;
  /** Envoy's local reply body; its length is BYTES_SENT. */
  body?: string;
  /** Envoy never picked an upstream host. */
  noHost?: boolean;
  /** No route or cluster was found either. */
  noCluster?: boolean;
  duration?: (rng: SeededRandom) => number;
  /** The response came from the upstream. */
  viaUpstream?: boolean;
}

const RESET = 'upstream connect error or disconnect/reset before headers. ';
const TLS_VERIFY = 'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end';

const OUTCOMES = {
  uf: { code: 503, flags: 'UF', details: 'upstream_reset_before_response_started{remote_connection_failure,delayed_connect_error:_111}', failureReason: 'delayed_connect_error:_111', body: `${RESET}reset reason: remote connection failure, transport failure reason: delayed connect error: 111`, duration: (r) => r.int(0, 3) },
  urxTls: { code: 503, flags: 'URX,UF', details: `upstream_reset_before_response_started{remote_connection_failure|${TLS_VERIFY}}`, failureReason: TLS_VERIFY, body: `${RESET}retried and the latest reset reason: remote connection failure, transport failure reason: ${TLS_VERIFY}`, duration: (r) => r.int(20, 120) },
  urx: { code: 503, flags: 'URX', details: 'via_upstream', viaUpstream: true, duration: (r) => r.int(40, 400) },
  uh: { code: 503, flags: 'UH', details: 'no_healthy_upstream', body: 'no healthy upstream', noHost: true, duration: (r) => r.int(0, 2) },
  uo: { code: 503, flags: 'UO', details: 'upstream_reset_before_response_started{overflow}', body: `${RESET}reset reason: overflow`, noHost: true, duration: () => 0 },
  uc: { code: 503, flags: 'UC', details: 'upstream_reset_before_response_started{connection_termination}', body: `${RESET}reset reason: connection termination`, duration: (r) => r.int(0, 30) },
  lr: { code: 503, flags: 'LR', details: 'upstream_reset_before_response_started{local_reset}', body: `${RESET}reset reason: local reset`, duration: (r) => r.int(0, 50) },
  ut: { code: 504, flags: 'UT', details: 'response_timeout', body: 'upstream request timeout', duration: (r) => r.pick([1000, 2000, 3000, 5000, 15000]) + r.int(0, 2) },
  dc: { code: 0, flags: 'DC', details: 'downstream_remote_disconnect', duration: (r) => r.int(5, 4000) },
  nr: { code: 404, flags: 'NR', details: 'route_not_found', body: '', noHost: true, noCluster: true, duration: () => 0 },
  nc: { code: 503, flags: 'NC', details: 'cluster_not_found', body: '', noHost: true, noCluster: true, duration: () => 0 },
  rl: { code: 429, flags: 'RL', details: 'local_rate_limited', body: 'local_rate_limited', noHost: true, duration: () => 0 },
  uaex: { code: 403, flags: 'UAEX', details: 'ext_authz_denied', body: '', noHost: true, duration: (r) => r.int(1, 15) },
  rbac: { code: 403, details: 'rbac_access_denied_matched_policy[none]', body: 'RBAC: access denied', noHost: true, duration: () => 0 },
  fi: { code: 503, flags: 'FI', details: 'fault_filter_abort', body: 'fault filter abort', noHost: true, duration: () => 0 },
} satisfies Record<string, Outcome>;

type OutcomeName = keyof typeof OUTCOMES | 'ok' | 'redirect' | 'clientError' | 'serverError';

// Shares per ten thousand requests; most traffic succeeds.
const OUTBOUND_MIX: [OutcomeName, number][] = [
  ['ok', 8500], ['redirect', 100], ['clientError', 450], ['serverError', 230],
  ['dc', 120], ['uf', 90], ['urxTls', 25], ['urx', 40], ['uh', 50], ['uo', 60], ['uc', 50], ['lr', 15], ['ut', 70], ['nr', 40], ['nc', 15], ['fi', 15],
];
const INBOUND_MIX: [OutcomeName, number][] = [
  ['ok', 8700], ['redirect', 100], ['clientError', 450], ['serverError', 230],
  ['dc', 120], ['uf', 50], ['uc', 30], ['rl', 120], ['uaex', 40], ['rbac', 60],
];
const INGRESS_MIX: [OutcomeName, number][] = [
  ['ok', 8300], ['redirect', 150], ['clientError', 600], ['serverError', 200],
  ['dc', 150], ['uf', 60], ['uh', 60], ['uo', 40], ['uc', 40], ['ut', 80], ['nr', 250], ['rl', 40], ['uaex', 30],
];

const METHODS: [string, number][] = [['GET', 74], ['POST', 14], ['PUT', 4], ['DELETE', 3], ['PATCH', 2], ['HEAD', 2], ['OPTIONS', 1]];
const MESH_AGENTS = ['Go-http-client/1.1', 'python-requests/2.32.3', 'okhttp/4.12.0', 'curl/8.11.1', 'Java-http-client/21.0.5', 'axios/1.7.9'];
const EDGE_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15',
  'curl/8.5.0',
  'kube-probe/1.32',
  'Go-http-client/2.0',
];
const EXTERNAL = [
  { host: 'api.github.com', ip: '140.82.121.6' },
  { host: 'storage.googleapis.com', ip: '142.250.185.123' },
  { host: 'sts.amazonaws.com', ip: '52.94.133.131' },
];

export function accessLogEntry(view: ProxyView, rng: SeededRandom, endTime: Date): AccessLogEntry {
  switch (view.role) {
    case 'ingress':
      return view.routes.length > 0 ? ingressRequest(view, rng, endTime) : unroutedIngressRequest(view, rng, endTime);
    case 'eastwest':
      return eastWestConnection(view, rng, endTime);
    case 'egress':
      return egressConnection(view, rng, endTime);
    case 'sidecar': {
      if (rng.chance(0.03)) return passthroughConnection(view, rng, endTime);
      const inbound = view.inbound.length > 0 && (view.outbound.length === 0 || rng.chance(0.55));
      if (inbound) return sidecarInbound(view, rng, endTime);
      if (view.outbound.length > 0) return sidecarOutbound(view, rng, endTime);
      return passthroughConnection(view, rng, endTime);
    }
  }
}

function sidecarInbound(view: ProxyView, rng: SeededRandom, endTime: Date): AccessLogEntry {
  const service = rng.pick(view.inbound);
  const port = rng.pick(service.ports);
  const caller = `${view.callers.length > 0 ? rng.pick(view.callers) : neighbour(view.podIP, rng)}:${ephemeral(rng)}`;
  const local = `${view.podIP}:${port.targetPort}`;
  const sni = `outbound_.${port.port}_._.${fqdn(service)}`;
  if (port.kind === 'tcp' || port.kind === 'tls') {
    return tcpEntry(rng, endTime, { upstreamHost: local, upstreamCluster: `inbound|${port.targetPort}||`, upstreamLocalAddress: `127.0.0.6:${ephemeral(rng)}`, downstreamLocalAddress: local, downstreamRemoteAddress: caller, requestedServerName: sni });
  }
  const outcome = pickOutcome(rng, INBOUND_MIX, service);
  return httpEntry(rng, endTime, outcome, {
    direction: 'inbound',
    service,
    port,
    authority: meshAuthority(service, port, view.namespace, rng),
    upstreamHost: local,
    upstreamCluster: `inbound|${port.targetPort}||`,
    upstreamLocalAddress: `127.0.0.6:${ephemeral(rng)}`,
    downstreamLocalAddress: local,
    downstreamRemoteAddress: caller,
    requestedServerName: sni,
    routeName: 'default',
  });
}

function sidecarOutbound(view: ProxyView, rng: SeededRandom, endTime: Date): AccessLogEntry {
  const service = rng.pick(view.outbound);
  const port = rng.pick(service.ports);
  const cluster = `outbound|${port.port}||${fqdn(service)}`;
  const endpoint = service.endpoints.length > 0 ? `${rng.pick(service.endpoints)}:${port.targetPort}` : undefined;
  const local = `${view.podIP}:${ephemeral(rng)}`;
  if (port.kind === 'tcp' || port.kind === 'tls') {
    return tcpEntry(rng, endTime, {
      ...(endpoint ? { upstreamHost: endpoint, upstreamLocalAddress: local } : {}),
      upstreamCluster: cluster,
      downstreamLocalAddress: `${service.clusterIP}:${port.port}`,
      downstreamRemoteAddress: `${view.podIP}:${ephemeral(rng)}`,
      ...(endpoint ? {} : { responseFlags: 'UH' }),
    });
  }
  const outcome = pickOutcome(rng, OUTBOUND_MIX, service);
  return httpEntry(rng, endTime, outcome, {
    direction: 'outbound',
    service,
    port,
    authority: meshAuthority(service, port, view.namespace, rng),
    ...(endpoint ? { upstreamHost: endpoint } : {}),
    upstreamCluster: cluster,
    upstreamLocalAddress: local,
    downstreamLocalAddress: `${service.clusterIP}:${port.port}`,
    downstreamRemoteAddress: `${view.podIP}:${ephemeral(rng)}`,
    routeName: 'default',
  });
}

function ingressRequest(view: ProxyView, rng: SeededRandom, endTime: Date): AccessLogEntry {
  const route: RouteView = rng.pick(view.routes);
  const client = publicClient(rng);
  const endpoint = route.service.endpoints.length > 0 ? `${rng.pick(route.service.endpoints)}:${route.port.targetPort}` : undefined;
  const outcome = pickOutcome(rng, INGRESS_MIX, route.service);
  const authority = route.host === '*' || route.host.startsWith('*.') ? (view.externalAddress ?? view.podIP) : route.host;
  return httpEntry(rng, endTime, outcome, {
    direction: 'ingress',
    service: route.service,
    port: route.port,
    authority,
    ...(endpoint ? { upstreamHost: endpoint } : {}),
    upstreamCluster: `outbound|${route.port.port}||${fqdn(route.service)}`,
    upstreamLocalAddress: `${view.podIP}:${ephemeral(rng)}`,
    downstreamLocalAddress: `${view.podIP}:8080`,
    downstreamRemoteAddress: `${client}:${ephemeral(rng)}`,
    xForwardedFor: client,
    ...(route.routeName ? { routeName: route.routeName } : {}),
  });
}

/** An ingress gateway without routes answers everything with 404 NR. */
function unroutedIngressRequest(view: ProxyView, rng: SeededRandom, endTime: Date): AccessLogEntry {
  const client = publicClient(rng);
  return httpEntry(rng, endTime, OUTCOMES.nr, {
    direction: 'ingress',
    authority: view.externalAddress ?? view.podIP,
    downstreamLocalAddress: `${view.podIP}:8080`,
    downstreamRemoteAddress: `${client}:${ephemeral(rng)}`,
    xForwardedFor: client,
  });
}

/** The east-west gateway passes mTLS through on 15443, routed by SNI (and istiod's ports, where it runs). */
function eastWestConnection(view: ProxyView, rng: SeededRandom, endTime: Date): AccessLogEntry {
  const remote = `172.18.${rng.int(0, 3)}.${rng.int(2, 254)}:${ephemeral(rng)}`;
  if (view.istiod && rng.chance(0.15)) return istiodConnection(view, view.istiod, remote, rng, endTime);
  if (view.outbound.length === 0) {
    return tcpEntry(rng, endTime, { responseFlags: 'NR', responseCodeDetails: 'filter_chain_not_found', downstreamLocalAddress: `${view.podIP}:15443`, downstreamRemoteAddress: remote, noBytes: true });
  }
  const service = rng.pick(view.outbound);
  const port = rng.pick(service.ports);
  const sni = `outbound_.${port.port}_._.${fqdn(service)}`;
  const endpoint = service.endpoints.length > 0 ? `${rng.pick(service.endpoints)}:${port.targetPort}` : undefined;
  return tcpEntry(rng, endTime, {
    ...(endpoint ? { upstreamHost: endpoint, upstreamLocalAddress: `${view.podIP}:${ephemeral(rng)}` } : { responseFlags: 'UH' }),
    upstreamCluster: sni,
    downstreamLocalAddress: `${view.podIP}:15443`,
    downstreamRemoteAddress: remote,
    requestedServerName: sni,
  });
}

/** Istio's expose-istiod Gateway: 15012 (xDS and certificates) and 15017 (the injection webhook), passed through to istiod. */
function istiodConnection(view: ProxyView, istiod: ServiceView, remote: string, rng: SeededRandom, endTime: Date): AccessLogEntry {
  const webhook = rng.chance(0.2);
  const port = istiod.ports.find((p) => p.port === (webhook ? 443 : 15012));
  if (!port) return tcpEntry(rng, endTime, { responseFlags: 'NR', responseCodeDetails: 'filter_chain_not_found', downstreamLocalAddress: `${view.podIP}:${webhook ? 15017 : 15012}`, downstreamRemoteAddress: remote, noBytes: true });
  const endpoint = istiod.endpoints.length > 0 ? `${rng.pick(istiod.endpoints)}:${port.targetPort}` : undefined;
  return tcpEntry(rng, endTime, {
    ...(endpoint ? { upstreamHost: endpoint, upstreamLocalAddress: `${view.podIP}:${ephemeral(rng)}` } : { responseFlags: 'UH' }),
    upstreamCluster: `outbound|${port.port}||${fqdn(istiod)}`,
    downstreamLocalAddress: `${view.podIP}:${webhook ? 15017 : 15012}`,
    downstreamRemoteAddress: remote,
    requestedServerName: `${istiod.name}.${istiod.namespace}.svc`,
  });
}

function egressConnection(view: ProxyView, rng: SeededRandom, endTime: Date): AccessLogEntry {
  const target = rng.pick(EXTERNAL);
  return tcpEntry(rng, endTime, {
    upstreamHost: `${target.ip}:443`,
    upstreamCluster: `outbound|443||${target.host}`,
    upstreamLocalAddress: `${view.podIP}:${ephemeral(rng)}`,
    downstreamLocalAddress: `${view.podIP}:8443`,
    downstreamRemoteAddress: `${neighbour(view.podIP, rng)}:${ephemeral(rng)}`,
    requestedServerName: target.host,
  });
}

/** A sidecar with nothing in the mesh to call: TLS to the internet through PassthroughCluster. */
function passthroughConnection(view: ProxyView, rng: SeededRandom, endTime: Date): AccessLogEntry {
  const target = rng.pick(EXTERNAL);
  return tcpEntry(rng, endTime, {
    upstreamHost: `${target.ip}:443`,
    upstreamCluster: 'PassthroughCluster',
    upstreamLocalAddress: `${view.podIP}:${ephemeral(rng)}`,
    downstreamLocalAddress: `${target.ip}:443`,
    downstreamRemoteAddress: `${view.podIP}:${ephemeral(rng)}`,
  });
}

interface HttpShape {
  direction: Direction;
  service?: ServiceView;
  port?: PortView;
  authority: string;
  upstreamHost?: string;
  upstreamCluster?: string;
  upstreamLocalAddress?: string;
  downstreamLocalAddress: string;
  downstreamRemoteAddress: string;
  xForwardedFor?: string;
  requestedServerName?: string;
  routeName?: string;
}

function httpEntry(rng: SeededRandom, endTime: Date, outcome: Outcome, shape: HttpShape): AccessLogEntry {
  const grpc = shape.port?.kind === 'grpc';
  const method = grpc ? 'POST' : rng.weighted(METHODS);
  const protocol = grpc || shape.port?.kind === 'http2' || (shape.direction === 'ingress' && rng.chance(0.3)) ? 'HTTP/2' : 'HTTP/1.1';
  const path = grpc ? grpcPath(shape.service, rng) : requestPath(shape.service?.name ?? '', method, rng);
  const hostMissing = outcome.noHost || !shape.upstreamHost;
  const durationMs = outcome.duration ? outcome.duration(rng) : okDuration(rng);
  const bytesReceived = ['POST', 'PUT', 'PATCH'].includes(method) ? rng.int(24, 4096) : 0;
  let code = outcome.code;
  let bytesSent = outcome.body !== undefined ? Buffer.byteLength(outcome.body) : 0;
  const viaUpstream = outcome.viaUpstream ?? outcome.details === undefined;
  if (outcome.details === undefined) {
    code = statusFor(outcome, method, rng);
    bytesSent = code === 204 || code === 304 || method === 'HEAD' ? 0 : code >= 400 ? rng.int(0, 320) : rng.int(48, 12_000);
  } else if (outcome.viaUpstream) {
    bytesSent = rng.int(0, 120);
  } else if (outcome.flags === 'DC') {
    bytesSent = 0;
  }
  const entry: AccessLogEntry = {
    startTime: new Date(endTime.getTime() - durationMs),
    method,
    path,
    protocol,
    responseCode: code,
    ...(outcome.flags ? { responseFlags: outcome.flags } : {}),
    responseCodeDetails: viaUpstream && outcome.details === undefined ? 'via_upstream' : outcome.details!,
    ...(outcome.failureReason ? { upstreamTransportFailureReason: outcome.failureReason } : {}),
    bytesReceived,
    bytesSent,
    durationMs,
    ...(viaUpstream ? { upstreamServiceTimeMs: Math.max(0, durationMs - rng.int(0, 2)) } : {}),
    ...(shape.xForwardedFor ? { xForwardedFor: shape.xForwardedFor } : {}),
    userAgent: grpc ? 'grpc-go/1.69.2' : shape.direction === 'ingress' ? rng.pick(EDGE_AGENTS) : rng.pick(MESH_AGENTS),
    requestId: requestId(rng),
    authority: shape.authority,
    ...(hostMissing ? {} : { upstreamHost: shape.upstreamHost! }),
    ...(outcome.noCluster || !shape.upstreamCluster ? {} : { upstreamCluster: shape.upstreamCluster }),
    ...(hostMissing || !shape.upstreamLocalAddress || outcome.flags?.includes('UF') ? {} : { upstreamLocalAddress: shape.upstreamLocalAddress }),
    downstreamLocalAddress: shape.downstreamLocalAddress,
    downstreamRemoteAddress: shape.downstreamRemoteAddress,
    ...(shape.requestedServerName ? { requestedServerName: shape.requestedServerName } : {}),
    ...(outcome.noCluster && shape.direction !== 'inbound' ? {} : shape.routeName ? { routeName: shape.routeName } : {}),
  };
  return entry;
}

interface TcpShape {
  upstreamHost?: string;
  upstreamCluster?: string;
  upstreamLocalAddress?: string;
  downstreamLocalAddress: string;
  downstreamRemoteAddress: string;
  requestedServerName?: string;
  responseFlags?: string;
  responseCodeDetails?: string;
  noBytes?: boolean;
}

/** A TCP connection's line: `"- - -" 0 ...`; a few fail to connect or are cut by the client. */
function tcpEntry(rng: SeededRandom, endTime: Date, shape: TcpShape): AccessLogEntry {
  let flags = shape.responseFlags;
  let failureReason: string | undefined;
  if (!flags && shape.upstreamHost) {
    const roll = rng.next();
    if (roll < 0.015) {
      flags = 'UF';
      failureReason = 'delayed_connect_error:_111';
    } else if (roll < 0.03) {
      flags = 'DC';
    }
  }
  const failed = flags === 'UF' || flags === 'UH' || flags === 'NR';
  const durationMs = failed ? rng.int(0, 8) : rng.int(2, 60_000);
  return {
    startTime: new Date(endTime.getTime() - durationMs),
    responseCode: 0,
    ...(flags ? { responseFlags: flags } : {}),
    ...(shape.responseCodeDetails ? { responseCodeDetails: shape.responseCodeDetails } : {}),
    ...(failureReason ? { upstreamTransportFailureReason: failureReason } : {}),
    bytesReceived: failed || shape.noBytes ? 0 : rng.int(80, 40_000),
    bytesSent: failed || shape.noBytes ? 0 : rng.int(120, 2_500_000),
    durationMs,
    ...(shape.upstreamHost && flags !== 'UH' ? { upstreamHost: shape.upstreamHost } : {}),
    ...(shape.upstreamCluster ? { upstreamCluster: shape.upstreamCluster } : {}),
    ...(shape.upstreamLocalAddress && !failed ? { upstreamLocalAddress: shape.upstreamLocalAddress } : {}),
    downstreamLocalAddress: shape.downstreamLocalAddress,
    downstreamRemoteAddress: shape.downstreamRemoteAddress,
    ...(shape.requestedServerName ? { requestedServerName: shape.requestedServerName } : {}),
  };
}

/** The outcome of one request; a service without ready endpoints can only answer 503 UH. */
function pickOutcome(rng: SeededRandom, mix: [OutcomeName, number][], service: ServiceView | undefined): Outcome {
  const name = rng.weighted(mix);
  if (service && service.endpoints.length === 0 && name !== 'nr' && name !== 'rl' && name !== 'uaex' && name !== 'rbac') return OUTCOMES.uh;
  switch (name) {
    case 'ok':
      return { code: 200 };
    case 'redirect':
      return { code: 302 };
    case 'clientError':
      return { code: 404 };
    case 'serverError':
      return { code: 500 };
    default:
      return OUTCOMES[name];
  }
}

/** Codes an application answers with, by kind of outcome and method. */
function statusFor(outcome: Outcome, method: string, rng: SeededRandom): number {
  switch (outcome.code) {
    case 302:
      return rng.pick([301, 302, 302, 307]);
    case 404:
      return rng.weighted([[400, 20], [401, 15], [403, 8], [404, 45], [409, 5], [422, 7]]);
    case 500:
      return rng.weighted([[500, 70], [502, 10], [503, 20]]);
    default:
      if (method === 'POST') return rng.chance(0.6) ? 201 : 200;
      if (method === 'DELETE') return rng.chance(0.5) ? 204 : 200;
      if (method === 'OPTIONS') return 204;
      if (method === 'GET' && rng.chance(0.04)) return 304;
      return 200;
  }
}

function okDuration(rng: SeededRandom): number {
  const roll = rng.next();
  if (roll < 0.8) return rng.int(0, 25);
  if (roll < 0.97) return rng.int(25, 400);
  return rng.int(400, 4000);
}

const PATHS: [RegExp, string[]][] = [
  [/^helloworld/, ['/hello']],
  [/^httpbin/, ['/get', '/headers', '/ip', '/status/200', '/status/418', '/anything', '/uuid', '/delay/1', '/user-agent']],
  [/^productpage/, ['/productpage', '/static/bootstrap/css/bootstrap.min.css', '/api/v1/products/0']],
  [/^reviews/, ['/reviews/0', '/reviews/1']],
  [/^ratings/, ['/ratings/0', '/ratings/1']],
  [/^details/, ['/details/0']],
  [/^sleep|^curl/, ['/']],
];

function requestPath(service: string, method: string, rng: SeededRandom): string {
  const known = PATHS.find(([pattern]) => pattern.test(service));
  if (known) {
    const path = rng.pick(known[1]);
    return service.startsWith('httpbin') && method !== 'GET' && method !== 'HEAD' ? `/${method.toLowerCase()}` : path;
  }
  const resource = service.replace(/-\d+$/, '').replace(/-v\d+$/, '') || 'items';
  const id = rng.int(1, 99_999);
  return rng.weighted<string>([
    [`/api/v1/${resource}`, 30],
    [`/api/v1/${resource}/${id}`, 40],
    [`/api/v1/${resource}?page=${rng.int(1, 40)}&limit=50`, 10],
    ['/', 8],
    [`/api/v1/${resource}/${id}/status`, 12],
  ]);
}

function grpcPath(service: ServiceView | undefined, rng: SeededRandom): string {
  const name = (service?.name ?? 'api').replace(/(^|-)(\w)/g, (_, _sep: string, c: string) => c.toUpperCase());
  return `/${(service?.namespace ?? 'default').replace(/-/g, '_')}.v1.${name}Service/${rng.pick(['Get', 'List', 'Create', 'Update', 'Watch'])}`;
}

function meshAuthority(service: ServiceView, port: PortView, fromNamespace: string, rng: SeededRandom): string {
  const short = service.namespace === fromNamespace ? rng.pick([service.name, `${service.name}.${service.namespace}`]) : `${service.name}.${service.namespace}`;
  const name = rng.chance(0.2) ? fqdn(service) : short;
  return port.port === 80 && rng.chance(0.5) ? name : `${name}:${port.port}`;
}

function fqdn(service: ServiceView): string {
  return `${service.name}.${service.namespace}.svc.cluster.local`;
}

/** x-request-id as Envoy generates it: a random UUID. */
function requestId(rng: SeededRandom): string {
  const hex = rng.hex(32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function ephemeral(rng: SeededRandom): number {
  return rng.int(32768, 60999);
}

function neighbour(podIP: string, rng: SeededRandom): string {
  const parts = podIP.split('.');
  return parts.length === 4 ? `${parts[0]}.${parts[1]}.${parts[2]}.${rng.int(2, 254)}` : `10.0.0.${rng.int(2, 254)}`;
}

function publicClient(rng: SeededRandom): string {
  return rng.pick([`203.0.113.${rng.int(1, 254)}`, `198.51.100.${rng.int(1, 254)}`, `192.0.2.${rng.int(1, 254)}`, `10.0.${rng.int(0, 3)}.${rng.int(2, 254)}`]);
}
