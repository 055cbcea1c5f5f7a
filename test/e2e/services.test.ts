import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTerminal, type TerminalSession } from '../helpers/tmux.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';

const main = meshdeckMain;

describe('services across clusters in the cockpit', () => {
  let term: TerminalSession | undefined;
  afterEach(() => term?.close());

  it('shows helloworld v1 in east and v2 in west with its DestinationRule subsets, and draws the routing tree', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-'));
    term = startTerminal(`node ${main} demo --scenario healthy`, { columns: 200, rows: 45, env: { XDG_CACHE_HOME: cache } });
    await term.waitFor((s) => s.includes('clusters 2/2 up') && s.includes('west:synced'), 'the healthy mesh');
    term.press('command.start');
    term.type('svc');
    term.press('prompt.submit', 'prompt');
    const pane = await term.waitFor((s) => /sample\/helloworld\s+east,west\s+2\/2\s+\S+\s+v1@east v2@west/.test(s), 'helloworld with its subsets placed by cluster');
    expect(pane).toMatch(/sample\/httpbin\s+east\s.*exists in east only/);
    term.press('filter.start');
    term.type('^helloworld$');
    term.press('prompt.submit', 'prompt');
    await term.waitFor((s) => /Services \(1 of \d+ \/\^helloworld\$\)/.test(s), 'filtered to helloworld');
    term.press('item.details');
    const tree = await term.waitFor((s) => s.includes('Routing:') && s.includes('subset v2'), 'the routing tree');
    expect(tree).toMatch(/subset v1 \(version=v1\)[\s\S]*east · network1[\s\S]*subset v2 \(version=v2\)[\s\S]*west · network2/);
    expect(tree).toContain('tls ISTIO_MUTUAL');
  });
});
