import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meshdeck as runMeshdeck, type Run } from '../helpers/run-cli.js';
import { injectionActionService } from '../../source/cli/injection-action-service.js';
import { kubeconfigFiles, loadKubeconfig } from '../../source/kube/kubeconfig.js';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { kubectl } from '../helpers/kubectl.js';

// Every run writes its audit log here, never under the real home.
const STATE = mkdtempSync(join(tmpdir(), 'meshdeck-inject-state-'));
const meshdeck = (args: string[]): Promise<Run> => runMeshdeck(args, { XDG_STATE_HOME: STATE });
const AUDIT = join(STATE, 'meshdeck', 'audit.log');
const auditLines = () => readFileSync(AUDIT, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);

describe('meshdeck inject / restart: wrong usage is exit 2 with one line', () => {
  it.each([
    [['inject'], 'inject needs enable or disable', 'inject'],
    [['inject', 'toggle', '--context', 'east', '-n', 'x'], 'unknown inject action "toggle" (enable, disable)', 'inject'],
    [['inject', 'enable', '-n', 'x'], 'inject needs --context (one or more, comma-separated)', 'inject'],
    [['inject', 'enable', '--context', 'east'], 'inject needs -n NAMESPACE', 'inject'],
    [['inject', 'enable', '--context', 'east', '-n', 'x', '--output', 'yaml'], '--output must be text or json, got "yaml"', 'inject'],
    [['inject', 'enable', '--context', 'east', '-n', 'x', '--set-disabled'], '--set-disabled goes with inject disable', 'inject'],
    [['restart', '--context', 'east', '-n', 'x'], 'restart needs a workload (DEPLOYMENT) or --missing-sidecar', 'restart'],
    [['restart', '--context', 'east', '-n', 'x', 'web', '--missing-sidecar'], 'give either a workload or --missing-sidecar, not both', 'restart'],
    [['restart', '--context', 'east', '-n', 'x', 'pod/web'], 'WORKLOAD must be NAME, deploy/NAME, sts/NAME or ds/NAME, got "pod/web"', 'restart'],
    [['restart', '--context', 'east', '-n', 'x', '--missing-sidecar', '--force'], '--force goes with a named workload', 'restart'],
    [['restart', '--context', 'east', '-n', 'x', 'a', 'b'], 'unexpected argument "b"', 'restart'],
  ])('%j', async (args, message, command) => {
    expect(await meshdeck(args)).toEqual({ code: 2, stdout: '', stderr: `meshdeck: ${message}\nRun 'meshdeck ${command} --help' for usage.\n` });
  });

  it('lists both commands in meshdeck --help, and each has its own help', async () => {
    const help = await meshdeck(['--help']);
    expect(help.stdout).toMatch(/\n {2}inject +turn automatic sidecar injection on or off/);
    expect(help.stdout).toMatch(/\n {2}restart +rollout-restart workloads/);
    const own = await meshdeck(['restart', '--help']);
    expect(own.code).toBe(0);
    expect(own.stdout).toContain('--missing-sidecar');
  });
});

