import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTerminal, type TerminalSession } from '../helpers/tmux.js';
import { kubectl } from '../helpers/kubectl.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';

const main = meshdeckMain;

describe('the CA wizard in the cockpit', () => {
  let term: TerminalSession | undefined;
  afterEach(() => term?.close());

  it('creates a shared root, reviews the plan, installs cacerts in two clusters, restarts istiod and verifies', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-'));
    const work = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-ca-'));
    term = startTerminal(`sh -c 'cd ${work} && node ${main} demo --scenario fresh'`, { columns: 180, rows: 50, env: { XDG_CACHE_HOME: cache } });
    const kubeconfig = join(cache, 'meshdeck', 'demo-kubeconfig.yaml');
    await term.waitFor((s) => s.includes('clusters 3/3 up') && s.includes('3 different roots of trust'), 'three clusters with their own roots', 30_000);

    term.press('command.start');
    term.type('ca');
    term.press('prompt.submit', 'prompt');
    await term.waitFor((s) => s.includes('[1 Root CA]') && s.includes(join(work, 'meshdeck-ca')), 'the root step');
    // A smaller key keeps the test fast: the key type field is the fourth.
    term.sendKeys('Down', 'Down', 'Down', 'Space');
    await term.waitFor((s) => /Key type\s+RSA 2048/.test(s), 'RSA 2048 chosen');
    term.press('wizard.next', 'wizard');
    await term.waitFor((s) => s.includes('[2 Clusters]') && /\[ \] east\s+\S+:\S+/.test(s), 'the clusters with their current roots');
    term.press('wizard.toggle', 'wizard');
    term.press('nav.down', 'wizard');
    term.press('wizard.toggle', 'wizard');
    await term.waitFor((s) => s.includes('[x] east') && s.includes('[x] west') && s.includes('[ ] central'), 'east and west selected');

    // Esc goes back a step and keeps the choices.
    term.press('app.back', 'wizard');
    await term.waitFor((s) => s.includes('[1 Root CA]'), 'back to the root step');
    term.press('wizard.next', 'wizard');
    await term.waitFor((s) => s.includes('[x] east') && s.includes('[x] west'), 'selection kept');
    term.press('wizard.next', 'wizard');
    await term.waitFor((s) => s.includes('[3 Intermediates]'), 'the intermediates step');
    term.press('wizard.next', 'wizard');
    const review = await term.waitFor((s) => s.includes('[4 Review the plan]') && s.includes('create   secret istio-system/cacerts'), 'the plan', 60_000);
    expect(review).toContain('(contents never shown)');
    expect(review).not.toMatch(/BEGIN (RSA |EC )?PRIVATE KEY/);
    // Nothing has touched the clusters or the disk yet.
    expect((await kubectl(kubeconfig, ['--context', 'east', 'get', 'secret', 'cacerts', '-n', 'istio-system'])).code).toBe(1);
    expect(existsSync(join(work, 'meshdeck-ca', 'root-key.pem'))).toBe(false);

    term.press('wizard.confirm', 'wizard');
    const verified = await term.waitFor((s) => s.includes('[6 Verify]') && s.includes('every cluster trusts the same root'), 'applied and verified', 90_000);
    expect(verified).toMatch(/east\s+cacerts\s+\S+\s+O=Istio, CN=Root CA\s+yes/);
    expect(verified).toMatch(/west\s+cacerts\s+\S+\s+O=Istio, CN=Root CA\s+yes/);
    expect(statSync(join(work, 'meshdeck-ca', 'root-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(work, 'meshdeck-ca', 'east', 'ca-key.pem')).mode & 0o777).toBe(0o600);
    expect((await kubectl(kubeconfig, ['--context', 'west', 'get', 'secret', 'cacerts', '-n', 'istio-system', '-o', 'name'])).stdout.trim()).toBe('secret/cacerts');
    term.press('wizard.next', 'wizard');
    await term.waitFor((s) => s.includes('2 different roots of trust'), 'the cockpit again, central still apart');
  });
});
