import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTerminal, type TerminalSession } from '../helpers/tmux.js';
import { kubectl } from '../helpers/kubectl.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';
import { startSimProcess, type SimProcess } from '../helpers/sim-process.js';

const root = join(import.meta.dirname, '..', '..');
const meshdeck = `node ${meshdeckMain}`;

/** On the Workloads pane, narrows to shop/frontend (in both clusters) and opens its log view. */
async function openFrontendLogs(term: TerminalSession): Promise<void> {
  term.press('pane.workloads');
  term.press('filter.start');
  term.type('^frontend$');
  term.press('prompt.submit', 'prompt');
  await term.waitFor((s) => /\(2 of \d+ \/\^frontend\$\)/.test(s), 'frontend in both clusters');
  term.press('logs.open');
}

describe('the log view in a real terminal', () => {
  let term: TerminalSession | undefined;
  let sim: SimProcess | undefined;
  afterEach(() => {
    term?.close();
    sim?.stop();
  });

  it.each(['ctrl+c', ':q'])('quitting (%s) while the view follows the proxies of a real cluster gives the shell back at once', async (quit) => {
    // Against a cluster in another process, as in real use: the follows were left open and kept
    // meshdeck running, on a blank screen, long after it had quit.
    sim = await startSimProcess(['--clusters', '2', '--scenario', 'healthy']);
    const cache = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-'));
    term = startTerminal(`${meshdeck} --kubeconfig ${sim.kubeconfig}`, { columns: 160, rows: 40, env: { XDG_CACHE_HOME: cache } });
    await term.waitFor((s) => s.includes('clusters 2/2 up'), 'the cockpit');
    await openFrontendLogs(term);
    await term.waitFor((s) => /(\d+)\/\1 pods following/.test(s) && /east\/frontend-/.test(s), 'every pod followed');
    if (quit === ':q') {
      term.press('command.start', 'logs');
      term.type('q');
      term.press('prompt.submit', 'prompt');
    } else term.press('app.quit', 'logs');
    const quitAt = Date.now();
    await term.waitFor(() => term!.exitCode() !== undefined, 'meshdeck to exit', 5_000);
    expect(Date.now() - quitAt).toBeLessThan(3_000);
    expect(term.exitCode()).toBe(0);
    expect(term.alternateScreen()).toBe(false);
  });

  it('follows istio-proxy logs of a workload in every cluster, explains a line, pauses, narrows, saves, and picks up new pods', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-'));
    const work = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-work-'));
    term = startTerminal(`sh -c 'cd ${work} && ${meshdeck} demo --scenario healthy'`, { columns: 160, rows: 40, env: { XDG_CACHE_HOME: cache } });
    const kubeconfig = join(cache, 'meshdeck', 'demo-kubeconfig.yaml');
    await term.waitFor((s) => s.includes('clusters 2/2 up') && s.includes('gateways 4/4 ready'), 'the healthy mesh');

    await openFrontendLogs(term);
    const first = await term.waitFor((s) => s.includes('Logs: shop/frontend') && /east\/frontend-/.test(s) && /west\/frontend-/.test(s), 'lines from both clusters');
    expect(first).toMatch(/req\/s · 2xx \d+%/);
    expect(first).toMatch(/\d+\/\d+ pods following/);

    // Narrow to server errors once there are some, pause, and open one: the details explain its flags.
    term.press('command.start', 'logs');
    term.type('5xx');
    term.press('prompt.submit', 'prompt');
    await term.waitFor((s) => s.includes('· 5xx') && /\s5\d\d\s/.test(s), 'a 5xx line', 30_000);
    term.press('logs.pause', 'logs');
    await term.waitFor((s) => s.includes('PAUSED'), 'paused');
    term.press('item.details', 'logs');
    const details = await term.waitFor((s) => s.includes('Line details'), 'line details');
    expect(details).toMatch(/Response code:\s+5\d\d/);
    term.press('app.back', 'logs');
    term.press('command.start', 'logs');
    term.type('all');
    term.press('prompt.submit', 'prompt');
    term.press('logs.pause', 'logs');
    await term.waitFor((s) => s.includes('following') && !s.includes('PAUSED'), 'resumed');

    // Moving up stops following: the lines hold still under the cursor and new ones are counted.
    term.press('nav.up', 'logs');
    const holding = await term.waitFor((s) => /not following \(\d+ new\)/.test(s), 'new lines counted while not following');
    const lineOf = (s: string) => s.split('\n').find((l) => l.includes('Logs: shop/frontend'))!.replace(/\(\d+ new\)/, '');
    const firstLogLine = (s: string) => s.split('\n').find((l) => /^\d\d:\d\d:\d\d\.\d{3} /.test(l.trim()));
    const later = await term.waitFor((s) => Number(/not following \((\d+) new\)/.exec(s)?.[1] ?? 0) > Number(/not following \((\d+) new\)/.exec(holding)![1]), 'more lines counted');
    expect(lineOf(later)).toBe(lineOf(holding));
    expect(firstLogLine(later)).toBe(firstLogLine(holding));
    term.press('logs.follow', 'logs');
    await term.waitFor((s) => s.includes(' · following'), 'following again');

    // A scale-up joins the stream without reopening the view.
    expect((await kubectl(kubeconfig, ['--context', 'west', 'scale', 'deploy/frontend', '-n', 'shop', '--replicas=6'])).code).toBe(0);
    await term.waitFor((s) => /6\/\d+ pods following|\b(\d+)\/\1 pods following/.test(s) && /(\d+)\/\d+ pods following/.exec(s) !== null && Number(/(\d+)\/\d+ pods following/.exec(s)![1]) >= 6, 'the new pods followed', 20_000);

    term.press('logs.save', 'logs');
    term.type('-saved');
    term.press('prompt.submit', 'prompt');
    const saved = await term.waitFor((s) => /saved \d+ lines to /.test(s), 'the save message');
    const path = /saved \d+ lines to (\S+)/.exec(saved)![1]!;
    expect(readFileSync(path.startsWith('/') ? path : join(work, path), 'utf8')).toMatch(/^\[\d{4}-\d\d-\d\dT/m);

    term.press('app.back', 'logs');
    await term.waitFor((s) => s.includes('[3 Workloads]') || s.includes('3 Workloads'), 'back to the workloads');
    term.press('app.quit', 'global');
    await term.waitFor(() => term!.exitCode() !== undefined, 'exit');
    expect(term.exitCode()).toBe(0);
  });
});
