import { hash32, SeededRandom } from '../seeded-random.js';
import type { ProxyView } from './proxy-view.js';

// The non-access-log lines of an istio-proxy container: istio-agent's own log (tab-separated
// `time level scope message`, microsecond timestamps) and Envoy's, which the agent formats as
// `time level envoy <logger> <file:line> message thread=N`.

/** How many start-up lines a proxy writes before it serves traffic. */
export const STARTUP_LINES = 14;
/** Lines in one round of the certificate failure a proxy repeats while it cannot get one. */
export const PROBLEM_CYCLE = 6;
/** The start-up line where a proxy without a certificate begins its failure cycle. */
export const PROBLEM_START = 10;

const DISCOVERY = 'istiod.istio-system.svc:15012';
const GRPC_STREAM = 'external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h';

/** istio-agent's timestamp: RFC 3339 with microseconds. */
export function agentTime(time: Date, rng: SeededRandom): string {
  return time.toISOString().replace(/Z$/, `${String(rng.int(0, 999)).padStart(3, '0')}Z`);
}

function line(time: Date, rng: SeededRandom, level: string, ...fields: string[]): string {
  return [agentTime(time, rng), level, ...fields].join('\t');
}

function node(view: ProxyView): string {
  return `${view.podName}.${view.namespace}`;
}

function domain(view: ProxyView): string {
  return `${view.namespace}.svc.cluster.local`;
}

/**
 * The start-up line at `index`. With a certificate problem the proxy never gets its workload
 * certificate, so after the common lines it goes straight into the failure cycle.
 */
export function startupLine(index: number, view: ProxyView, problem: string | undefined, time: Date, rng: SeededRandom, downSince = time): string {
  const common = [
    () => line(time, rng, 'info', 'FLAG: --concurrency="2"'),
    () => line(time, rng, 'info', `FLAG: --domain="${domain(view)}"`),
    () => line(time, rng, 'info', 'FLAG: --proxyComponentLogLevel="misc:error"'),
    () => line(time, rng, 'info', 'FLAG: --proxyLogLevel="warning"'),
    () => line(time, rng, 'info', `Version ${view.version}-${buildSha(view.version)}-Clean`),
    () => line(time, rng, 'info', 'Maximum file descriptors (ulimit -n): 1048576'),
    () => line(time, rng, 'info', 'Proxy role', `ips=[${view.podIP}] type=${view.role === 'sidecar' ? 'sidecar' : 'router'} id=${node(view)} domain=${domain(view)}`),
    () => line(time, rng, 'info', 'Apply proxy config from env {}'),
  ];
  if (index < common.length) return common[index]!();
  if (problem !== undefined) {
    if (index === common.length) return line(time, rng, 'info', 'sds', 'Starting SDS grpc server');
    if (index === common.length + 1) return line(time, rng, 'info', 'starting Http service at 127.0.0.1:15004');
    return problemLine(index - PROBLEM_START, problem, time, rng, downSince);
  }
  switch (index - common.length) {
    case 0:
      return certificateLine(time, rng);
    case 1:
      return line(time, rng, 'info', 'xdsproxy', `connected to upstream XDS server: ${DISCOVERY}`);
    case 2:
      return line(time, rng, 'info', 'ads', `ADS: new connection for node:${node(view)}-1`);
    case 3:
      return line(time, rng, 'info', 'ads', `SDS: PUSH request for node:${node(view)} resources:1 size:4.0kB resource:default`);
    case 4:
      return line(time, rng, 'info', `Readiness succeeded in ${(0.4 + rng.next() * 1.6).toFixed(6)}s`);
    default:
      return line(time, rng, 'info', 'Envoy proxy is ready');
  }
}

/**
 * One line of the failure a proxy repeats while istiod's certificate cannot be verified (or reached):
 * the CA client's retries, SDS giving up, and Envoy's xDS stream closing with the same error.
 * `problem` is the error underneath, at any depth: `x509: certificate signed by unknown authority`,
 * `transport: authentication handshake failed: ...`, or `connection error: desc = "..."`. `downSince`
 * is when the proxy last had a working xDS stream (its start, if it never had one).
 */
export function problemLine(round: number, problem: string, time: Date, rng: SeededRandom, downSince: Date): string {
  const error = connectionError(problem);
  const step = ((round % PROBLEM_CYCLE) + PROBLEM_CYCLE) % PROBLEM_CYCLE;
  if (step < 4) {
    const base = 100 * 2 ** step;
    return line(time, rng, 'warn', 'ca', `ca request failed, starting attempt ${step + 1} in ${(base * (0.9 + rng.next() * 0.2)).toFixed(6)}ms`);
  }
  if (step === 4) {
    return line(time, rng, 'warn', 'sds', `failed to warm certificate: failed to generate workload certificate: create certificate: rpc error: code = Unavailable desc = ${error}`);
  }
  return line(time, rng, 'warning', `envoy config ${GRPC_STREAM}:190`, `StreamAggregatedResources gRPC config stream to xds-grpc closed since ${Math.max(0, Math.round((time.getTime() - downSince.getTime()) / 1000))}s ago: 14, ${error}`, `thread=${rng.int(12, 24)}`);
}

/** The lines after a certificate problem went away: the certificate arrives, then readiness. */
export function recoveryLine(step: 0 | 1, time: Date, rng: SeededRandom): string {
  return step === 0 ? certificateLine(time, rng) : line(time, rng, 'info', 'Envoy proxy is ready');
}

/** istiod closes xDS streams every 30 minutes; the agent reconnects. */
export function reconnectLine(time: Date, rng: SeededRandom, id: number): string {
  return line(time, rng, 'info', 'xdsproxy', `connected to upstream XDS server: ${DISCOVERY}`, `id=${id}`);
}

/** An Envoy warning when its xDS stream to the agent drops; the agent's reconnect line follows. */
export function streamClosedWarning(time: Date, rng: SeededRandom): string {
  return line(time, rng, 'warning', `envoy config ${GRPC_STREAM}:152`, 'StreamAggregatedResources gRPC config stream to xds-grpc closed: 14, transport is closing', `thread=${rng.int(12, 24)}`);
}

function certificateLine(time: Date, rng: SeededRandom): string {
  return line(time, rng, 'info', 'cache', 'generated new workload certificate', `latency=${(40 + rng.next() * 200).toFixed(6)}ms ttl=23h59m59.${rng.int(100_000_000, 999_999_999)}s`);
}

/** gRPC's wording around the error: a TLS failure happens in the handshake, anything else while dialing. */
function connectionError(problem: string): string {
  if (problem.startsWith('connection error:')) return problem;
  const quote = (text: string) => `connection error: desc = "${text.replace(/"/g, '\\"')}"`;
  if (problem.startsWith('transport:')) return quote(problem);
  if (/^(dial |lookup |context deadline)/.test(problem)) return quote(`transport: Error while dialing: ${problem}`);
  return quote(`transport: authentication handshake failed: ${problem}`);
}

function buildSha(version: string): string {
  return new SeededRandom(hash32(`istio-${version}`)).hex(40);
}
