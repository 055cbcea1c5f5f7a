import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';
// Bracketed paste and mouse modes are never enabled by meshdeck, but a crashed child could leave them on.
const RESET_MODES = '\x1b[?2004l\x1b[?1000l\x1b[?1002l\x1b[?1006l';

/**
 * Owns the terminal while the cockpit runs: enters the alternate screen and guarantees that every
 * way out (quit, SIGTERM, SIGHUP, a crash) puts the main screen, the cursor and cooked mode back.
 */
export class TerminalGuard {
  private restored = false;

  constructor(
    private readonly stdout: NodeJS.WriteStream,
    private readonly stdin: NodeJS.ReadStream,
  ) {}

  enter(): void {
    this.stdout.write(ENTER_ALT_SCREEN);
  }

  restore(): void {
    if (this.restored) return;
    this.restored = true;
    try {
      if (this.stdin.isTTY && this.stdin.isRaw) this.stdin.setRawMode(false);
    } catch {
      // stdin may already be gone (SIGHUP); nothing left to restore there
    }
    try {
      this.stdout.write(RESET_MODES + SHOW_CURSOR + LEAVE_ALT_SCREEN);
    } catch {
      // the terminal is gone
    }
  }
}

const GONE = new Set(['EIO', 'EPIPE', 'ENXIO']);

/**
 * The error a write to (or read from) a terminal that has gone away gives: the pty closed (tmux
 * session killed, ssh dropped) or the reading end of a pipe exited. Nothing is left to draw on or to
 * restore, so it ends the cockpit like a hangup, not like a crash.
 */
export function isTerminalGone(error: unknown): boolean {
  return GONE.has(String((error as NodeJS.ErrnoException | undefined)?.code ?? ''));
}

/** Writes a crash report (with the stack, never shown on screen) and returns its path. */
export function writeCrashReport(dir: string, error: unknown): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `crash-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
    const text = [`meshdeck crash at ${new Date().toISOString()}`, `node ${process.version} ${process.platform}/${process.arch}`, '', (error as Error)?.stack ?? String(error), ''].join('\n');
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  } catch {
    return undefined;
  }
}
