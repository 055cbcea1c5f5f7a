import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYMAP, type Command, type Scope } from '../../source/ui/keymap.js';
import { recordOutput } from './output-scan.js';

let counter = 0;

const TMUX_KEYS: Record<string, string> = {
  up: 'Up',
  down: 'Down',
  left: 'Left',
  right: 'Right',
  enter: 'Enter',
  escape: 'Escape',
  tab: 'Tab',
  'shift+tab': 'BTab',
  pageup: 'PPage',
  pagedown: 'NPage',
  home: 'Home',
  end: 'End',
  backspace: 'BSpace',
  space: 'Space',
};

function tmuxKey(key: string): string {
  if (TMUX_KEYS[key]) return TMUX_KEYS[key]!;
  if (key.startsWith('ctrl+')) return `C-${key.slice(5)}`;
  return key;
}

export interface TerminalSession {
  /** The screen as text, one string per row. */
  screen(): string[];
  /** Presses the first key bound to `command` in `scope`, as a user following the help would. */
  press(command: Command, scope?: Scope): void;
  /** Types literal text. */
  type(text: string): void;
  sendKeys(...keys: string[]): void;
  waitFor(predicate: (screen: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  alternateScreen(): boolean;
  /** Whether the terminal shows its cursor. */
  cursorVisible(): boolean;
  /** The exit code once the program has ended, else undefined. */
  exitCode(): number | undefined;
  programPid(): number | undefined;
  /** Resizes the terminal, as a user dragging the window does (the program gets SIGWINCH). */
  resize(columns: number, rows: number): void;
  close(): void;
}

/**
 * Runs a command in a real terminal (a detached tmux session with its own server socket) so tests see
 * exactly what a user sees: alternate screen, raw keys, resize, exit.
 */
export function startTerminal(command: string, options: { columns: number; rows: number; env?: Record<string, string> }): TerminalSession {
  const socket = `meshdeck-test-${process.pid}-${++counter}`;
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-tmux-'));
  const exitFile = join(dir, 'exit');
  const env = Object.entries({ TERM: 'xterm-256color', ...options.env }).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
  const script = `env ${env} ${command}; echo $? > ${exitFile}; sleep 600`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', String(options.columns), '-y', String(options.rows), script);
  tmux('set-option', '-g', 'escape-time', '0');
  const session: TerminalSession = {
    screen: () => {
      const text = tmux('capture-pane', '-p', '-t', 'main').replace(/\n$/, '');
      // What the user saw is checked for secrets after the test file (test/helpers/output-scan.ts).
      recordOutput(`screen of ${command}`.slice(0, 200), text);
      return text.split('\n');
    },
    press(command, scope = 'table') {
      const binding = KEYMAP.find((b) => b.command === command && b.scope === scope) ?? KEYMAP.find((b) => b.command === command);
      if (!binding) throw new Error(`no key is bound to ${command}`);
      tmux('send-keys', '-t', 'main', tmuxKey(binding.keys[0]!));
    },
    type(text) {
      tmux('send-keys', '-t', 'main', '-l', '--', text);
    },
    sendKeys(...keys) {
      tmux('send-keys', '-t', 'main', ...keys);
    },
    async waitFor(predicate, what, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = session.screen().join('\n');
        if (predicate(text)) return text;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen was:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    alternateScreen: () => tmux('display-message', '-p', '-t', 'main', '#{alternate_on}').trim() === '1',
    cursorVisible: () => tmux('display-message', '-p', '-t', 'main', '#{cursor_flag}').trim() === '1',
    exitCode: () => (existsSync(exitFile) ? Number(readFileSync(exitFile, 'utf8').trim()) : undefined),
    programPid() {
      const shellPid = tmux('display-message', '-p', '-t', 'main', '#{pane_pid}').trim();
      try {
        const children = execFileSync('pgrep', ['-P', shellPid], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
        return children.length > 0 ? Number(children[0]) : undefined;
      } catch {
        return undefined;
      }
    },
    resize(columns, rows) {
      tmux('resize-window', '-t', 'main', '-x', String(columns), '-y', String(rows));
    },
    close() {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
  return session;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
