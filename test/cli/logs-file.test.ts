import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlPath } from '../helpers/kubectl.js';
import { startTestSim, waitFor, type TestSim } from '../helpers/sim.js';
import { K } from '../../source/sim/controllers/kinds.js';
import { ACCESS_LOG_FIELDS } from '../../source/mesh/access-log/types.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';

// `meshdeck logs --file FILE|-` as users run it: the built command (`npm test` builds dist/ first).

const root = join(import.meta.dirname, '..', '..');
const main = meshdeckMain;
const fixtures = join(root, 'test', 'fixtures', 'access-logs');
const REAL_1_9 = readFileSync(join(fixtures, 'envoy-default-text.log'), 'utf8').trimEnd().split('\n');
const REAL_PRE_1_9 = readFileSync(join(fixtures, 'istio-pre-1.9-text.log'), 'utf8').trimEnd().split('\n');
const REAL_JSON = readFileSync(join(fixtures, 'istio-json.log'), 'utf8').trimEnd().split('\n');
const AGENT = [
  '2024-01-09T15:35:47.283123Z\tinfo\txdsproxy\tconnected to upstream XDS server: istiod.istio-system.svc:15012',
  '2024-01-09T15:35:49.000000Z\twarn\tsds\tfailed to warm certificate: x509: certificate signed by unknown authority',
];
const CUT = REAL_1_9[0]!.slice(0, 150);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a shell command line (for pipes) or the built meshdeck with args and optional standard input. */
function run(command: string | string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = typeof command === 'string' ? spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] }) : spawn(process.execPath, [main, ...command], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, MESHDECK_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

const jsonLines = (text: string) => text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

describe('meshdeck logs --file', () => {
  let dir: string;
  let mixed: string;
  const MIXED = [AGENT[0]!, ...REAL_1_9, AGENT[1]!, ...REAL_PRE_1_9, CUT, ...REAL_JSON];

  beforeAll(() => {
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (\`npm test\` does)`);
    dir = mkdtempSync(join(tmpdir(), 'meshdeck-logs-'));
    mixed = join(dir, 'istio-proxy.log');
    writeFileSync(mixed, `${MIXED.join('\n')}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints columns: time, method, authority+path, code, flags, duration, upstream; other lines as they are', async () => {
    const result = await run(['logs', '--file', mixed]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(MIXED.length + 1);
    expect(lines[0]).toMatch(/^TIME\s+METHOD\s+AUTHORITY\+PATH\s+CODE FLAGS\s+DURATION UPSTREAM$/);
    expect(lines[1]).toBe(AGENT[0]);
    expect(lines[2]).toMatch(/^2020-11-25T21:26:18\.409Z GET {5}httpbin:8000\/status\/418 +418 - +4ms 10\.44\.1\.27:80 outbound\|8000\|\|httpbin\.foo\.svc\.cluster\.local$/);
    expect(lines[5]).toMatch(/^2024-01-11T21:09:42\.835Z TCP {5}- +0 - +231ms 151\.101\.195\.5:443 outbound\|443\|\|edition\.cnn\.com$/);
    expect(lines[7]).toBe(AGENT[1]);
    expect(lines.find((l) => l.includes('/apis/dhcp-kea'))).toMatch(/POST +api-gw-service-nmn\.local\/apis\/dhcp-kea +503 UF,URX +61ms 10\.42\.0\.42:8000 outbound/);
    expect(lines).toContain(CUT);
    expect(lines.at(-1)).toMatch(/^2021-09-12T05:44:48\.369Z GET +10\.103\.20\.194\/abc +404 - +1ms 172\.17\.0\.16:8080 outbound\|80\|\|frontend/);
    // Columns line up: the code column ends at the same place on every access line.
    const codeEnd = lines[0]!.indexOf('CODE') + 4;
    for (const line of lines.slice(1).filter((l) => /^\d{4}-\d\d-\d\dT.*Z (GET|POST|TCP)/.test(l) && !l.includes('/apis/'))) expect(line.slice(codeEnd - 3, codeEnd), line).toMatch(/^[ \d]{2}\d$/);
  });

  it('--output json: one object per line with every parsed field, raw lines kept with "raw" (and "error")', async () => {
    const result = await run(['logs', '--file', mixed, '--output', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const records = jsonLines(result.stdout);
    expect(records).toHaveLength(MIXED.length);
    expect(records[0]).toEqual({ raw: AGENT[0] });
    expect(records[1]).toEqual({
      format: 'text',
      startTime: '2020-11-25T21:26:18.409Z',
      method: 'GET',
      path: '/status/418',
      protocol: 'HTTP/1.1',
      responseCode: 418,
      responseFlags: [],
      responseCodeDetails: 'via_upstream',
      connectionTerminationDetails: null,
      upstreamTransportFailureReason: null,
      bytesReceived: 0,
      bytesSent: 135,
      durationMs: 4,
      upstreamServiceTimeMs: 4,
      forwardedFor: null,
      userAgent: 'curl/7.73.0-DEV',
      requestId: '84961386-6d84-929d-98bd-c5aee93b5c88',
      authority: 'httpbin:8000',
      upstreamHost: '10.44.1.27:80',
      upstreamCluster: 'outbound|8000||httpbin.foo.svc.cluster.local',
      upstreamLocalAddress: '10.44.1.23:37652',
      downstreamLocalAddress: '10.0.45.184:8000',
      downstreamRemoteAddress: '10.44.1.23:46520',
      requestedServerName: null,
      routeName: 'default',
    });
    const cut = records.find((r) => r['raw'] === CUT);
    expect(cut?.['error']).toMatch(/cut short|fields/);
    for (const record of records.filter((r) => !('raw' in r))) expect(Object.keys(record)).toEqual(['format', ...ACCESS_LOG_FIELDS]);
    expect(records.filter((r) => r['format'] === 'text-pre-1.9')).toHaveLength(REAL_PRE_1_9.length);
    expect(records.filter((r) => r['format'] === 'json')).toHaveLength(REAL_JSON.length);
  });

  it('--status 5xx keeps the 5xx records and the lines it could not read, nothing else', async () => {
    const result = await run(['logs', '--file', mixed, '--status', '5xx', '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const records = jsonLines(result.stdout);
    expect(records.map((r) => r['responseCode'] ?? r['raw'])).toEqual([503, 503, CUT]);
    const fours = jsonLines((await run(['logs', '--file', mixed, '--status', '4XX', '-o', 'json'])).stdout);
    expect(fours.map((r) => r['responseCode'] ?? 'raw')).toEqual([418, 418, 418, 418, 'raw', 404]);
  });

  it('reads standard input with --file -', async () => {
    const input = `${MIXED.join('\n')}\n`;
    const fromStdin = await run(['logs', '--file', '-', '-o', 'json'], input);
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(fromStdin.stdout).toBe((await run(['logs', '--file', mixed, '-o', 'json'])).stdout);
    // Through a shell pipe, as after `kubectl logs`.
    const piped = await run(`cat '${mixed}' | '${process.execPath}' '${main}' logs --file -`);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toBe((await run(['logs', '--file', mixed])).stdout);
  });

  it('reads CRLF, a last line without a newline, kubectl --timestamps, and empty input', async () => {
    const crlf = await run(['logs', '--file', '-', '-o', 'json'], `${REAL_1_9[0]}\r\n2020-11-25T21:26:18.413579207Z ${REAL_1_9[1]}\r\n${REAL_1_9[2]}`);
    const records = jsonLines(crlf.stdout);
    expect(records.map((r) => r['responseCode'])).toEqual([418, 418, 301]);
    const empty = await run(['logs', '--file', '-', '-o', 'json'], '');
    expect(empty).toEqual({ code: 0, stdout: '', stderr: '' });
    const emptyText = await run(['logs', '--file', '-'], '');
    expect(emptyText.stdout).toMatch(/^TIME .*UPSTREAM\n$/);
  });

  it('streams a large input in order, none dropped (100,000 lines through a pipe)', async () => {
    const big = join(dir, 'big.log');
    const many: string[] = [];
    for (let i = 0; i < 100_000; i++) many.push(i % 10 === 9 ? `${AGENT[0]} #${i}` : REAL_1_9[i % 2]!.replace('"-" "curl', `"10.0.${i >> 8 & 255}.${i & 255}" "curl`));
    writeFileSync(big, `${many.join('\n')}\n`);
    const started = Date.now();
    const result = await run(`cat '${big}' | '${process.execPath}' '${main}' logs --file - -o json`);
    const seconds = (Date.now() - started) / 1000;
    expect(result.code, result.stderr).toBe(0);
    const records = jsonLines(result.stdout);
    expect(records).toHaveLength(100_000);
    expect(records[9]).toEqual({ raw: `${AGENT[0]} #9` });
    expect(records[99_998]!['forwardedFor']).toBe(`10.0.${99_998 >> 8 & 255}.${99_998 & 255}`);
    expect(seconds).toBeLessThan(20);
  });

  it('stops quietly when the reader goes away (| head)', async () => {
    const big = join(dir, 'big.log');
    const result = await run(`'${process.execPath}' '${main}' logs --file '${big}' | head -n 3`);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toHaveLength(4);
    expect(result.stderr).toBe('');
  });

  it('an unknown file is one line on stderr and exit code 1', async () => {
    const missing = await run(['logs', '--file', join(dir, 'nope.log')]);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: `meshdeck: cannot read ${join(dir, 'nope.log')}: no such file\n` });
    const directory = await run(['logs', '--file', dir]);
    expect(directory).toEqual({ code: 1, stdout: '', stderr: `meshdeck: cannot read ${dir}: it is a directory\n` });
  });

  it('wrong input is a usage error (exit 2)', async () => {
    for (const args of [['logs'], ['logs', '--file', mixed, '--status', '6xx'], ['logs', '--file', mixed, '--output', 'yaml'], ['logs', '--file']]) {
      const result = await run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^meshdeck: .+\nRun 'meshdeck logs --help' for usage\.\n$/);
    }
  });

  it('is listed in the help', async () => {
    expect((await run(['--help'])).stdout).toMatch(/\n {2}logs +istio-proxy access logs, parsed/);
    const help = await run(['logs', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('meshdeck logs --file FILE|-');
    expect(help.stdout).toContain('--status CLASS');
  });
});

describe('kubectl logs ... | meshdeck logs --file -', () => {
  let t: TestSim;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (\`npm test\` does)`);
    dir = mkdtempSync(join(tmpdir(), 'meshdeck-logs-kubectl-'));
    t = await startTestSim({ scenario: 'healthy', clusters: 2, podsPerCluster: 4, podStartDelayMs: 0, proxyLogLinesPerSecond: 100 });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('parses what the real kubectl reads from the simulated istio-proxy containers', async () => {
    const east = t.sim.clusters[0]!;
    const pod = await waitFor(() => east.store.list(K.pods, 'sample').find((p) => p.metadata.labels?.['app'] === 'httpbin' && (p['status'] as { phase?: string } | undefined)?.phase === 'Running'), 'httpbin running', 30_000);
    const kubectl = `'${kubectlPath()}' --kubeconfig '${t.kubeconfigPath}' --context ${east.name} --cache-dir '${join(dir, 'cache')}'`;
    const saved = join(dir, 'kubectl.out');
    await waitFor(async () => (await run(`${kubectl} logs -n sample ${pod.metadata.name} -c istio-proxy --tail=400`)).stdout.trimEnd().split('\n').length >= 400, 'enough proxy lines', 30_000);
    const result = await run(`${kubectl} logs -n sample ${pod.metadata.name} -c istio-proxy --tail=400 | tee '${saved}' | '${process.execPath}' '${main}' logs --file - -o json`);
    expect(result.code, result.stderr).toBe(0);
    const input = readFileSync(saved, 'utf8').trimEnd().split('\n');
    const records = jsonLines(result.stdout);
    expect(records).toHaveLength(input.length);
    expect(input.length).toBe(400);
    records.forEach((record, i) => {
      if (input[i]!.startsWith('[')) {
        expect(record['raw'], input[i]).toBeUndefined();
        expect(record['format']).toBe('text');
      } else {
        expect(record).toEqual({ raw: input[i] });
      }
    });
    expect(records.filter((r) => r['format'] === 'text').length).toBeGreaterThan(300);
    // --status 5xx on the same input: only 5xx records.
    const failing = (await run(['logs', '--file', saved, '--status', '5xx', '-o', 'json'])).stdout;
    for (const record of failing.trim() ? jsonLines(failing) : []) expect(Math.floor(Number(record['responseCode']) / 100)).toBe(5);
  });
});
