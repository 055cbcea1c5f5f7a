import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, waitFor, type TestSim } from '../helpers/sim.js';
import { kubectl } from '../helpers/kubectl.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';

const main = meshdeckMain;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function records(stdout: string): { cluster: string; pod: string; raw?: string; requestId?: string; startTime?: string; responseCode?: number }[] {
  return stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

describe('meshdeck logs against live clusters', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await startTestSim({ scenario: 'healthy', proxyLogLinesPerSecond: 20 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('reads the istio-proxy logs of a deployment in every cluster, parsed, with cluster and pod', async () => {
    const result = await run(['logs', '--kubeconfig', t.kubeconfigPath, '-n', 'shop', 'deploy/frontend', '--tail', '5', '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const lines = records(result.stdout);
    expect(new Set(lines.map((l) => l.cluster))).toEqual(new Set(['east', 'west']));
    expect(lines.every((l) => l.pod.startsWith('frontend-'))).toBe(true);
    expect(lines.some((l) => typeof l.responseCode === 'number')).toBe(true);
  });

  it('narrows to a status class and to one context', async () => {
    const result = await run(['logs', '--kubeconfig', t.kubeconfigPath, '--context', 'west', '-n', 'shop', 'svc/frontend', '--tail', '200', '--status', '2xx', '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const lines = records(result.stdout);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.cluster === 'west')).toBe(true);
    expect(lines.every((l) => l.raw !== undefined || (l.responseCode! >= 200 && l.responseCode! < 300))).toBe(true);
  });

  it('says clearly when the target is missing or not in the mesh', async () => {
    const missing = await run(['logs', '--kubeconfig', t.kubeconfigPath, '-n', 'shop', 'deploy/nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('meshdeck: deploy/nope not found in namespace shop of east, west; check -n and --context');
    const bad = await run(['logs', '--kubeconfig', t.kubeconfigPath, 'frontend']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('TARGET must be deploy/NAME, svc/NAME or pod/NAME');
  });

  it('follows: a replaced pod joins, a stream cut mid-line resumes without losing or repeating lines, Ctrl-C ends it', async () => {
    const child = spawn(process.execPath, [main, 'logs', '--kubeconfig', t.kubeconfigPath, '--context', 'east', '-n', 'sample', 'deploy/httpbin', '--tail', '0', '-f', '-o', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const pods = () => new Set(records(out).map((r) => r.pod));
    await waitFor(() => records(out).length > 5, 'lines to flow');
    const [first] = [...pods()];
    t.sim.faults.cutNextLog({ namespace: 'sample', pod: first! }, 'east');
    expect((await kubectl(t.kubeconfigPath, ['--context', 'east', 'delete', 'pod', first!, '-n', 'sample', '--wait=false'])).code).toBe(0);
    await waitFor(() => [...pods()].some((p) => p !== first), 'the replacement pod to join', 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
    expect(code).toBe(0);
    const all = records(out);
    const keys = all.map((r) => `${r.pod} ${r.raw ?? `${r.startTime} ${r.requestId}`}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Every record is whole: a half line would show up as an unparseable raw record.
    expect(all.filter((r) => r.raw !== undefined && (r as { error?: string }).error !== undefined)).toEqual([]);
  });
});
