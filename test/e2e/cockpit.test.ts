import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTerminal, type TerminalSession } from '../helpers/tmux.js';
import { kubectl } from '../helpers/kubectl.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';
import { alive } from '../helpers/processes.js';

const root = join(import.meta.dirname, '..', '..');
const meshdeck = `node ${meshdeckMain}`;

describe('the cockpit in a real terminal', () => {
  let term: TerminalSession | undefined;
  afterEach(() => term?.close());

  function demo(columns: number, rows: number, extra = '') {
    const cache = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-'));
    term = startTerminal(`${meshdeck} demo --scenario plain --clusters 2 --pods-per-cluster 20 ${extra}`, { columns, rows, env: { XDG_CACHE_HOME: cache } });
    return { term, kubeconfig: join(cache, 'meshdeck', 'demo-kubeconfig.yaml'), crashDir: join(cache, 'meshdeck', 'crash') };
  }
  const crashReports = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

  it('shows clusters, gateways and workloads side by side at 200x50, follows kubectl, and quits cleanly', async () => {
    const { term, kubeconfig } = demo(200, 50);
    const first = await term.waitFor((s) => s.includes('clusters 2/2 up') && /Workloads \(\d+\)/.test(s), 'both clusters loaded');
    const lines = first.split('\n');
    expect(lines.some((l) => /^east\s+● up/.test(l))).toBe(true);
    expect(lines.some((l) => /^west\s+● up/.test(l))).toBe(true);
    // Side by side: the gateways and workloads panes share a line.
    expect(lines.some((l) => l.includes('Gateways (') && l.includes('Workloads ('))).toBe(true);
    expect(term.alternateScreen()).toBe(true);

    // The same workload in both clusters sits on adjacent rows.
    const cart = lines.findIndex((l) => /east\s+payments\s+cart\s/.test(l));
    expect(cart).toBeGreaterThan(0);
    expect(lines[cart + 1]).toMatch(/west\s+payments\s+cart\s/);

    const scaled = await kubectl(kubeconfig, ['--context', 'west', 'scale', 'deploy/cart', '-n', 'payments', '--replicas=3']);
    expect(scaled.code, scaled.stderr).toBe(0);
    await term.waitFor((s) => /west\s+payments\s+cart\s+v1\s+3\/3/.test(s), 'the scaled workload on screen');

    term.press('app.quit', 'global');
    await term.waitFor(() => term.exitCode() !== undefined, 'meshdeck to exit');
    expect(term.exitCode()).toBe(0);
    expect(term.alternateScreen()).toBe(false);
  });

  it('stays usable at 80x24: tabs, filter, details, help, command mode', async () => {
    const { term } = demo(80, 24);
    await term.waitFor((s) => s.includes('clusters 2/2 up'), 'clusters loaded');
    let screen = term.screen();
    expect(screen).toHaveLength(24);
    expect(screen.every((line) => [...line].length <= 80)).toBe(true);
    expect(screen[1]).toContain('[1 Clusters]');

    term.press('pane.workloads');
    await term.waitFor((s) => s.includes('[3 Workloads]'), 'the workloads tab');
    term.press('filter.start');
    term.type('^cart$');
    screen = (await term.waitFor((s) => s.includes('(2 of'), 'the filter applied while typing')).split('\n');
    expect(screen.filter((l) => /\bcart\b/.test(l) && /payments/.test(l))).toHaveLength(2);
    term.press('prompt.submit', 'prompt');
    await term.waitFor((s) => /\(2 of \d+ \/\^cart\$\)/.test(s.split('\n')[1] ?? ''), 'the kept filter in the pane title');

    term.press('nav.down');
    term.press('item.details');
    const details = await term.waitFor((s) => s.includes('Workload:') && s.includes('--- Deployment'), 'the details view');
    expect(details).toContain('payments/cart (Deployment) in west');
    term.press('app.back', 'detail');
    await term.waitFor((s) => s.includes('[3 Workloads]'), 'back to the table');
    term.press('app.back', 'global');
    await term.waitFor((s) => /\(\d+\)\s*$/.test(s.split('\n')[1] ?? ''), 'the filter cleared');

    term.press('app.help', 'global');
    await term.waitFor((s) => s.includes('Navigation') && s.includes('move down one row'), 'help');
    term.press('app.back', 'help');

    term.press('command.start');
    term.type('ctx west');
    term.press('prompt.submit', 'prompt');
    await term.waitFor((s) => s.includes('ctx west'), 'the cluster filter');
    expect(term.screen().some((l) => /^east\s/.test(l))).toBe(false);
    term.press('command.start');
    term.type('nope');
    term.press('prompt.submit', 'prompt');
    await term.waitFor((s) => s.includes('unknown command ":nope"'), 'a one-line error for a bad command');
    term.press('command.start');
    term.type('q');
    term.press('prompt.submit', 'prompt');
    await term.waitFor(() => term.exitCode() !== undefined, 'exit by :q');
    expect(term.exitCode()).toBe(0);
    expect(term.alternateScreen()).toBe(false);
  });

  it('restores the terminal on SIGTERM', async () => {
    const { term } = demo(100, 30);
    await term.waitFor((s) => s.includes('clusters 2/2 up'), 'clusters loaded');
    const pid = term.programPid();
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGTERM');
    await term.waitFor(() => term.exitCode() !== undefined, 'exit after SIGTERM');
    expect(term.exitCode()).toBe(0);
    expect(term.alternateScreen()).toBe(false);
  });

  it('restores the terminal on SIGHUP: main screen, cursor shown, exit 0, no crash report', async () => {
    const { term, crashDir } = demo(100, 30);
    await term.waitFor((s) => s.includes('clusters 2/2 up'), 'clusters loaded');
    expect(term.alternateScreen()).toBe(true);
    const pid = term.programPid();
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGHUP');
    await term.waitFor(() => term.exitCode() !== undefined, 'exit after SIGHUP');
    expect(term.exitCode()).toBe(0);
    expect(term.alternateScreen()).toBe(false);
    expect(term.cursorVisible()).toBe(true);
    expect(term.screen().join('\n')).not.toContain('crashed');
    expect(crashReports(crashDir)).toEqual([]);
  });

  it('exits without a crash report when its terminal goes away (tmux session killed)', async () => {
    const { term, crashDir } = demo(100, 30);
    await term.waitFor((s) => s.includes('clusters 2/2 up'), 'clusters loaded');
    const pid = term.programPid()!;
    expect(alive(pid)).toBe(true);
    // The pty closes under it: every write now fails with EIO.
    term.close();
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(pid)).toBe(false);
    expect(crashReports(crashDir)).toEqual([]);
  });

  it('refuses a broken kubeconfig with one line, before touching the screen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-'));
    term = startTerminal(`${meshdeck} --kubeconfig ${join(dir, 'missing.yaml')}`, { columns: 220, rows: 10 });
    await term.waitFor(() => term!.exitCode() !== undefined, 'exit');
    expect(term.exitCode()).toBe(1);
    const text = term.screen().filter(Boolean);
    expect(text).toHaveLength(1);
    expect(text[0]).toContain('missing.yaml does not exist');
  });
});
