import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meshdeck, type Run } from '../helpers/run-cli.js';
import { isReadonlyMode } from '../../source/kube/transport.js';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { kubectl } from '../helpers/kubectl.js';

const KINDS = 'namespaces,secrets,configmaps,services,deployments,serviceaccounts,clusterroles,clusterrolebindings,gateways.networking.istio.io,virtualservices.networking.istio.io';

describe('--readonly (and readonly: true in config.yaml) refuse every change, whatever the command', () => {
  let t: TestSim;
  let env: NodeJS.ProcessEnv;
  const certs = mkdtempSync(join(tmpdir(), 'meshdeck-readonly-certs-'));
  const kc = () => ['--kubeconfig', t.kubeconfigPath];
  /** Every object kubectl sees in both clusters, with its resourceVersion: any write changes it. */
  const snapshot = async () => {
    const out: string[] = [];
    for (const context of ['east', 'west']) {
      const got = await kubectl(t.kubeconfigPath, ['--context', context, 'get', KINDS, '-A', '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.namespace}/{.metadata.name}={.metadata.resourceVersion}{"\\n"}{end}']);
      expect(got.code, got.stderr).toBe(0);
      out.push(...got.stdout.split('\n').filter(Boolean).map((line) => `${context}:${line}`));
    }
    return out.sort();
  };
  const refused = (run: Run, verb: string) => {
    expect(run.code).toBe(1);
    const lines = (run.stdout + run.stderr).split('\n').filter((l) => l.includes('readonly mode: refused'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(new RegExp(`readonly mode: refused ${verb} /\\S+ \\(meshdeck runs with --readonly or "readonly: true" in config.yaml; nothing was sent to the cluster\\)`));
    expect(isReadonlyMode()).toBe(false);
  };

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'fresh', clusters: 2, podsPerCluster: 0 });
    env = { XDG_STATE_HOME: join(t.dir, 'state'), XDG_CACHE_HOME: join(t.dir, 'cache'), XDG_CONFIG_HOME: join(t.dir, 'config') };
    expect((await kubectl(t.kubeconfigPath, ['--context', 'east', 'create', 'namespace', 'legacy'])).code).toBe(0);
    expect((await meshdeck(['ca', 'root', '--out', certs, '--key-type', 'ecdsa'], env)).code).toBe(0);
    expect((await meshdeck(['ca', 'intermediate', '--root', certs, '--cluster', 'east,west', '--out', certs, '--key-type', 'ecdsa'], env)).code).toBe(0);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('gateway set-port, ca install, inject, restart: exit 1 naming readonly mode; kubectl sees every object unchanged', async () => {
    const before = await snapshot();
    refused(await meshdeck(['gateway', 'set-port', ...kc(), '--context', 'east', 'istio-system/istio-ingressgateway', '--name', 'tcp-echo', '--port', '31400', '--apply', '--readonly'], env), 'PATCH');
    refused(await meshdeck(['--readonly', 'ca', 'install', ...kc(), '--context', 'east,west', '--from', certs, '--apply', '--restart'], env), 'POST');
    refused(await meshdeck(['inject', 'enable', ...kc(), '--context', 'east', '-n', 'legacy', '--apply', '--readonly'], env), 'PATCH');
    refused(await meshdeck(['restart', ...kc(), '--context', 'east', '-n', 'sample', 'deploy/sleep', '--force', '--apply', '--readonly'], env), 'PATCH');
    expect(await snapshot()).toEqual(before);
    // Each refusal is in the audit log as a failure.
    const audit = readFileSync(join(env['XDG_STATE_HOME']!, 'meshdeck', 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(audit.length).toBeGreaterThanOrEqual(3);
    for (const entry of audit) expect(entry).toMatchObject({ outcome: 'failure', message: expect.stringContaining('readonly mode') });
  });

  it('readonly: true in config.yaml does the same without the flag; a wrong value is one line', async () => {
    mkdirSync(join(env['XDG_CONFIG_HOME']!, 'meshdeck'), { recursive: true });
    const config = join(env['XDG_CONFIG_HOME']!, 'meshdeck', 'config.yaml');
    writeFileSync(config, 'readonly: true\n');
    const before = await snapshot();
    refused(await meshdeck(['inject', 'enable', ...kc(), '--context', 'east', '-n', 'legacy', '--apply'], env), 'PATCH');
    expect(await snapshot()).toEqual(before);
    writeFileSync(config, 'readonly: sometimes\n');
    expect(await meshdeck(['inject', 'enable', ...kc(), '--context', 'east', '-n', 'legacy'], env)).toEqual({ code: 1, stdout: '', stderr: `meshdeck: ${config}: readonly must be true or false\n` });
    writeFileSync(config, 'readonly: false\n');
  });

  it('join --apply: refused before the first object; the same command without --readonly then joins', async () => {
    // Both clusters on one root first (without --readonly: the mode does not outlive a command).
    const install = await meshdeck(['ca', 'install', ...kc(), '--context', 'east,west', '--from', certs, '--apply', '--restart'], env);
    expect(install.code, install.stdout).toBe(0);
    const before = await snapshot();
    const args = ['join', ...kc(), '--primary', 'east', '--remote', 'west', '--out', join(t.dir, 'join'), '--timeout', '20', '--apply'];
    const run = await meshdeck([...args, '--readonly'], env);
    refused(run, 'PATCH');
    expect(run.stdout).not.toMatch(/✓ done/);
    expect(await snapshot()).toEqual(before);
    const joined = await meshdeck(args, env);
    expect(joined.code, joined.stdout).toBe(0);
    expect((await kubectl(t.kubeconfigPath, ['--context', 'east', 'get', 'secret', '-n', 'istio-system', 'istio-remote-secret-west', '-o', 'name'])).stdout).toBe('secret/istio-remote-secret-west\n');
  });
});
