import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAccessLog, parseLogLine } from '../../../source/mesh/access-log/parse.js';
import { ACCESS_LOG_FIELDS, type AccessLogEntry, type ParsedLine } from '../../../source/mesh/access-log/types.js';
import { formatJsonAccessLog, formatTextAccessLog } from '../../../source/sim/logs/access-log-format.js';
import { accessLogEntry } from '../../../source/sim/logs/proxy-traffic.js';
import type { ProxyView } from '../../../source/sim/logs/proxy-view.js';
import { SeededRandom } from '../../../source/sim/seeded-random.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'access-logs');
const lines = (name: string) => readFileSync(join(fixtures, name), 'utf8').split('\n').filter((l) => l !== '');

/** Real lines in Istio's 1.9+ default format (istio/istio, istio/istio.io). */
const REAL_1_9 = lines('envoy-default-text.log');
/** Real lines in pre-1.9 layouts: istio.io's Istio 1.1 example (18 fields), Istio 1.3-1.7 with Mixer status (20). */
const REAL_PRE_1_9 = lines('istio-pre-1.9-text.log');
/** A real line in Istio's JSON encoding (default key set). */
const REAL_JSON = lines('istio-json.log');
/** Envoy's own default format, the example from Envoy's documentation. */
const ENVOY_DEFAULT = lines('envoy-default-format.log');

function access(line: string): AccessLogEntry {
  const parsed = parseLogLine(line);
  if (parsed.kind !== 'access') throw new Error(`not parsed: ${parsed.error ?? '(no error)'}: ${line}`);
  return parsed;
}

const dash = (v: string | number | undefined) => (v === undefined ? '-' : String(v));

/** Writes an entry back in Istio's 1.9+ TEXT format: a parse that loses or moves nothing gives the line back. */
function reformat(e: AccessLogEntry): string {
  const request = e.method === undefined && e.path === undefined && e.protocol === undefined ? '- - -' : `${dash(e.method)} ${dash(e.path)} ${dash(e.protocol)}`;
  return [
    `[${e.startTime}]`,
    `"${request}"`,
    dash(e.responseCode),
    e.responseFlags.length ? e.responseFlags.join(',') : '-',
    dash(e.responseCodeDetails),
    dash(e.connectionTerminationDetails),
    `"${dash(e.upstreamTransportFailureReason)}"`,
    dash(e.bytesReceived),
    dash(e.bytesSent),
    dash(e.durationMs),
    dash(e.upstreamServiceTimeMs),
    `"${dash(e.forwardedFor)}"`,
    `"${dash(e.userAgent)}"`,
    `"${dash(e.requestId)}"`,
    `"${dash(e.authority)}"`,
    `"${dash(e.upstreamHost)}"`,
    dash(e.upstreamCluster),
    dash(e.upstreamLocalAddress),
    dash(e.downstreamLocalAddress),
    dash(e.downstreamRemoteAddress),
    dash(e.requestedServerName),
    dash(e.routeName),
  ].join(' ');
}

