import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startTerminal, type TerminalSession } from '../helpers/tmux.js';
import { startSimProcess, type SimProcess } from '../helpers/sim-process.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';
import { alive, hangingPlugin } from '../helpers/processes.js';

const main = meshdeckMain;

describe('the cockpit with kubeconfig credentials that fail', () => {
  let term: TerminalSession | undefined;
  let sim: SimProcess | undefined;
  afterEach(() => {
    term?.close();
    sim?.stop();
  });

  it('shows each failing context as down with a one-line reason, and the others live; nothing crashes', async () => {
    sim = await startSimProcess(['--clusters', '2', '--pods-per-cluster', '4']);
    const doc = parse(readFileSync(sim.kubeconfig, 'utf8')) as { clusters: { name: string }[]; users: object[]; contexts: object[] };
    const add = (name: string, user: object) => {
      doc.users.push({ name, user });
      doc.contexts.push({ name, context: { cluster: 'east', user: name } });
    };
    // An exec plugin whose login expired (what `kubelogin` or `aws eks get-token` print then).
    add('expired', { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: '/bin/sh', args: ['-c', 'echo "error: the refresh token has expired; run login again" >&2; exit 1'], interactiveMode: 'Never' } });
    // A token file that is not there: client-node reads it when the context is loaded (this crashed the cockpit).
    add('no-token', { 'token-file': '/nonexistent/meshdeck/token' });
    const path = join(sim.kubeconfig, '..', 'with-broken-users.yaml');
    writeFileSync(path, stringify(doc), { mode: 0o600 });

    term = startTerminal(`node ${main} --kubeconfig ${path}`, { columns: 200, rows: 40 });
    const screen = await term.waitFor((s) => s.includes('clusters 2/4 up') && /^expired\s+✗ down: /m.test(s) && /^no-token\s+✗ down: /m.test(s), 'two contexts down, two up', 30_000);
    const row = (name: string) => screen.split('\n').find((l) => l.startsWith(`${name} `))!;
    expect(row('expired')).toMatch(/✗ down: the credential plugin "\/bin\/sh" faile/);
    expect(row('no-token')).toMatch(/✗ down: the kubeconfig entry cannot be used: /);
    expect(row('east')).toMatch(/^east\s+● up/);
    expect(row('west')).toMatch(/^west\s+● up/);
    expect(term.exitCode()).toBeUndefined();

    // The whole reason is in the details (Enter on the row).
    term.press('nav.down');
    term.press('nav.down');
    term.press('item.details');
    const details = await term.waitFor((s) => s.includes('run login again'), 'the full reason in the details');
    expect(details).toContain('the credential plugin "/bin/sh" failed: error: the refresh token has expired; run login again');
    term.press('app.back', 'detail');
    // Esc and q sent together reach the terminal as Alt+q: wait for the details to close first.
    await term.waitFor((s) => !s.includes('Esc back'), 'the details closed');
    term.press('app.quit', 'global');
    await term.waitFor(() => term!.exitCode() !== undefined, 'meshdeck to exit');
    expect(term.exitCode()).toBe(0);
    expect(term.alternateScreen()).toBe(false);
  });

  it('kills a credential plugin that hangs, runs one at a time for the context, and shows one clear row', async () => {
    sim = await startSimProcess(['--clusters', '1', '--pods-per-cluster', '2']);
    const doc = parse(readFileSync(sim.kubeconfig, 'utf8')) as { clusters: { name: string }[]; users: object[]; contexts: object[] };
    const plugin = hangingPlugin(join(sim.kubeconfig, '..'));
    doc.users.push({ name: 'hangs', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin.path, interactiveMode: 'Never' } } });
    doc.contexts.push({ name: 'hangs', context: { cluster: 'east', user: 'hangs' } });
    const path = join(sim.kubeconfig, '..', 'with-hanging-plugin.yaml');
    writeFileSync(path, stringify(doc), { mode: 0o600 });

    term = startTerminal(`node ${main} --kubeconfig ${path}`, { columns: 200, rows: 40, env: { MESHDECK_EXEC_TIMEOUT: '1' } });
    // Every kind of the cluster asks for credentials at once, and again on each retry: never two plugins at a time.
    let most = 0;
    const deadline = Date.now() + 8_000;
    let screen = '';
    while (Date.now() < deadline) {
      most = Math.max(most, plugin.runs().filter(([pid]) => alive(pid!)).length);
      screen = term.screen().join('\n');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(most).toBe(1);
    const rows = screen.split('\n').filter((l) => l.startsWith('hangs '));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^hangs\s+✗ down: the credential plugin "/);
    expect(screen).toMatch(/^east\s+● up/m);
    // The whole reason is in the details.
    term.press('nav.down');
    term.press('item.details');
    const details = await term.waitFor((s) => s.includes('did not answer'), 'the reason in the details');
    expect(details.replace(/\s+/g, ' ')).toContain(`the credential plugin "${plugin.path}" did not answer within 1 s`);
    term.press('app.back', 'detail');
    await term.waitFor((s) => !s.includes('Esc back'), 'the details closed');
    // Retries ran, each after the one before was killed (with the child it started).
    const runs = plugin.runs();
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.slice(0, -1).flat().some(alive)).toBe(false);
    term.press('app.quit', 'global');
    await term.waitFor(() => term!.exitCode() !== undefined, 'meshdeck to exit');
    expect(term.exitCode()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Quitting while a plugin runs stops it too.
    expect(plugin.runs().flat().some(alive)).toBe(false);
  });
});