describe('meshdeck inject + restart fix the broken scenario\'s uninjected namespace', () => {
  let t: TestSim;
  const kc = () => ['--kubeconfig', t.kubeconfigPath];
  const labels = async () => (await kubectl(t.kubeconfigPath, ['--context', 'east', 'get', 'namespace', 'legacy', '-o', 'jsonpath={.metadata.labels}'])).stdout;
  const containers = async () => {
    const out = await kubectl(t.kubeconfigPath, ['--context', 'east', 'get', 'pods', '-n', 'legacy', '-o', 'jsonpath={range .items[*]}{.metadata.labels.app}={.spec.containers[*].name};{end}']);
    return out.stdout.split(';').filter(Boolean).sort();
  };

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'broken' });
    // Start from a namespace nobody labelled: `legacy` runs httpbin and sleep without sidecars.
    const unlabel = await kubectl(t.kubeconfigPath, ['--context', 'east', 'label', 'namespace', 'legacy', 'istio-injection-']);
    expect(unlabel.code, unlabel.stderr).toBe(0);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('an unknown context is one line and exit 1', async () => {
    expect(await meshdeck(['inject', 'enable', ...kc(), '--context', 'nowhere', '-n', 'legacy'])).toEqual({ code: 1, stdout: '', stderr: 'meshdeck: context "nowhere" is not in the kubeconfig (have: east, west, central); fix --context\n' });
  });

  it('without --apply prints the plan and changes nothing', async () => {
    const run = await meshdeck(['inject', 'enable', ...kc(), '--context', 'east', '-n', 'legacy']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      [
        'enable sidecar injection in namespace legacy (east)',
        '',
        '1. [east] label namespace legacy',
        '     + istio-injection=enabled',
        '',
        'Notes:',
        '  [east] the running pods of deployment/httpbin, deployment/sleep get istio-proxy only when they restart (plan with restart, or meshdeck restart -n legacy --missing-sidecar)',
        '',
        'nothing changed yet: review the plan, then run again with --apply',
        '',
      ].join('\n'),
    );
    expect(await labels()).not.toContain('istio-injection');
  });

  it('a blocked plan is exit 1 and applies nothing, not even in the clusters that could', async () => {
    const run = await meshdeck(['inject', 'enable', ...kc(), '--context', 'east,west', '-n', 'legacy', '--apply']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Blocked (nothing will be applied):\n  [west] west has no namespace legacy\n\nnot applied: the plan is blocked (see above)\n');
    expect(await labels()).not.toContain('istio-injection');
  });

  it('inject enable --apply labels the namespace and says the pods still need a restart', async () => {
    const run = await meshdeck(['inject', 'enable', ...kc(), '--context', 'east', '-n', 'legacy', '--apply']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('applying, one cluster at a time (east):\n  → labelling namespace legacy in east (istio-injection=enabled)\n  ✓ labelled namespace legacy in east: istio-injection=enabled\n\ndone: 1 step applied and checked\n');
    expect(run.stdout).toContain('! warning  in east, pods of deployment/httpbin, deployment/sleep run without the istio-proxy that legacy asks for: restart them\n');
    expect(await labels()).toContain('"istio-injection":"enabled"');
    expect(await containers()).toEqual(['httpbin=httpbin', 'sleep=sleep']);
  });

  it('restart --missing-sidecar --apply restarts both, checks them, and kubectl sees istio-proxy in the new pods', async () => {
    const run = await meshdeck(['restart', ...kc(), '--context', 'east', '-n', 'legacy', '--missing-sidecar', '--apply']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const progress = run.stdout.split('\n').filter((l) => /^ {2}[→✓✗-] /.test(l));
    expect(progress).toEqual([
      '  → restarting deployment legacy/httpbin in east',
      '  ✓ restarted deployment legacy/httpbin in east; the rollout is complete',
      '  → restarting deployment legacy/sleep in east',
      '  ✓ restarted deployment legacy/sleep in east; the rollout is complete',
      '  → checking the new pods in legacy in east',
      '  ✓ east: the new pods of deployment/httpbin (1), deployment/sleep (1) run istio-proxy',
    ]);
    expect(run.stdout).toMatch(/done: 3 steps applied and checked\n· ok {7}legacy in east: injection on \(istio-injection=enabled\); every running pod matches\n$/);
    expect(await containers()).toEqual(['httpbin=httpbin istio-proxy', 'sleep=sleep istio-proxy']);
  });

  it('a second apply is a no-op, for both commands', async () => {
    const restart = await meshdeck(['restart', ...kc(), '--context', 'east', '-n', 'legacy', '--missing-sidecar', '--apply']);
    expect(restart).toEqual({ code: 0, stderr: '', stdout: 'restart the workloads of legacy that lack istio-proxy (east)\n\nNothing to change: everything is already as planned.\n' });
    const inject = await meshdeck(['inject', 'enable', ...kc(), '--context', 'east', '-n', 'legacy', '--apply', '-o', 'json']);
    expect(inject.code).toBe(0);
    expect(JSON.parse(inject.stdout)).toMatchObject({ applied: false, plan: { kind: 'inject', action: 'enable', steps: [], blocked: [], notes: [] } });
  });

  it('restart of one named workload: --output json carries the plan, the result and the check', async () => {
    const run = await meshdeck(['restart', ...kc(), '--context', 'east', '-n', 'legacy', 'deploy/sleep', '--force', '--apply', '-o', 'json']);
    expect(run.code, run.stdout).toBe(0);
    const out = JSON.parse(run.stdout) as { applied: boolean; plan: { steps: { id: string }[] }; result: { ok: boolean }; verify: { remainingSteps: number; findings: { severity: string }[] } };
    expect(out.applied).toBe(true);
    expect(out.plan.steps.map((s) => s.id)).toEqual(['east/restart-deployment-sleep', 'east/verify-sidecars']);
    expect(out.result.ok).toBe(true);
    expect(out.verify).toEqual({ remainingSteps: 0, findings: [{ cluster: 'east', severity: 'info', message: 'legacy in east: injection on (istio-injection=enabled); every running pod matches' }] });
  });

  it('every label and restart above is one line of the audit log (0600): who, when, context, object, verb, outcome', () => {
    expect(statSync(AUDIT).mode & 0o777).toBe(0o600);
    const lines = auditLines();
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(['time', 'user', 'context', 'object', 'verb', 'outcome', 'message']);
      expect(Date.parse(line['time']!)).toBeGreaterThan(Date.now() - 600_000);
      expect(line).toMatchObject({ user: 'east-admin', context: 'east', outcome: 'success' });
    }
    // Plans without --apply, blocked plans and no-ops write nothing; checks are not changes.
    expect(lines.map((l) => `${l['verb']} ${l['object']}`)).toEqual(['label namespace legacy', 'restart deployment legacy/httpbin', 'restart deployment legacy/sleep', 'restart deployment legacy/sleep']);
  });

  it("the cockpit's i and r record the same way, and a refused change is a failure", async () => {
    const contexts = loadKubeconfig(kubeconfigFiles(t.kubeconfigPath, {})).contexts;
    const env = { XDG_STATE_HOME: STATE };
    const before = auditLines().length;
    const toggle = injectionActionService(contexts, { kind: 'toggle-injection', cluster: 'east', namespace: 'legacy' }, env);
    expect((await toggle.prepare(() => {})).blocked).toBe(false);
    expect((await toggle.apply(() => {})).ok).toBe(true);
    expect(await labels()).not.toContain('istio-injection');
    const restart = injectionActionService(contexts, { kind: 'restart', cluster: 'east', namespace: 'legacy', workloadKind: 'Deployment', workload: 'sleep' }, env);
    await restart.prepare(() => {});
    // The namespace is changed behind the plan's back: the restart goes through, the toggle back is refused.
    const again = injectionActionService(contexts, { kind: 'toggle-injection', cluster: 'east', namespace: 'legacy' }, env);
    await again.prepare(() => {});
    expect((await restart.apply(() => {})).ok).toBe(true);
    expect((await kubectl(t.kubeconfigPath, ['--context', 'east', 'label', 'namespace', 'legacy', 'touched=yes'])).code).toBe(0);
    expect((await again.apply(() => {})).ok).toBe(false);
    const added = auditLines().slice(before).map((l) => `${l['context']} ${l['verb']} ${l['object']} ${l['outcome']}`);
    expect(added).toEqual(['east label namespace legacy success', 'east restart deployment legacy/sleep success', 'east label namespace legacy failure']);
  });
});
