import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTerminal, type TerminalSession } from '../helpers/tmux.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';

const root = join(import.meta.dirname, '..', '..');
const meshdeck = `node ${meshdeckMain}`;
const TOO_SMALL = 'terminal too small (need at least 60×12)';

describe('the cockpit and the terminal it runs in', () => {
  let term: TerminalSession | undefined;
  afterEach(() => term?.close());

  function demo(columns: number, rows: number, env: Record<string, string> = {}) {
    const cache = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-'));
    term = startTerminal(`${meshdeck} demo --scenario plain --clusters 2 --pods-per-cluster 6`, { columns, rows, env: { XDG_CACHE_HOME: cache, ...env } });
    return term;
  }

  it('shrunk to 40×10 it says the terminal is too small instead of drawing garbage, and comes back when enlarged', async () => {
    const term = demo(100, 30);
    await term.waitFor((s) => s.includes('clusters 2/2 up'), 'the cockpit');
    term.resize(40, 10);
    const small = await term.waitFor((s) => s.includes(TOO_SMALL), 'the too-small message');
    // Nothing else on the screen: no half-drawn panes, no wrapped lines.
    expect(small.split('\n').filter((l) => l.trim() !== '')).toEqual([TOO_SMALL, 'now 40×10: enlarge it, or q to quit']);
    expect(term.screen().every((line) => [...line].length <= 40)).toBe(true);

    // Smaller still, and one dimension at a time.
    term.resize(30, 5);
    await term.waitFor((s) => s.includes('now 30×5'), 'the message at 30×5');
    expect(term.screen().every((line) => [...line].length <= 30)).toBe(true);
    term.resize(100, 11);
    await term.waitFor((s) => s.includes('now 100×11'), 'too few rows alone is too small');

    term.resize(100, 30);
    const back = await term.waitFor((s) => s.includes('clusters 2/2 up') && /^east\s+● up/m.test(s), 'the cockpit again');
    expect(back).not.toContain('too small');
    term.resize(60, 12);
    await term.waitFor((s) => s.includes('clusters 2/2 up') && !s.includes('too small'), 'the cockpit at exactly the minimum size');

    term.resize(40, 10);
    await term.waitFor((s) => s.includes(TOO_SMALL), 'too small again');
    // q still quits from there, and leaves the terminal as it was.
    term.press('app.quit', 'global');
    await term.waitFor(() => term.exitCode() !== undefined, 'meshdeck to exit');
    expect(term.exitCode()).toBe(0);
    expect(term.alternateScreen()).toBe(false);
  });

  it('under the too-small message keys do nothing but quit: the cockpit comes back as it was left', async () => {
    const term = demo(100, 30);
    await term.waitFor((s) => s.includes('clusters 2/2 up') && /^east\s+● up/m.test(s) && s.includes('[1 Clusters'), 'the cockpit on its clusters tab');
    const before = term.screen();
    term.resize(40, 10);
    await term.waitFor((s) => s.includes(TOO_SMALL), 'the too-small message');
    // Each would change the view: another tab, the selection, a filter, a command, help, details, logs, injection.
    for (const command of ['pane.gateways', 'nav.down', 'nav.bottom', 'filter.start', 'app.help', 'item.details', 'command.start'] as const) term.press(command);
    term.type('west');
    term.sendKeys('Enter', '3', 'l', 'i', 'Escape', 'Tab');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(term.screen().filter((l) => l.trim() !== '')).toEqual([TOO_SMALL, 'now 40×10: enlarge it, or q to quit']);
    expect(term.exitCode()).toBeUndefined();
    term.resize(100, 30);
    const after = await term.waitFor((s) => s.includes('clusters 2/2 up') && !s.includes('too small'), 'the cockpit again');
    expect(after.split('\n')).toEqual(before);
    // Keys work again once there is room.
    term.press('pane.gateways');
    await term.waitFor((s) => s.includes('[2 Gateways'), 'the gateways tab');
    term.press('app.quit', 'global');
    await term.waitFor(() => term.exitCode() !== undefined, 'meshdeck to exit');
    expect(term.exitCode()).toBe(0);
  });

  it('Esc and the next key read together (a busy cockpit, or one packet over SSH) are still two keys', async () => {
    const term = demo(120, 30);
    await term.waitFor((s) => s.includes('clusters 2/2 up') && s.includes('[1 Clusters'), 'the cockpit');
    // One send-keys: tmux writes both in one go, so meshdeck reads "\x1b2" and "\x1b:" as single chunks.
    term.press('app.help', 'global');
    await term.waitFor((s) => s.includes('move down one row'), 'help');
    term.sendKeys('Escape', '2');
    await term.waitFor((s) => s.includes('[2 Gateways') && !s.includes('move down one row'), 'help closed, then the gateways tab');
    term.press('app.help', 'global');
    await term.waitFor((s) => s.includes('move down one row'), 'help again');
    term.sendKeys('Escape', ':');
    term.type('wl');
    term.press('prompt.submit', 'prompt');
    await term.waitFor((s) => s.includes('[3 Workloads') && !s.includes('move down one row'), 'help closed, then :wl');
    term.press('app.quit', 'global');
    await term.waitFor(() => term.exitCode() !== undefined, 'meshdeck to exit');
  });

  it('started in a terminal already too small, it shows the message from the first frame', async () => {
    const term = demo(40, 10);
    const screen = await term.waitFor((s) => s.includes(TOO_SMALL), 'the too-small message');
    expect(screen).not.toContain('Clusters');
    expect(term.alternateScreen()).toBe(true);
    term.resize(120, 30);
    await term.waitFor((s) => s.includes('clusters 2/2 up'), 'the cockpit once there is room');
    term.press('app.quit', 'global');
    await term.waitFor(() => term.exitCode() !== undefined, 'meshdeck to exit');
    expect(term.exitCode()).toBe(0);
  });

  it('TERM=dumb: refuses full-screen mode in one line that points to the commands, touching nothing', async () => {
    for (const command of [`${meshdeck} demo --scenario plain --clusters 1 --pods-per-cluster 2`, `${meshdeck} --kubeconfig ${join(root, 'test', 'fixtures', 'no-such-kubeconfig')}`]) {
      term?.close();
      term = startTerminal(command, { columns: 200, rows: 10, env: { TERM: 'dumb', XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'meshdeck-e2e-')) } });
      await term.waitFor(() => term!.exitCode() !== undefined, 'exit');
      expect(term.exitCode()).toBe(1);
      expect(term.alternateScreen()).toBe(false);
      const lines = term.screen().filter(Boolean);
      if (command.includes('demo')) {
        expect(lines).toEqual(["meshdeck: TERM=dumb cannot show the full-screen cockpit; use the commands instead: 'meshdeck doctor', 'meshdeck logs', 'meshdeck ca' ('meshdeck --help' lists them all)"]);
      } else {
        // A kubeconfig problem is still told first: it is what the user has to fix either way.
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain('does not exist');
      }
    }
  });

  it.each(['xterm-256color', 'screen', 'tmux-256color', 'linux'])('TERM=%s: draws the cockpit and restores the terminal on quit', async (TERM) => {
    const term = demo(120, 30, { TERM });
    await term.waitFor((s) => s.includes('clusters 2/2 up') && /^east\s+● up/m.test(s), 'the cockpit');
    expect(term.alternateScreen()).toBe(true);
    expect(term.screen().every((line) => [...line].length <= 120)).toBe(true);
    term.press('app.quit', 'global');
    await term.waitFor(() => term.exitCode() !== undefined, 'meshdeck to exit');
    expect(term.exitCode()).toBe(0);
    expect(term.alternateScreen()).toBe(false);
  });
});