describe('parseLogLine: Istio 1.9+ default TEXT format, real lines', () => {
  it('reads every field of an outbound sidecar line', () => {
    expect(access(REAL_1_9[0]!)).toEqual({
      kind: 'access',
      format: 'text',
      startTime: '2020-11-25T21:26:18.409Z',
      method: 'GET',
      path: '/status/418',
      protocol: 'HTTP/1.1',
      responseCode: 418,
      responseFlags: [],
      responseCodeDetails: 'via_upstream',
      connectionTerminationDetails: undefined,
      upstreamTransportFailureReason: undefined,
      bytesReceived: 0,
      bytesSent: 135,
      durationMs: 4,
      upstreamServiceTimeMs: 4,
      forwardedFor: undefined,
      userAgent: 'curl/7.73.0-DEV',
      requestId: '84961386-6d84-929d-98bd-c5aee93b5c88',
      authority: 'httpbin:8000',
      upstreamHost: '10.44.1.27:80',
      upstreamCluster: 'outbound|8000||httpbin.foo.svc.cluster.local',
      upstreamLocalAddress: '10.44.1.23:37652',
      downstreamLocalAddress: '10.0.45.184:8000',
      downstreamRemoteAddress: '10.44.1.23:46520',
      requestedServerName: undefined,
      routeName: 'default',
    });
  });

  it('reads the inbound side of the same request (SNI, inbound cluster)', () => {
    const e = access(REAL_1_9[1]!);
    expect(e.upstreamCluster).toBe('inbound|8000||');
    expect(e.requestedServerName).toBe('outbound_.8000_._.httpbin.foo.svc.cluster.local');
    expect(e.upstreamServiceTimeMs).toBe(1);
    expect(e.downstreamRemoteAddress).toBe('10.44.1.23:37652');
  });

  it('reads an egress gateway line with X-Forwarded-For and a route name', () => {
    const e = access(REAL_1_9[2]!);
    expect(e).toMatchObject({ responseCode: 301, forwardedFor: '172.30.239.55', routeName: 'default.forward-cnn-from-egress-gateway.0', authority: 'edition.cnn.com' });
  });

  it('reads TCP connections ("- - -", code 0) with their SNI', () => {
    for (const line of REAL_1_9.slice(3)) {
      const e = access(line);
      expect(e).toMatchObject({ method: undefined, path: undefined, protocol: undefined, responseCode: 0, responseFlags: [], upstreamServiceTimeMs: undefined, requestedServerName: 'edition.cnn.com', routeName: undefined });
      expect(e.bytesSent).toBeGreaterThan(2_000_000);
    }
  });

  it('loses nothing: every real line written back from its fields is the same line', () => {
    for (const line of REAL_1_9) expect(reformat(access(line))).toBe(line);
  });

  it('always has every field key, so entries share one shape', () => {
    for (const line of [...REAL_1_9, ...REAL_PRE_1_9, ...REAL_JSON]) {
      const keys = Object.keys(access(line)).sort();
      expect(keys).toEqual(['format', 'kind', ...ACCESS_LOG_FIELDS].sort());
    }
  });
});

