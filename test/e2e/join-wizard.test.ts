import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTerminal, type TerminalSession } from '../helpers/tmux.js';
import { kubectl } from '../helpers/kubectl.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';

const main = meshdeckMain;
const meshdeck = (...args: string[]) => execFileSync(process.execPath, [main, ...args], { encoding: 'utf8' });

describe('the join wizard in the cockpit', () => {
  let term: TerminalSession | undefined;
  afterEach(() => term?.close());

  it('joins a remote to a primary after a shared CA: preflight, plan, apply, and istiod reports it synced', async () => {
    const work = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-join-'));
    const cache = join(work, 'cache');
    term = startTerminal(`sh -c 'cd ${work} && node ${main} demo --scenario fresh'`, { columns: 180, rows: 60, env: { XDG_CACHE_HOME: cache } });
    const kubeconfig = join(cache, 'meshdeck', 'demo-kubeconfig.yaml');
    await term.waitFor((s) => s.includes('clusters 3/3 up'), 'three clusters');
    // A shared root first, with the CLI (the CA wizard has its own test).
    meshdeck('ca', 'root', '--out', join(work, 'root'), '--key-size', '2048');
    meshdeck('ca', 'intermediate', '--root', join(work, 'root'), '--cluster', 'east,west', '--out', join(work, 'ca'), '--key-size', '2048');
    meshdeck('ca', 'install', '--kubeconfig', kubeconfig, '--context', 'east,west', '--from', join(work, 'ca'), '--apply', '--restart');

    term.press('command.start');
    term.type('join');
    term.press('prompt.submit', 'prompt');
    await term.waitFor((s) => /PRIMARY east/.test(s) && /REMOTE\s+west/.test(s), 'east suggested as primary, west as remote');
    term.press('wizard.next', 'wizard');
    await term.waitFor((s) => s.includes('primary east ← remote west') && /Remote's network\s+network2/.test(s), 'the form prefilled from the clusters');
    term.press('wizard.next', 'wizard');
    const review = await term.waitFor((s) => s.includes('Preflight:') && s.includes('share the root'), 'preflight and plan', 60_000);
    expect(review).toMatch(/warn\s+the remote API server address https:\/\/127\.0\.0\.1:\d+ is a loopback address/);
    expect((await kubectl(kubeconfig, ['--context', 'east', 'get', 'secret', 'istio-remote-secret-west', '-n', 'istio-system'])).code).toBe(1);
    term.press('wizard.confirm', 'wizard');
    const verified = await term.waitFor((s) => s.includes('[5 Verify]') && /west at https:\/\/127\.0\.0\.1:\d+: synced/.test(s), 'joined and synced', 90_000);
    // Synced is not enough: west's services must be in east's registry (istiod's /debug/registryz).
    expect(verified).toMatch(/✓ east's registry has west's services: (\d+) of \1 /);
    const secret = await kubectl(kubeconfig, ['--context', 'east', 'get', 'secret', 'istio-remote-secret-west', '-n', 'istio-system', '-o', 'jsonpath={.metadata.labels}']);
    expect(secret.stdout).toContain('"istio/multiCluster":"true"');
    term.press('wizard.next', 'wizard');
    await term.waitFor((s) => /^east\s.*west:synced/m.test(s), 'the clusters pane shows the new topology');
  });
});
