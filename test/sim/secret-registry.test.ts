import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../source/cli/run.js';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { kubectl } from '../helpers/kubectl.js';
import { findLeaks, recordedOutputs, registeredSecrets } from '../helpers/output-scan.js';

describe("the simulator's secret registry and the scan of meshdeck's output", () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await startTestSim({ scenario: 'healthy', podsPerCluster: 0 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('registers the admin tokens, the tokens it issues and its private keys (vitest sets MESHDECK_SIM_SECRETS)', async () => {
    expect(process.env['MESHDECK_SIM_SECRETS']).toBeTruthy();
    const issued = await kubectl(t.kubeconfigPath, ['--context', 'east', 'create', 'token', 'default', '-n', 'default']);
    expect(issued.code, issued.stderr).toBe(0);
    const values = registeredSecrets().map((s) => s.value);
    expect(values).toContain(t.sim.cluster('east').adminToken);
    expect(values).toContain(t.sim.cluster('west').adminToken);
    expect(values).toContain(issued.stdout.trim());
    // The legacy token of the reader account of the remote secret, filled in by the token controller.
    const reader = await kubectl(t.kubeconfigPath, ['--context', 'west', 'get', 'secrets', '-n', 'istio-system', '-o', 'jsonpath={range .items[?(@.type=="kubernetes.io/service-account-token")]}{.data.token}{"\\n"}{end}']);
    const readerTokens = reader.stdout.split('\n').filter(Boolean).map((b) => Buffer.from(b, 'base64').toString('utf8'));
    expect(readerTokens.length).toBeGreaterThan(0);
    for (const token of readerTokens) expect(values).toContain(token);
    // Keys are registered by a line of their body: istiod's CA key in east's cacerts is one of them.
    const cacerts = await kubectl(t.kubeconfigPath, ['--context', 'east', 'get', 'secret', 'cacerts', '-n', 'istio-system', '-o', 'jsonpath={.data.ca-key\\.pem}']);
    const keyLines = Buffer.from(cacerts.stdout, 'base64').toString('utf8').split('\n');
    expect(registeredSecrets().filter((s) => s.kind === 'key').some((s) => keyLines.includes(s.value))).toBe(true);
  });

  it('finds a token, a key fragment or a PEM private key in any output, and names where without printing it', () => {
    const secrets = registeredSecrets();
    const token = t.sim.cluster('east').adminToken;
    const key = secrets.find((s) => s.kind === 'key')!.value;
    const texts = new Map<string, string[]>([
      ['clean', ['east  ● up  v1.32.4', readFileSync(t.kubeconfigPath, 'utf8').replace(/token: .*/g, 'token: <hidden>')]],
      ['token', [`Authorization: Bearer ${token}`]],
      ['key', [`  ${key}`]],
      ['pem', ['-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----']],
    ]);
    const leaks = findLeaks(texts, secrets);
    expect(leaks).toEqual(['token: a bearer token the simulator issued', 'key: part of a private key the simulator issued', 'pem: a PEM private key block']);
    expect(leaks.join('\n')).not.toContain(token);
  });

  it("records what in-process meshdeck runs print, and the suite's check passes on them", async () => {
    let stdout = '';
    const sink = { write: (chunk: string) => ((stdout += chunk), true) } as unknown as NodeJS.WritableStream;
    const code = await main(['doctor', '--kubeconfig', t.kubeconfigPath, '--output', 'json'], { stdout: sink, stderr: sink, env: {} });
    expect(code).toBeLessThan(2);
    expect(stdout).toContain('"findings"');
    const recorded = [...recordedOutputs()].find(([label]) => label.startsWith('meshdeck doctor --kubeconfig') && label.endsWith('(stdout)'));
    expect(recorded?.[1].has(stdout)).toBe(true);
    expect(findLeaks(recordedOutputs(), registeredSecrets())).toEqual([]);
  });
});