describe('parseLogLine: pre-1.9 TEXT layouts', () => {
  it("reads istio.io's Istio 1.1 example (Mixer status, no transport failure reason, no route)", () => {
    const [outbound, inbound] = REAL_PRE_1_9.map(access);
    expect(outbound).toMatchObject({
      format: 'text-pre-1.9',
      startTime: '2019-03-06T09:31:27.354Z',
      method: 'GET',
      path: '/status/418',
      responseCode: 418,
      responseFlags: [],
      responseCodeDetails: undefined,
      upstreamTransportFailureReason: undefined,
      bytesReceived: 0,
      bytesSent: 135,
      durationMs: 11,
      upstreamServiceTimeMs: 10,
      userAgent: 'curl/7.60.0',
      requestId: 'd209e46f-9ed5-9b61-bbdd-43e22662702a',
      authority: 'httpbin:8000',
      upstreamHost: '172.30.146.73:80',
      upstreamCluster: 'outbound|8000||httpbin.default.svc.cluster.local',
      upstreamLocalAddress: undefined,
      downstreamLocalAddress: '172.21.13.94:8000',
      downstreamRemoteAddress: '172.30.146.82:60290',
      requestedServerName: undefined,
      routeName: undefined,
    });
    expect(inbound).toMatchObject({ upstreamCluster: 'inbound|8000|http|httpbin.default.svc.cluster.local', requestedServerName: 'outbound_.8000_._.httpbin.default.svc.cluster.local', durationMs: 5 });
  });

  it('reads Istio 1.3-1.7 lines (Mixer status, then a transport failure reason with spaces)', () => {
    const gateway = access(REAL_PRE_1_9[2]!);
    expect(gateway).toMatchObject({
      format: 'text-pre-1.9',
      method: 'POST',
      path: '/apis/dhcp-kea',
      protocol: 'HTTP/2',
      responseCode: 503,
      responseFlags: ['UF', 'URX'],
      upstreamTransportFailureReason: 'TLS error: Secret is not supplied by SDS',
      bytesReceived: 55,
      bytesSent: 91,
      durationMs: 61,
      upstreamServiceTimeMs: undefined,
      forwardedFor: '10.32.0.1',
      authority: 'api-gw-service-nmn.local',
      upstreamCluster: 'outbound|8000||cray-dhcp-kea-api.services.svc.cluster.local',
      requestedServerName: 'api-gw-service-nmn.local',
      routeName: undefined,
    });
    expect(access(REAL_PRE_1_9[3]!)).toMatchObject({ userAgent: 'python-requests/2.22.0', routeName: 'default', requestedServerName: undefined });
  });

  it('reads the Istio 1.8 layout (no Mixer status, transport failure reason right after the flags)', () => {
    // EnvoyTextLogFormat "for Istio 1.3 onwards" as istiod still sent it to pre-1.9 proxies next to EnvoyTextLogFormatIstio19.
    const line = '[2020-12-01T10:00:00.123Z] "GET /status/503 HTTP/1.1" 503 UF "delayed connect error: 111" 0 91 1 - "-" "curl/7.73.0" "0d6c9a3f-52f7-9d05-a9ab-0d9c7a5b1e20" "httpbin:8000" "10.44.1.27:80" outbound|8000||httpbin.foo.svc.cluster.local - 10.0.45.184:8000 10.44.1.23:46520 - default';
    expect(access(line)).toMatchObject({ format: 'text-pre-1.9', responseCode: 503, responseFlags: ['UF'], upstreamTransportFailureReason: 'delayed connect error: 111', bytesSent: 91, upstreamServiceTimeMs: undefined, upstreamHost: '10.44.1.27:80', routeName: 'default' });
  });

  it('reads the Istio 1.2 layout (Mixer status and transport failure reason, no route)', () => {
    const line = '[2019-07-01T10:00:00.000Z] "GET /productpage HTTP/1.1" 200 - "-" "-" 0 5183 40 39 "10.0.0.1" "curl/7.64.0" "1f3c7e8a-2b4d-9e5f-8a7b-6c5d4e3f2a1b" "bookinfo.example.com" "10.1.2.3:9080" outbound|9080||productpage.default.svc.cluster.local - 10.1.2.4:80 10.0.0.1:51234 -';
    expect(access(line)).toMatchObject({ format: 'text-pre-1.9', responseCode: 200, bytesSent: 5183, forwardedFor: '10.0.0.1', upstreamCluster: 'outbound|9080||productpage.default.svc.cluster.local', routeName: undefined });
  });

  it("reads Envoy's own default format (the example in Envoy's docs)", () => {
    expect(access(ENVOY_DEFAULT[0]!)).toMatchObject({
      format: 'envoy-default',
      method: 'POST',
      path: '/api/v1/locations',
      protocol: 'HTTP/2',
      responseCode: 204,
      bytesReceived: 154,
      bytesSent: 0,
      durationMs: 226,
      upstreamServiceTimeMs: 100,
      forwardedFor: '10.0.35.28',
      userAgent: 'nsq2http',
      requestId: 'cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2',
      authority: 'locations',
      upstreamHost: 'tcp://10.0.2.1:80',
      upstreamCluster: undefined,
    });
  });
});

