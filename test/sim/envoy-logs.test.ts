import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, waitFor, type TestSim } from '../helpers/sim.js';
import { kubectl, kubectlStream } from '../helpers/kubectl.js';
import { apiRequest } from '../helpers/sim-http.js';
import { K } from '../../source/sim/controllers/kinds.js';
import type { JsonObject } from '../../source/sim/objects.js';
import { registerEnvoyLogs } from '../../source/sim/logs/envoy-access-log.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

// ---- A test-only reading of Istio's default format, taken from the fixtures ----

/** Tokens of a format line or a log line: double-quoted strings kept whole, otherwise split on spaces. */
function tokens(text: string): string[] {
  return [...text.matchAll(/"[^"]*"|\S+/g)].map((m) => m[0]);
}

const formatLine = readFileSync(join(fixtures, 'access-logs', 'envoy-default-text.format'), 'utf8').trim();
const realLines = readFileSync(join(fixtures, 'access-logs', 'envoy-default-text.log'), 'utf8').split('\n').filter(Boolean);
/** The 21 fields after `[%START_TIME%]`, named by their operators, as FORMAT.md lists them. */
const FIELDS = tokens(formatLine.replace(/^\[%START_TIME%\] /, '')).map((t) => t.replace(/^"|"$/g, ''));

type Access = Record<string, string> & { START_TIME: string };

function parseAccess(line: string): Access | undefined {
  const match = /^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\] (.*)$/.exec(line);
  if (!match) return undefined;
  const values = tokens(match[2]!);
  if (values.length !== FIELDS.length) throw new Error(`${values.length} fields instead of ${FIELDS.length}: ${line}`);
  const out: Record<string, string> = { START_TIME: match[1]! };
  FIELDS.forEach((name, i) => (out[name] = values[i]!.replace(/^"|"$/g, '')));
  return out as Access;
}

