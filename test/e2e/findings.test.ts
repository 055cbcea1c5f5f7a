import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTerminal, type TerminalSession } from '../helpers/tmux.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';

const main = meshdeckMain;

describe('doctor findings in the cockpit', () => {
  let term: TerminalSession | undefined;
  afterEach(() => term?.close());

  it('counts findings in the header, lists them by severity with the fix, and jumps to the object', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-'));
    term = startTerminal(`node ${main} demo --scenario broken`, { columns: 200, rows: 45, env: { XDG_CACHE_HOME: cache } });
    // Every kind of every cluster must have arrived (roots come with the configmaps), not only the first ones.
    const header = await term.waitFor((s) => /findings [1-9]\d* errors \d+ warnings/.test(s) && s.includes('clusters 3/3 up') && s.includes('different roots of trust'), 'findings counted in the header', 30_000);
    expect(header).toMatch(/3 different roots of trust/);
    term.press('pane.findings');
    const list = await term.waitFor((s) => s.includes('Findings (') && s.includes('MD-TRUST-002'), 'the findings pane');
    const rows = list.split('\n').filter((l) => /^(✗ error|▲ warning|○ info)/.test(l));
    // Errors come first.
    const firstWarning = rows.findIndex((l) => l.startsWith('▲'));
    expect(rows.slice(firstWarning).some((l) => l.startsWith('✗'))).toBe(false);
    expect(list).toMatch(/fix: /);

    term.press('filter.start');
    term.type('MD-PROXY-002');
    term.press('prompt.submit', 'prompt');
    await term.waitFor((s) => /Findings \(\d+ of \d+ \/MD-PROXY-002\)/.test(s), 'filtered findings');
    term.press('item.details');
    const jumped = await term.waitFor((s) => s.includes('jumped to east/istio-system/Deployment/istio-eastwestgateway'), 'the jump to the gateway');
    expect(jumped).toMatch(/▶ 2 Gateways/);
  });
});