describe('parseLogLine: JSON encoding', () => {
  it('reads a real line with Istio default keys (numbers as numbers, null for unset)', () => {
    expect(access(REAL_JSON[0]!)).toEqual({
      kind: 'access',
      format: 'json',
      startTime: '2021-09-12T05:44:48.369Z',
      method: 'GET',
      path: '/abc',
      protocol: 'HTTP/1.1',
      responseCode: 404,
      responseFlags: [],
      responseCodeDetails: 'via_upstream',
      connectionTerminationDetails: undefined,
      upstreamTransportFailureReason: undefined,
      bytesReceived: 0,
      bytesSent: 19,
      durationMs: 1,
      upstreamServiceTimeMs: 1,
      forwardedFor: '172.17.0.1',
      userAgent: 'curl/7.68.0',
      requestId: '4ba825ec-7955-9e3d-9dc7-942c38c517f0',
      authority: '10.103.20.194',
      upstreamHost: '172.17.0.16:8080',
      upstreamCluster: 'outbound|80||frontend.online-boutique.svc.cluster.local',
      upstreamLocalAddress: '172.17.0.3:51630',
      downstreamLocalAddress: '172.17.0.3:8080',
      downstreamRemoteAddress: '172.17.0.1:35535',
      requestedServerName: undefined,
      routeName: undefined,
    });
  });

  it("reads every key of Istio's JSON key set (EnvoyJSONLogFormatIstio in FORMAT.md)", () => {
    const keys = [...readFileSync(join(fixtures, 'FORMAT.md'), 'utf8').matchAll(/^\s+"(\w+)":\s+\{Kind: &structpb\.Value_StringValue/gm)].map((m) => m[1]!);
    expect(keys).toHaveLength(24);
    const record: Record<string, string | number> = {};
    keys.forEach((key, i) => (record[key] = ['response_code', 'bytes_received', 'bytes_sent', 'duration'].includes(key) ? 200 + i : `v${i}`));
    record['upstream_service_time'] = '7';
    record['response_flags'] = 'UF,URX';
    const e = access(JSON.stringify(record));
    for (const field of ACCESS_LOG_FIELDS) expect(e[field], field).not.toBeUndefined();
    expect(e.responseFlags).toEqual(['UF', 'URX']);
  });

  it('reads older Envoy JSON (every value a string, "-" for unset) and hyphenated header keys', () => {
    const e = access(
      '{"start_time":"2020-05-06T03:45:16.417Z","method":"GET","path":"/status/418","protocol":"HTTP/1.1","response_code":"418","response_flags":"-","bytes_received":"0","bytes_sent":"135","duration":"1","x-envoy-upstream-service-time":"1","x-forwarded-for":"-","user-agent":"curl/7.64.0","x-request-id":"37e43f05-46f5-4354-ac62-bab3106d1c46","authority":"httpbin:8000","upstream_host":"127.0.0.1:80","upstream_cluster":"inbound|8000|http|httpbin.default.svc.cluster.local","upstream_local_address":"-","downstream_local_address":"10.244.0.49:80","downstream_remote_address":"10.244.0.47:36120","requested_server_name":"-","route_name":"default"}',
    );
    expect(e).toMatchObject({ responseCode: 418, bytesSent: 135, upstreamServiceTimeMs: 1, forwardedFor: undefined, userAgent: 'curl/7.64.0', requestId: '37e43f05-46f5-4354-ac62-bab3106d1c46', upstreamLocalAddress: undefined, routeName: 'default' });
  });

  it("reads lines wrapped by Docker's json-file driver", () => {
    const wrapped = JSON.stringify({ log: `${REAL_1_9[0]}\n`, stream: 'stdout', time: '2020-11-25T21:26:18.413Z' });
    expect(access(wrapped)).toEqual(access(REAL_1_9[0]!));
  });

  it('keeps JSON that is not an access-log record as raw, without an error', () => {
    for (const line of [
      '{"level":"info","time":"2024-01-24T04:32:34.872966Z","msg":"FLAG: --concurrency=\\"0\\""}',
      '{"level":"warn","time":"2024-01-24T04:32:35.000000Z","scope":"xdsproxy","msg":"upstream terminated with unexpected error"}',
      '[1,2,3]',
      '{}',
      '{"start_time":"2024-01-01T00:00:00Z"}',
      '{not json at all',
    ]) {
      expect(parseLogLine(line)).toEqual({ kind: 'raw', text: line });
    }
  });

  it('marks a cut-short or broken JSON record as raw with an error', () => {
    const cut = REAL_JSON[0]!.slice(0, 200);
    const parsed = parseLogLine(cut);
    expect(parsed.kind).toBe('raw');
    expect((parsed as { error?: string }).error).toMatch(/broken JSON access-log record/);
    const wrong = parseLogLine('{"start_time":"2024-01-01T00:00:00Z","response_code":"abc","response_flags":"-"}');
    expect(wrong).toMatchObject({ kind: 'raw', error: expect.stringMatching(/response_code "abc" is not a number/) });
  });
});

describe('parseLogLine: quotes inside fields', () => {
  const base = REAL_1_9[0]!;
  const withAgent = (agent: string) => base.replace('"curl/7.73.0-DEV"', `"${agent}"`);

  it.each([
    ['a quoted word in the user agent', 'Mozilla/5.0 "quoted" thing'],
    ['a quote-space-quote in the user agent', 'evil" "agent'],
    ['a trailing quote in the user agent', 'agent"'],
    ['a lone quote', '"'],
  ])('%s', (_name, agent) => {
    const e = access(withAgent(agent));
    expect(e.userAgent).toBe(agent);
    expect(e.requestId).toBe('84961386-6d84-929d-98bd-c5aee93b5c88');
    expect(e.authority).toBe('httpbin:8000');
    expect(e.upstreamCluster).toBe('outbound|8000||httpbin.foo.svc.cluster.local');
    expect(e.routeName).toBe('default');
  });

  it('a quote in the path', () => {
    const e = access(base.replace('GET /status/418 HTTP/1.1', 'GET /search?q="a" b HTTP/1.1'));
    expect(e).toMatchObject({ method: 'GET', path: '/search?q="a" b', protocol: 'HTTP/1.1', responseCode: 418 });
  });

  it('a quote in the authority and in X-Forwarded-For', () => {
    const e = access(base.replace('"httpbin:8000"', '"evil" host"').replace('"-" "curl', '"1.2.3.4, "x" "curl'));
    expect(e.forwardedFor).toBe('1.2.3.4, "x');
    expect(e.userAgent).toBe('curl/7.73.0-DEV');
    expect(e.authority).toBe('evil" host');
  });

  it('a quote in a pre-1.9 line', () => {
    const e = access(REAL_PRE_1_9[3]!.replace('"python-requests/2.22.0"', '"python "requests" 2.22"'));
    expect(e).toMatchObject({ format: 'text-pre-1.9', userAgent: 'python "requests" 2.22', authority: 'cray-cfs-api', routeName: 'default' });
  });

  it('unicode and empty quoted fields', () => {
    const e = access(withAgent('Mozilla/5.0 (ünïcødé; 日本語)').replace('"-" "Mozilla', '"" "Mozilla'));
    expect(e.userAgent).toBe('Mozilla/5.0 (ünïcødé; 日本語)');
    expect(e.forwardedFor).toBeUndefined();
  });
});

describe('parseLogLine: malformed and truncated lines', () => {
  function raw(line: string): { kind: 'raw'; text: string; error?: string } {
    const parsed = parseLogLine(line);
    if (parsed.kind !== 'raw') throw new Error(`parsed as access: ${line}`);
    return parsed;
  }

  it('a line cut anywhere before its last field is raw with an error, never a wrong record', () => {
    for (const line of REAL_1_9) {
      const lastField = line.lastIndexOf(' ');
      const firstField = line.indexOf('] "') + 3;
      for (let cut = firstField; cut < lastField; cut++) {
        const parsed = raw(line.slice(0, cut));
        expect(parsed.text).toBe(line.slice(0, cut));
        expect(parsed.error, line.slice(0, cut)).toBeTruthy();
      }
    }
  });

  it('names the problem', () => {
    expect(raw(REAL_1_9[0]!.slice(0, 120)).error).toMatch(/cut short|fields/);
    expect(raw('[2020-11-25T21:26:18.409Z] "GET /x HTTP/1.1" abc - via_upstream').error).toMatch(/RESPONSE_CODE "abc" is not a number/);
    expect(raw(REAL_1_9[0]!.replace(' 0 135 4 4 ', ' 0 lots 4 4 ')).error).toMatch(/BYTES_SENT "lots" is not a number/);
    expect(raw(`${REAL_1_9[0]!} extra-field`).error).toMatch(/22 fields/);
    expect(raw(REAL_1_9[0]!.replace(' 418 ', ' 4180 ')).error).toMatch(/not an HTTP status code/);
  });

  it('a custom format that starts like the default one is raw with an error', () => {
    expect(raw('[2024-01-09T15:35:47.283Z] "GET /x HTTP/1.1" 200 my-custom-field').error).toBeTruthy();
  });

  it('a line cut inside a quoted field says so', () => {
    expect(raw('[2020-11-25T21:26:18.409Z] "GET /status/418 HTTP/1.1" 418 - via_upstream - "-" 0 135 4 4 "-" "curl/7.73').error).toMatch(/cut short/);
  });
});

describe('parseLogLine: lines that are not access logs', () => {
  it.each([
    ['istio-agent', '2024-01-09T15:35:47.283123Z\tinfo\txdsproxy\tconnected to upstream XDS server: istiod.istio-system.svc:15012'],
    ['istio-agent warning', '2024-01-09T15:35:48.001234Z\twarn\tca\tca request failed, starting attempt 1 in 91.123456ms'],
    ['an x509 failure', '2024-01-09T15:35:49.000000Z\twarn\tsds\tfailed to warm certificate: failed to generate workload certificate: create certificate: rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: x509: certificate signed by unknown authority"'],
    ['Envoy through the agent', '2024-01-09T15:35:50.000000Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:152\tStreamAggregatedResources gRPC config stream to xds-grpc closed: 14, transport is closing\tthread=17'],
    ["Envoy's own log format", '[2019-05-29 15:32:47.807][182][debug][upstream] [external/envoy/source/common/upstream/cluster_manager_impl.cc:1129] no healthy host for HTTP connection pool'],
    ['Envoy with the epoch prefix', '[Envoy (Epoch 0)] [2020-12-11 04:28:16.851][32][debug][router] [external/envoy/source/common/router/router.cc:474] cluster match'],
    ['an empty line', ''],
    ['spaces', '   '],
    ['plain text', 'hello world'],
    ['a bracket alone', '['],
    ['a start time and nothing else', '[2024-01-09T15:35:47.283Z]'],
  ])('%s stays raw, without an error', (_name, line) => {
    const parsed = parseLogLine(line);
    expect(parsed.kind).toBe('raw');
    expect(parsed).not.toHaveProperty('error');
  });

  it('keeps the raw text as written (only the line ending is dropped)', () => {
    expect(parseLogLine('2024-01-09T15:35:47.283123Z\tinfo\tready\r\n')).toEqual({ kind: 'raw', text: '2024-01-09T15:35:47.283123Z\tinfo\tready' });
  });
});

describe('parseLogLine: what kubectl adds', () => {
  it('CRLF line endings', () => {
    expect(access(`${REAL_1_9[0]}\r\n`)).toEqual(access(REAL_1_9[0]!));
  });

  it('kubectl logs --timestamps', () => {
    expect(access(`2020-11-25T21:26:18.413579207Z ${REAL_1_9[0]}`)).toEqual(access(REAL_1_9[0]!));
    expect(access(`2021-09-12T05:44:48.370123456Z ${REAL_JSON[0]}`)).toEqual(access(REAL_JSON[0]!));
    // An agent line behind a timestamp stays whole.
    const agent = '2020-11-25T21:26:18.413579207Z 2024-01-09T15:35:47.283123Z\tinfo\tready';
    expect(parseLogLine(agent)).toEqual({ kind: 'raw', text: agent });
  });

  it('kubectl logs --prefix (and --prefix with --timestamps)', () => {
    expect(access(`[pod/httpbin-7d4f8b9c6-x2x7q/istio-proxy] ${REAL_1_9[0]}`)).toEqual(access(REAL_1_9[0]!));
    expect(access(`[pod/httpbin-7d4f8b9c6-x2x7q/istio-proxy] 2020-11-25T21:26:18.413579207Z ${REAL_1_9[1]}`)).toEqual(access(REAL_1_9[1]!));
  });
});

describe('parseLogLine against the simulator (source/sim/logs), thousands of lines', () => {
  const service = (name: string, namespace: string, clusterIP: string, endpoints: string[]) => ({ name, namespace, clusterIP, ports: [{ name: 'http', port: 8000, targetPort: 80, kind: 'http' as const }], endpoints });
  const views: ProxyView[] = [
    {
      role: 'sidecar',
      podName: 'sleep-5d8c9b7f6-abcde',
      namespace: 'sample',
      podIP: '10.1.0.7',
      version: '1.24.3',
      inbound: [service('sleep', 'sample', '10.96.0.20', ['10.1.0.7:80'])],
      outbound: [service('httpbin', 'sample', '10.96.0.21', ['10.1.0.8:80', '10.1.0.9:80']), service('empty', 'sample', '10.96.0.22', [])],
      callers: ['10.1.0.10', '10.1.0.11'],
      routes: [],
    },
    {
      role: 'ingress',
      podName: 'istio-ingressgateway-6d66677d95-4hd8l',
      namespace: 'istio-system',
      podIP: '10.1.0.2',
      version: '1.24.3',
      inbound: [],
      outbound: [service('httpbin', 'sample', '10.96.0.21', ['10.1.0.8:80'])],
      callers: ['192.0.2.10'],
      routes: [{ host: 'httpbin.example.com', service: service('httpbin', 'sample', '10.96.0.21', ['10.1.0.8:80']), port: { name: 'http', port: 8000, targetPort: 80, kind: 'http' }, routeName: 'sample.httpbin.0' }],
      externalAddress: '203.0.113.5',
    },
  ];
  const generated = views.flatMap((view) => Array.from({ length: 1500 }, (_, i) => accessLogEntry(view, new SeededRandom(`${view.podName}/${i}`), new Date(Date.UTC(2026, 0, 1) + i * 37))));
  const underscores = (v: string | undefined) => v?.replace(/ /g, '_');

  it('every TEXT line parses, and writes back to the same line', () => {
    const flags = new Set<string>();
    for (const entry of generated) {
      const line = formatTextAccessLog(entry);
      const parsed = access(line);
      expect(reformat(parsed)).toBe(line);
      parsed.responseFlags.forEach((f) => flags.add(f));
    }
    // The mix has real failures in it, not only 200s.
    expect(flags.size).toBeGreaterThan(5);
  });

  it('every JSON line parses to the same fields as its TEXT line', () => {
    for (const entry of generated) {
      const fromJson = access(formatJsonAccessLog(entry));
      const fromText = access(formatTextAccessLog(entry));
      expect({ ...fromJson, format: 'text' }).toEqual(fromText);
      expect(fromJson).toMatchObject({ responseCode: entry.responseCode, durationMs: entry.durationMs, upstreamCluster: entry.upstreamCluster, upstreamTransportFailureReason: underscores(entry.upstreamTransportFailureReason) });
    }
  });
});

describe('parseLogLine never throws', () => {
  it('survives random mangling of real lines', () => {
    const rng = new SeededRandom('fuzz');
    const pieces = ['"', ' ', '[', ']', '{', '}', '-', ',', '\\', '\n', '\t', '0', '999999999999999999999', 'é', '\u0000'];
    const seeds = [...REAL_1_9, ...REAL_PRE_1_9, ...REAL_JSON, ...ENVOY_DEFAULT];
    for (let i = 0; i < 5000; i++) {
      let line = seeds[i % seeds.length]!;
      for (let k = rng.int(1, 4); k > 0; k--) {
        const at = rng.int(0, line.length);
        line = rng.chance(0.5) ? line.slice(0, at) + rng.pick(pieces) + line.slice(at) : line.slice(0, at) + line.slice(at + rng.int(1, 10));
      }
      let parsed: ParsedLine | undefined;
      expect(() => (parsed = parseLogLine(line))).not.toThrow();
      expect(['access', 'raw']).toContain(parsed!.kind);
      if (parsed!.kind === 'raw') expect(parsed!.text).toBe(line.replace(/[\r\n]+$/, ''));
    }
  });

  it('isAccessLog tells records from raw lines', () => {
    expect(isAccessLog(parseLogLine(REAL_1_9[0]!))).toBe(true);
    expect(isAccessLog(parseLogLine('hello'))).toBe(false);
  });
});