const REQUEST = '%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%';
const SHAPES: Record<string, RegExp> = {
  [REQUEST]: /^(- - -|[A-Z]+ \/\S* HTTP\/(1\.1|2))$/,
  '%RESPONSE_CODE%': /^\d{1,3}$/,
  '%RESPONSE_FLAGS%': /^(-|[A-Z]{2,4}(,[A-Z]{2,4})*)$/,
  '%RESPONSE_CODE_DETAILS%': /^\S+$/,
  '%CONNECTION_TERMINATION_DETAILS%': /^\S+$/,
  '%UPSTREAM_TRANSPORT_FAILURE_REASON%': /^\S+$/,
  '%BYTES_RECEIVED%': /^\d+$/,
  '%BYTES_SENT%': /^\d+$/,
  '%DURATION%': /^\d+$/,
  '%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%': /^(-|\d+)$/,
  '%REQ(X-FORWARDED-FOR)%': /^(-|[\d.]+)$/,
  '%REQ(X-REQUEST-ID)%': /^(-|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
  '%REQ(:AUTHORITY)%': /^\S+$/,
  '%UPSTREAM_HOST%': /^(-|[\d.]+:\d+)$/,
  '%UPSTREAM_CLUSTER_RAW%': /^(-|PassthroughCluster|inbound\|\d+\|\||outbound\|\d+\|[\w-]*\|[\w.-]+|outbound_\.\d+_\._\.[\w.-]+)$/,
  '%UPSTREAM_LOCAL_ADDRESS%': /^(-|[\d.]+:\d+)$/,
  '%DOWNSTREAM_LOCAL_ADDRESS%': /^[\d.]+:\d+$/,
  '%DOWNSTREAM_REMOTE_ADDRESS%': /^[\d.]+:\d+$/,
  '%REQUESTED_SERVER_NAME%': /^\S+$/,
  '%ROUTE_NAME%': /^\S+$/,
};

/** The flags and the codes and details Envoy logs with them. */
const FLAG_RULES: Record<string, (a: Access) => boolean> = {
  UF: (a) => (a['%RESPONSE_CODE%'] === '503' && a['%RESPONSE_CODE_DETAILS%']!.startsWith('upstream_reset_before_response_started{')) || a[REQUEST] === '- - -',
  'URX,UF': (a) => a['%RESPONSE_CODE%'] === '503' && /CERTIFICATE_VERIFY_FAILED/.test(a['%UPSTREAM_TRANSPORT_FAILURE_REASON%']!),
  URX: (a) => a['%RESPONSE_CODE%'] === '503' && a['%RESPONSE_CODE_DETAILS%'] === 'via_upstream',
  UH: (a) => a['%UPSTREAM_HOST%'] === '-' && (a['%RESPONSE_CODE_DETAILS%'] === 'no_healthy_upstream' || a[REQUEST] === '- - -'),
  UO: (a) => a['%RESPONSE_CODE%'] === '503' && a['%RESPONSE_CODE_DETAILS%'] === 'upstream_reset_before_response_started{overflow}' && a['%BYTES_SENT%'] === '81',
  UC: (a) => a['%RESPONSE_CODE%'] === '503' && a['%RESPONSE_CODE_DETAILS%'] === 'upstream_reset_before_response_started{connection_termination}' && a['%BYTES_SENT%'] === '95',
  LR: (a) => a['%RESPONSE_CODE%'] === '503' && a['%RESPONSE_CODE_DETAILS%'] === 'upstream_reset_before_response_started{local_reset}',
  UT: (a) => a['%RESPONSE_CODE%'] === '504' && a['%RESPONSE_CODE_DETAILS%'] === 'response_timeout' && a['%BYTES_SENT%'] === '24',
  DC: (a) => a['%RESPONSE_CODE%'] === '0',
  NR: (a) => (a['%RESPONSE_CODE%'] === '404' && a['%RESPONSE_CODE_DETAILS%'] === 'route_not_found' && a['%UPSTREAM_CLUSTER_RAW%'] === '-') || a['%RESPONSE_CODE_DETAILS%'] === 'filter_chain_not_found',
  NC: (a) => a['%RESPONSE_CODE%'] === '503' && a['%RESPONSE_CODE_DETAILS%'] === 'cluster_not_found',
  RL: (a) => a['%RESPONSE_CODE%'] === '429' && a['%RESPONSE_CODE_DETAILS%'] === 'local_rate_limited' && a['%BYTES_SENT%'] === '18',
  UAEX: (a) => a['%RESPONSE_CODE%'] === '403' && a['%RESPONSE_CODE_DETAILS%'] === 'ext_authz_denied',
  FI: (a) => a['%RESPONSE_CODE_DETAILS%'] === 'fault_filter_abort',
  '-': (a) => a['%RESPONSE_CODE_DETAILS%'] === 'via_upstream' || a['%RESPONSE_CODE_DETAILS%'] === 'rbac_access_denied_matched_policy[none]' || a[REQUEST] === '- - -',
};

/** istio-agent and Envoy lines as the agent writes them: microsecond time, tab, level, tab. */
const AGENT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\t(info|warn|warning|error)\t\S/;

// Istio's JSON key set: the map keys of EnvoyJSONLogFormatIstio quoted in FORMAT.md.
const JSON_KEYS = [...readFileSync(join(fixtures, 'access-logs', 'FORMAT.md'), 'utf8').matchAll(/^\s+"(\w+)":\s+\{Kind: &structpb\.Value_StringValue/gm)].map((m) => m[1]!).sort();

const MANIFEST = `
apiVersion: v1
kind: Namespace
metadata: {name: sample, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Service
metadata: {name: helloworld, namespace: sample, labels: {app: helloworld}}
spec: {selector: {app: helloworld}, ports: [{name: http, port: 5000}]}
---
apiVersion: v1
kind: Service
metadata: {name: httpbin, namespace: sample, labels: {app: httpbin}}
spec: {selector: {app: httpbin}, ports: [{name: http, port: 8000, targetPort: 8080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: helloworld-v1, namespace: sample, labels: {app: helloworld, version: v1}}
spec:
  containers:
  - {name: helloworld, image: docker.io/istio/examples-helloworld-v1:1.0, ports: [{containerPort: 5000}]}
  - {name: istio-proxy, image: docker.io/istio/proxyv2:1.24.2}
---
apiVersion: v1
kind: Pod
metadata: {name: httpbin, namespace: sample, labels: {app: httpbin}}
spec:
  containers:
  - {name: httpbin, image: docker.io/mccutchen/go-httpbin:v2.15.0, ports: [{containerPort: 8080}]}
  - {name: istio-proxy, image: docker.io/istio/proxyv2:1.24.2}
---
apiVersion: v1
kind: Namespace
metadata: {name: istio-system}
---
apiVersion: v1
kind: Service
metadata: {name: istio-ingressgateway, namespace: istio-system, labels: {istio: ingressgateway}}
spec: {type: LoadBalancer, selector: {istio: ingressgateway}, ports: [{name: http2, port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: istio-ingressgateway-7d4f8b9c6-x2x9q, namespace: istio-system, labels: {istio: ingressgateway, app: istio-ingressgateway}}
spec: {containers: [{name: istio-proxy, image: docker.io/istio/proxyv2:1.24.2}]}
---
apiVersion: v1
kind: Pod
metadata: {name: istio-eastwestgateway-5b6c7d8f9-k4k2m, namespace: istio-system, labels: {istio: eastwestgateway, app: istio-eastwestgateway}}
spec: {containers: [{name: istio-proxy, image: docker.io/istio/proxyv2:1.24.2}]}
`;

describe('istio-proxy logs', () => {
  let t: TestSim;
  const k = (...args: string[]) => kubectl(t.kubeconfigPath, args);
  const east = () => t.sim.cluster('east');

  /** Pretends the pod's proxy started `minutes` ago, so it has a full backlog. */
  function startedMinutesAgo(namespace: string, name: string, minutes: number): void {
    const pod = east().store.get(K.pods, namespace, name)!;
    const status = structuredClone(pod['status']) as JsonObject;
    const since = new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const container of status['containerStatuses'] as JsonObject[]) container['state'] = { running: { startedAt: since } };
    east().api.update(K.pods, namespace, name, { ...pod, status }, { subresource: 'status' });
  }

  beforeAll(async () => {
    t = await startTestSim({ clusters: 1, podsPerCluster: 6, podStartDelayMs: 0, proxyLogLinesPerSecond: 20 });
    const applied = await kubectl(t.kubeconfigPath, ['apply', '-f', '-'], MANIFEST);
    expect(applied.code, applied.stderr).toBe(0);
    const gateway = await k('apply', '-n', 'sample', '-f', join(fixtures, 'samples', 'httpbin-gateway.yaml'));
    expect(gateway.code, gateway.stderr).toBe(0);
    await waitFor(() => ['helloworld-v1', 'httpbin'].every((name) => (east().store.get(K.pods, 'sample', name)?.['status'] as JsonObject | undefined)?.['phase'] === 'Running'), 'sample pods running');
    startedMinutesAgo('sample', 'helloworld-v1', 5);
  }, 30_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('reads the real lines of the fixture with the test parser (21 fields)', () => {
    expect(FIELDS).toHaveLength(21);
    expect(realLines).toHaveLength(5);
    for (const line of realLines) expect(Object.keys(parseAccess(line)!)).toHaveLength(22);
  });

  it('serves istio-agent start-up lines, then access-log lines in Istio default text format', async () => {
    await waitFor(async () => (await k('logs', '-n', 'sample', 'httpbin', '-c', 'istio-proxy')).stdout.split('\n').length > 30, 'httpbin proxy lines');
    const result = await k('logs', '-n', 'sample', 'httpbin', '-c', 'istio-proxy');
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\S+Z\tinfo\tFLAG: --concurrency="2"$/);
    expect(lines).toContainEqual(expect.stringMatching(/\tinfo\tProxy role\tips=\[10\.\d+\.\d+\.\d+\] type=sidecar id=httpbin\.sample domain=sample\.svc\.cluster\.local$/));
    expect(lines).toContainEqual(expect.stringMatching(/\tinfo\txdsproxy\tconnected to upstream XDS server: istiod\.istio-system\.svc:15012$/));
    expect(lines).toContainEqual(expect.stringMatching(/\tinfo\tEnvoy proxy is ready$/));
    const access = lines.filter((line) => line.startsWith('['));
    expect(access.length).toBeGreaterThan(10);
    for (const line of lines) expect(line.startsWith('[') || AGENT.test(line), line).toBe(true);
    for (const line of access) {
      const fields = parseAccess(line)!;
      for (const [name, shape] of Object.entries(SHAPES)) expect(fields[name], `${name} in ${line}`).toMatch(shape);
    }
  });

  it('draws a realistic mix: methods, codes, response flags with matching details, inbound, outbound and TCP', async () => {
    const result = await k('logs', '-n', 'sample', 'helloworld-v1', '-c', 'istio-proxy', '--tail=2000');
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2000);
    const access = lines.filter((line) => line.startsWith('[')).map((line) => parseAccess(line)!);
    const count = (pick: (a: Access) => string) => new Set(access.map(pick));
    expect(count((a) => a[REQUEST]!.split(' ')[0]!).size).toBeGreaterThanOrEqual(6);
    expect(count((a) => a['%RESPONSE_CODE%']!).size).toBeGreaterThanOrEqual(8);
    const flags = count((a) => a['%RESPONSE_FLAGS%']!);
    expect(flags.size).toBeGreaterThanOrEqual(8);
    for (const a of access) {
      const rule = FLAG_RULES[a['%RESPONSE_FLAGS%']!];
      expect(rule, `unknown flags ${a['%RESPONSE_FLAGS%']}`).toBeDefined();
      expect(rule!(a), `flags and details disagree: ${JSON.stringify(a)}`).toBe(true);
    }
    // Inbound to its own service, outbound to the mesh's services, TCP to the internet.
    expect(access.some((a) => a['%UPSTREAM_CLUSTER_RAW%'] === 'inbound|5000||' && a['%REQUESTED_SERVER_NAME%'] === 'outbound_.5000_._.helloworld.sample.svc.cluster.local' && a[REQUEST] === 'GET /hello HTTP/1.1')).toBe(true);
    expect(access.some((a) => a['%UPSTREAM_CLUSTER_RAW%'] === 'outbound|8000||httpbin.sample.svc.cluster.local' && /^httpbin(\.sample)?(\.svc\.cluster\.local)?(:8000)?$/.test(a['%REQ(:AUTHORITY)%']!))).toBe(true);
    expect(access.some((a) => a[REQUEST] === '- - -' && a['%RESPONSE_CODE%'] === '0')).toBe(true);
    // Now and then an Envoy warning, followed by the agent reconnecting.
    const warning = lines.findIndex((line) => /\twarning\tenvoy config \S+grpc_stream\.h:\d+\tStreamAggregatedResources gRPC config stream to xds-grpc closed: 14, transport is closing\tthread=\d+$/.test(line));
    expect(warning).toBeGreaterThanOrEqual(0);
    if (warning + 1 < lines.length) expect(lines[warning + 1]!).toMatch(/\tinfo\txdsproxy\tconnected to upstream XDS server: istiod\.istio-system\.svc:15012\tid=\d+$/);
  });

  it('writes the configured rate, and --tail, --since and --timestamps work on istio-proxy', async () => {
    const stamped = await k('logs', '-n', 'sample', 'helloworld-v1', '-c', 'istio-proxy', '--tail=40', '--timestamps');
    expect(stamped.code, stamped.stderr).toBe(0);
    const lines = stamped.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(40);
    const times = lines.map((line) => {
      const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (.*)$/.exec(line);
      expect(match, line).not.toBeNull();
      const access = parseAccess(match![2]!);
      // An access-log line is written when the request ends: START_TIME + DURATION.
      if (access) expect(Date.parse(access.START_TIME) + Number(access['%DURATION%'])).toBe(Date.parse(match![1]!));
      return Date.parse(match![1]!);
    });
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(50);

    const since = await k('logs', '-n', 'sample', 'helloworld-v1', '-c', 'istio-proxy', '--since=2s');
    const sinceLines = since.stdout.trimEnd().split('\n').length;
    expect(sinceLines).toBeGreaterThanOrEqual(38);
    expect(sinceLines).toBeLessThanOrEqual(42);

    registerEnvoyLogs(east(), { linesPerSecond: 5 });
    try {
      const slower = await k('logs', '-n', 'sample', 'helloworld-v1', '-c', 'istio-proxy', '--tail=5', '--timestamps');
      const slowTimes = slower.stdout.trimEnd().split('\n').map((line) => Date.parse(line.split(' ')[0]!));
      for (let i = 1; i < slowTimes.length; i++) expect(slowTimes[i]! - slowTimes[i - 1]!).toBe(200);
    } finally {
      registerEnvoyLogs(east(), { linesPerSecond: 20 });
    }
  });

  it('serves the same line for the same time: sinceTime reads agree', async () => {
    const first = await apiRequest(t.sim, 'east', '/api/v1/namespaces/sample/pods/helloworld-v1/log?container=istio-proxy&tailLines=30&timestamps=true');
    const lines = first.body.trimEnd().split('\n');
    const from = lines[10]!.split(' ')[0]!;
    await new Promise((resolve) => setTimeout(resolve, 120));
    const again = await apiRequest(t.sim, 'east', `/api/v1/namespaces/sample/pods/helloworld-v1/log?container=istio-proxy&timestamps=true&sinceTime=${encodeURIComponent(from)}`);
    expect(again.body.trimEnd().split('\n').slice(0, 20)).toEqual(lines.slice(10));
  });

  it('follows istio-proxy with kubectl logs -f', async () => {
    const follow = kubectlStream(t.kubeconfigPath, ['logs', '-f', '-n', 'sample', 'httpbin', '-c', 'istio-proxy', '--tail=1']);
    try {
      await waitFor(() => follow.output().trim().split('\n').length >= 6, 'followed proxy lines', 8000);
    } finally {
      follow.stop();
    }
  });

  it('routes the ingress gateway by the VirtualService, and passes SNI through the east-west gateway', async () => {
    const ingress = await k('logs', '-n', 'istio-system', '-l', 'istio=ingressgateway', '--tail=200');
    expect(ingress.code, ingress.stderr).toBe(0);
    const lines = ingress.stdout.trimEnd().split('\n');
    expect(lines.some((line) => /\tinfo\tProxy role\tips=\[\S+\] type=router id=istio-ingressgateway-/.test(line)) || lines.length === 200).toBe(true);
    const access = lines.filter((line) => line.startsWith('[')).map((line) => parseAccess(line)!);
    expect(access.length).toBeGreaterThan(5);
    const routed = access.filter((a) => a['%UPSTREAM_CLUSTER_RAW%'] === 'outbound|8000||httpbin.sample.svc.cluster.local');
    expect(routed.length).toBeGreaterThan(0);
    for (const a of routed) {
      expect(a['%DOWNSTREAM_LOCAL_ADDRESS%']).toMatch(/:8080$/);
      expect(a['%REQ(X-FORWARDED-FOR)%']).toBe(a['%DOWNSTREAM_REMOTE_ADDRESS%']!.split(':')[0]);
      if (a['%UPSTREAM_HOST%'] !== '-') expect(a['%UPSTREAM_HOST%']).toMatch(/:8080$/);
    }
    const eastwest = await k('logs', '-n', 'istio-system', '-l', 'istio=eastwestgateway', '--tail=100');
    const tcp = eastwest.stdout.trimEnd().split('\n').filter((line) => line.startsWith('[')).map((line) => parseAccess(line)!);
    expect(tcp.length).toBeGreaterThan(5);
    for (const a of tcp) {
      expect(a[REQUEST]).toBe('- - -');
      expect(a['%DOWNSTREAM_LOCAL_ADDRESS%']).toMatch(/:15443$/);
      expect(a['%REQUESTED_SERVER_NAME%']).toMatch(/^outbound_\.\d+_\._\.[\w-]+\.[\w-]+\.svc\.cluster\.local$/);
      expect(a['%UPSTREAM_CLUSTER_RAW%']).toBe(a['%REQUESTED_SERVER_NAME%']);
    }
  });

  it('logs JSON with Istio keys when the mesh config asks for it, without rewriting lines already written', async () => {
    const before = await apiRequest(t.sim, 'east', '/api/v1/namespaces/sample/pods/httpbin/log?container=istio-proxy&tailLines=5&timestamps=true');
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: 'accessLogEncoding: JSON\naccessLogFile: /dev/stdout\n' } };
    expect((await kubectl(t.kubeconfigPath, ['apply', '-f', '-'], JSON.stringify(configMap))).code).toBe(0);
    try {
      const json = await waitFor(async () => {
        const tail = (await k('logs', '-n', 'sample', 'httpbin', '-c', 'istio-proxy', '--tail=5')).stdout.trimEnd().split('\n');
        return tail.find((line) => line.startsWith('{'));
      }, 'a JSON access-log line');
      const record = JSON.parse(json) as Record<string, unknown>;
      expect(Object.keys(record).sort()).toEqual(JSON_KEYS);
      expect(JSON_KEYS).toHaveLength(24);
      for (const key of ['response_code', 'bytes_received', 'bytes_sent', 'duration']) expect(typeof record[key]).toBe('number');
      expect(record['start_time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(typeof record['response_flags']).toBe('string');
      expect(record['upstream_service_time'] === null || typeof record['upstream_service_time'] === 'string').toBe(true);
      // Lines written before the switch are still text.
      const from = before.body.split('\n')[0]!.split(' ')[0]!;
      const reread = await apiRequest(t.sim, 'east', `/api/v1/namespaces/sample/pods/httpbin/log?container=istio-proxy&timestamps=true&sinceTime=${encodeURIComponent(from)}`);
      expect(reread.body.split('\n').slice(0, 5)).toEqual(before.body.split('\n').slice(0, 5));
    } finally {
      await k('delete', 'configmap', 'istio', '-n', 'istio-system');
    }
  });

  it('logs the certificate failure instead of traffic while problemFor names one, and recovers after', async () => {
    const problem = 'transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority';
    registerEnvoyLogs(east(), { problemFor: (pod) => (pod.metadata.name === 'httpbin' ? problem : undefined) });
    try {
      const lines = await waitFor(async () => {
        const tail = (await k('logs', '-n', 'sample', 'httpbin', '-c', 'istio-proxy', '--tail=12')).stdout.trimEnd().split('\n');
        return tail.filter((line) => AGENT.test(line)).length === 12 && tail;
      }, 'only agent lines in the tail');
      expect(lines).toContainEqual(expect.stringMatching(/\twarn\tca\tca request failed, starting attempt 1 in [\d.]+ms$/));
      expect(lines).toContainEqual(
        expect.stringMatching(/\twarn\tsds\tfailed to warm certificate: failed to generate workload certificate: create certificate: rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority"$/),
      );
      expect(lines).toContainEqual(expect.stringMatching(/\twarning\tenvoy config \S+\tStreamAggregatedResources gRPC config stream to xds-grpc closed since \d+s ago: 14, connection error: desc = "transport: authentication handshake failed: .*x509: certificate signed by unknown authority"\tthread=\d+$/));
      // Other proxies carry on.
      const other = (await k('logs', '-n', 'sample', 'helloworld-v1', '-c', 'istio-proxy', '--tail=10')).stdout;
      expect(other).not.toContain('x509');
    } finally {
      registerEnvoyLogs(east(), { problemFor: undefined });
    }
    const recovered = await waitFor(async () => {
      const tail = (await k('logs', '-n', 'sample', 'httpbin', '-c', 'istio-proxy', '--tail=60')).stdout.trimEnd().split('\n');
      return tail.slice(-5).every((line) => line.startsWith('[')) && tail;
    }, 'access-log lines again');
    const ready = recovered.findIndex((line) => /\tinfo\tEnvoy proxy is ready$/.test(line));
    expect(ready).toBeGreaterThan(0);
    expect(recovered.slice(0, ready - 1).some((line) => line.includes('\twarn\tca\tca request failed'))).toBe(true);
    expect(recovered[ready - 1]).toMatch(/\tinfo\tcache\tgenerated new workload certificate\tlatency=/);
  });
});
