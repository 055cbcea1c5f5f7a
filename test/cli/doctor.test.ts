import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import type { Finding } from '../../source/mesh/doctor/index.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';

// Acceptance: the built `meshdeck doctor` (npm test builds dist/ first) against the simulator's scenarios.

const main = meshdeckMain;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function meshdeck(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { env: { ...process.env, MESHDECK_DEBUG: '' }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

interface Report {
  clusters: { name: string; state: string }[];
  summary: { errors: number; warnings: number; info: number };
  findings: Finding[];
}

async function doctorJson(kubeconfig: string, extra: string[] = []): Promise<{ run: Run; report: Report }> {
  const run = await meshdeck(['doctor', '--kubeconfig', kubeconfig, '--output', 'json', ...extra]);
  expect(run.stderr).toBe('');
  return { run, report: JSON.parse(run.stdout) as Report };
}

const line = (f: Finding) => `${f.code} ${f.severity} ${f.cluster} ${f.object}`;

describe('meshdeck doctor on the healthy scenario', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ scenario: 'healthy' });
  });
  afterAll(() => sim.stop());

  it('finds nothing, exit 0', async () => {
    const { run, report } = await doctorJson(sim.kubeconfigPath);
    expect(report.findings.map(line)).toEqual([]);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, info: 0 });
    expect(report.clusters.map((c) => `${c.name} ${c.state}`)).toEqual(['east synced', 'west synced']);
    expect(run.code).toBe(0);
  });

  it('says so in text', async () => {
    const run = await meshdeck(['doctor', '--kubeconfig', sim.kubeconfigPath, '--context', 'west']);
    expect(run).toMatchObject({ code: 0, stdout: 'meshdeck doctor: no problems found in 1 cluster (west)\n' });
  });

  it('an unreachable cluster is a finding and exit 1, not a crash', async () => {
    await sim.sim.cluster('west').stopServing();
    const { run, report } = await doctorJson(sim.kubeconfigPath, ['--timeout', '10']);
    expect(run.code).toBe(1);
    expect(report.clusters.find((c) => c.name === 'west')?.state).toBe('down');
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'MD-CLUSTER-001', severity: 'error', cluster: 'west', object: 'Cluster/west', message: expect.stringContaining('connection refused') }));
    // Only what follows from west being away (its remote secret not synced, and its loopback address as the
    // likely reason): nothing about east's own state.
    for (const f of report.findings) expect(['MD-CLUSTER-001', 'MD-REMOTE-001', 'MD-REMOTE-003']).toContain(f.code);
  });
});

describe('meshdeck doctor on the broken scenario', () => {
  let sim: TestSim;
  let result: { run: Run; report: Report };
  beforeAll(async () => {
    sim = await startTestSim({ scenario: 'broken' });
    result = await doctorJson(sim.kubeconfigPath);
  });
  afterAll(() => sim.stop());

  it('reports each planted failure with its code, and nothing else; exit 1', () => {
    expect(result.report.findings.map(line)).toEqual([
      // east: Istio's sample CA, the remote secrets for central (as cluster3) and for north (127.0.0.1:1),
      // the Gateway on 8088, and its east-west gateway, which cannot verify west across networks.
      'MD-GW-001 error east Gateway/sample/httpbin-gateway',
      'MD-PROXY-001 error east Deployment/istio-system/istio-eastwestgateway',
      'MD-REMOTE-001 error east Secret/istio-system/istio-remote-secret-north',
      'MD-REMOTE-002 error east Secret/istio-system/istio-remote-secret-cluster3',
      'MD-TRUST-002 error east Secret/istio-system/cacerts',
      // west: another root than its primary's, so its gateways and sidecars cannot verify istiod.
      'MD-PROXY-001 error west Deployment/istio-system/istio-eastwestgateway',
      'MD-PROXY-001 error west Deployment/istio-system/istio-ingressgateway',
      'MD-PROXY-001 error west Deployment/sample/helloworld-v2',
      'MD-PROXY-001 error west Deployment/sample/sleep',
      'MD-TRUST-001 error west Secret/istio-system/cacerts',
      // central: joined to east, but signs with its own self-signed root.
      'MD-TRUST-001 error central Secret/istio-system/istio-ca-secret',
      'MD-INJ-001 warning east Namespace/legacy',
      'MD-REMOTE-003 warning east Secret/istio-system/istio-remote-secret-north',
      'MD-TRUST-004 warning central Secret/istio-system/cacerts',
    ]);
    expect(result.run.code).toBe(1);
  });

  it('names the causes: x509 in the proxy logs, the wrong ID, the missing port', () => {
    const find = (code: string, cluster: string, object: string) => result.report.findings.find((f) => f.code === code && f.cluster === cluster && f.object === object)!;
    expect(find('MD-PROXY-001', 'west', 'Deployment/sample/sleep').message).toContain('x509: certificate signed by unknown authority');
    expect(find('MD-REMOTE-002', 'east', 'Secret/istio-system/istio-remote-secret-cluster3').message).toContain('whose cluster ID is central');
    expect(find('MD-REMOTE-001', 'east', 'Secret/istio-system/istio-remote-secret-north').message).toMatch(/as timeout \(server https:\/\/127\.0\.0\.1:1\)/);
    expect(find('MD-GW-001', 'east', 'Gateway/sample/httpbin-gateway').message).toContain('server port 8088');
    expect(find('MD-INJ-001', 'east', 'Namespace/legacy').fix).toContain('rollout restart deployment/httpbin deployment/sleep');
  });

  it('prints a table for people, each fix under its finding', async () => {
    const run = await meshdeck(['doctor', '--kubeconfig', sim.kubeconfigPath, '--context', 'east,west']);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^SEVERITY\s+CLUSTER\s+CODE\s+OBJECT\s+MESSAGE$/);
    expect(lines[1]).toMatch(/^error\s+east\s+MD-GW-001\s+Gateway\/sample\/httpbin-gateway\s+server port 8088/);
    expect(lines[2]).toMatch(/^ {2}fix: add port 8088/);
    expect(run.stdout).toMatch(/\nmeshdeck doctor: \d+ errors, \d+ warnings?, 0 info in 2 clusters \(east, west\)\n$/);
  });
});

describe('meshdeck doctor usage', () => {
  it.each([
    [['doctor', '--output', 'yaml'], 'meshdeck: --output must be text or json, got "yaml"'],
    [['doctor', '--timeout', '0'], 'meshdeck: --timeout must be at least 1, got 0'],
    [['doctor', 'extra'], 'meshdeck: unexpected argument "extra"'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const run = await meshdeck(args);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(message);
  });

  it('a missing kubeconfig is a user error (exit 1)', async () => {
    const run = await meshdeck(['doctor', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^meshdeck: kubeconfig \/nonexistent\/kubeconfig does not exist/);
  });

  it('is listed in the help', async () => {
    expect((await meshdeck(['--help'])).stdout).toMatch(/\n {2}doctor +check the mesh/);
    expect((await meshdeck(['doctor', '--help'])).stdout).toContain('meshdeck doctor [--kubeconfig FILE] [--context a,b] [--output text|json] [--timeout SECONDS]');
  });
});
