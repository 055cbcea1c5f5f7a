import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTerminal, type TerminalSession } from '../helpers/tmux.js';
import { kubectl } from '../helpers/kubectl.js';
import { waitFor } from '../helpers/sim.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';

const root = join(import.meta.dirname, '..', '..');
const main = meshdeckMain;

/** `meshdeck sim` as its own process, as a user runs it, with the fault endpoint. */
async function startSimProcess(args: string[]): Promise<{ child: ChildProcess; kubeconfig: string; admin: string; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-sim-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  const child = spawn(process.execPath, [main, 'sim', '--kubeconfig-out', kubeconfig, '--admin-port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const admin = await waitFor(() => /faults: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1], 'the simulator to start', 30_000);
  return { child, kubeconfig, admin, stop: () => child.kill('SIGTERM') };
}

describe('the cockpit when clusters fail', () => {
  let term: TerminalSession | undefined;
  let sim: { stop(): void } | undefined;
  afterEach(() => {
    term?.close();
    sim?.stop();
  });

  it('shows a cluster that went away with its reason and retry, keeps the others live, and recovers by itself', async () => {
    const started = await startSimProcess(['--clusters', '2', '--pods-per-cluster', '20']);
    sim = started;
    term = startTerminal(`node ${main} --kubeconfig ${started.kubeconfig}`, { columns: 200, rows: 40 });
    await term.waitFor((s) => s.includes('clusters 2/2 up'), 'both clusters up');

    expect((await fetch(`${started.admin}/clusters/west/down`, { method: 'POST' })).ok).toBe(true);
    const down = await term.waitFor((s) => /^west\s+(▲ stale|✗ down): connection refused.*retry in \d+s/m.test(s), 'west unreachable, with the reason and the next retry', 30_000);
    expect(down).toContain('clusters 1/2 up');

    // east keeps updating while west is down.
    expect((await kubectl(started.kubeconfig, ['--context', 'east', 'scale', 'deploy/cart', '-n', 'payments', '--replicas=2'])).code).toBe(0);
    await term.waitFor((s) => /east\s+payments\s+cart\s+v1\s+2\/2/.test(s), 'east still live');

    expect((await fetch(`${started.admin}/clusters/west/up`, { method: 'POST' })).ok).toBe(true);
    // A change made while west was away shows once it is back, with no duplicated rows.
    expect((await kubectl(started.kubeconfig, ['--context', 'west', 'scale', 'deploy/cart', '-n', 'payments', '--replicas=1'])).code).toBe(0);
    const back = await term.waitFor((s) => s.includes('clusters 2/2 up') && /west\s+payments\s+cart\s+v1\s+1\/1/.test(s), 'west recovered without a restart', 45_000);
    expect(back.split('\n').filter((l) => /west\s+payments\s+cart\s/.test(l))).toHaveLength(1);
  });

  it('restores the terminal after a crash and names the report', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-'));
    term = startTerminal(`node ${main} demo --scenario plain --clusters 1 --pods-per-cluster 5`, { columns: 220, rows: 30, env: { XDG_CACHE_HOME: cache, MESHDECK_CRASH_AFTER_MS: '1500' } });
    await term.waitFor(() => term!.exitCode() !== undefined, 'the crash', 30_000);
    expect(term.exitCode()).toBe(70);
    expect(term.alternateScreen()).toBe(false);
    const lines = term.screen().filter(Boolean);
    const message = lines.find((l) => l.startsWith('meshdeck crashed:'));
    expect(message, lines.join('\n')).toBeDefined();
    const report = /report written to (\S+)/.exec(message!)?.[1];
    expect(report && existsSync(report)).toBe(true);
    expect(readFileSync(report!, 'utf8')).toContain('MESHDECK_CRASH_AFTER_MS');
  });
});
