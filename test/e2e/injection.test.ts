import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTerminal, type TerminalSession } from '../helpers/tmux.js';
import { kubectl } from '../helpers/kubectl.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';

const main = meshdeckMain;

describe('injection control from the workloads pane', () => {
  let term: TerminalSession | undefined;
  afterEach(() => term?.close());

  function start(scenario: string, extra = '') {
    const cache = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-'));
    const state = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-state-'));
    term = startTerminal(`node ${main} demo --scenario ${scenario}${extra}`, { columns: 180, rows: 45, env: { XDG_CACHE_HOME: cache, XDG_STATE_HOME: state } });
    return { term, kubeconfig: join(cache, 'meshdeck', 'demo-kubeconfig.yaml'), audit: join(state, 'meshdeck', 'audit.log') };
  }

  /** `context verb object outcome` of each audit line; the file is 0600. */
  function audited(path: string): string[] {
    expect(statSync(path).mode & 0o777).toBe(0o600);
    return readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>).map((l) => `${l['user']} ${l['context']} ${l['verb']} ${l['object']} ${l['outcome']}`);
  }

  it("restarts every workload of an injected namespace still missing its sidecar (the broken scenario's legacy)", async () => {
    const { term, kubeconfig, audit } = start('broken');
    await term.waitFor((s) => s.includes('2 workloads missing sidecars'), 'the broken mesh');
    term.press('pane.workloads');
    term.press('filter.start');
    term.type('legacy');
    term.press('prompt.submit', 'prompt');
    term.press('workload.restartMissing');
    const plan = await term.waitFor((s) => s.includes('restart deployment legacy/httpbin') && s.includes('y apply this plan'), 'the plan');
    expect(plan).toContain('restart deployment legacy/sleep');
    // Nothing changed before y.
    expect((await kubectl(kubeconfig, ['--context', 'east', 'get', 'pods', '-n', 'legacy', '-o', 'jsonpath={.items[*].spec.containers[*].name}'])).stdout).not.toContain('istio-proxy');
    term.press('wizard.confirm', 'wizard');
    await term.waitFor((s) => s.includes('✓ applied'), 'applied', 60_000);
    term.press('app.back', 'wizard');
    await term.waitFor((s) => s.includes('0 workloads missing sidecars'), 'the header following');
    const containers = await kubectl(kubeconfig, ['--context', 'east', 'get', 'pods', '-n', 'legacy', '-o', 'jsonpath={range .items[*]}{.spec.containers[*].name}{"\\n"}{end}']);
    expect(containers.stdout.trim().split('\n').every((line) => line.includes('istio-proxy'))).toBe(true);
    expect(audited(audit)).toEqual(['east-admin east restart deployment legacy/httpbin success', 'east-admin east restart deployment legacy/sleep success']);
  });

  /** The workloads pane narrowed to platform/checkout, which has no sidecar yet. */
  async function showCheckout(term: TerminalSession): Promise<void> {
    term.press('pane.workloads');
    term.press('filter.start');
    term.type('^checkout$');
    term.press('prompt.submit', 'prompt');
    await term.waitFor((s) => /east\s+platform\s+checkout\s+v1\s+\d+\/\d+ - none/.test(s), 'checkout without a sidecar');
  }

  it('turns injection on for a namespace (i), then restarts a workload (r) so it gets its sidecar', async () => {
    const { term, kubeconfig, audit } = start('healthy');
    await term.waitFor((s) => s.includes('clusters 2/2 up'), 'the healthy mesh');
    await showCheckout(term);
    term.press('workload.inject');
    await term.waitFor((s) => s.includes('namespace platform') && s.includes('istio-injection') && s.includes('y apply this plan'), 'the label plan');
    term.press('wizard.confirm', 'wizard');
    await term.waitFor((s) => s.includes('✓ applied'), 'labelled');
    expect((await kubectl(kubeconfig, ['--context', 'east', 'get', 'ns', 'platform', '-o', 'jsonpath={.metadata.labels.istio-injection}'])).stdout).toBe('enabled');
    term.press('app.back', 'wizard');
    await term.waitFor((s) => /east\s+platform\s+checkout\s+v1\s+\d+\/\d+ ✗ missing/.test(s), 'checkout now missing its sidecar');
    term.press('workload.restart');
    await term.waitFor((s) => s.includes('restart deployment platform/checkout') && s.includes('y apply this plan'), 'the restart plan');
    term.press('wizard.confirm', 'wizard');
    await term.waitFor((s) => s.includes('✓ applied'), 'restarted', 60_000);
    term.press('app.back', 'wizard');
    await term.waitFor((s) => /east\s+platform\s+checkout\s+v1\s+\d+\/\d+ ● injected/.test(s), 'checkout injected', 30_000);
    expect(audited(audit)).toEqual(['east-admin east label namespace platform success', 'east-admin east restart deployment platform/checkout success']);
  });

  it('with --readonly the header says so, and i, r and R say they are off instead of offering a plan; nothing reaches the cluster', async () => {
    const { term, kubeconfig, audit } = start('healthy', ' --readonly');
    await term.waitFor((s) => s.includes('meshdeck read-only · clusters 2/2 up'), 'the read-only header');
    await showCheckout(term);
    term.press('workload.inject');
    const refused = await term.waitFor((s) => s.includes('read-only: i, r and R change the cluster and are off'), 'the read-only message');
    expect(refused).not.toContain('y apply this plan');
    term.press('workload.restart');
    await term.waitFor((s) => s.includes('read-only: i, r and R change the cluster and are off'), 'still off for r');
    expect((await kubectl(kubeconfig, ['--context', 'east', 'get', 'ns', 'platform', '-o', 'jsonpath={.metadata.labels}'])).stdout).not.toContain('istio-injection');
    expect(existsSync(audit) ? audited(audit) : []).toEqual([]);
  });
});
