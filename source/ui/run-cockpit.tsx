import { render } from 'ink';
import { App } from './App.js';
import { ThemeContext } from './theme/ThemeContext.js';
import type { Theme } from './theme/tokens.js';
import type { CockpitSource } from './source.js';
import { TerminalGuard, isTerminalGone, writeCrashReport } from './terminal.js';

export interface CockpitOptions {
  source: CockpitSource;
  theme: Theme;
  crashDir: string;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
  /** Called once the first frame is on screen (slow work such as loading the Kubernetes client waits for it). */
  onFirstFrame?: () => void;
}

/** Runs the cockpit until the user quits or a signal arrives; resolves with the exit code. */
export function runCockpit({ source, theme, crashDir, stdout = process.stdout, stdin = process.stdin, stderr = process.stderr, onFirstFrame }: CockpitOptions): Promise<number> {
  const guard = new TerminalGuard(stdout, stdin);
  return new Promise((resolve) => {
    let settled = false;
    let instance: ReturnType<typeof render> | undefined;
    let drawn = false;
    const finish = (code: number, after?: string) => {
      if (settled) return;
      settled = true;
      // Keep our signal handlers until Ink's own exit hooks have run: if they saw themselves alone
      // on SIGTERM they would re-raise it and the process would die by the signal.
      setImmediate(() => {
        for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.off(signal, onSignal);
        process.off('uncaughtException', onCrash);
        process.off('unhandledRejection', onCrash);
      });
      try {
        instance?.unmount();
      } catch {
        // unmounting a broken tree must not stop the terminal from being restored
      }
      guard.restore();
      if (after) stderr.write(after);
      resolve(code);
    };
    const onSignal = (signal: NodeJS.Signals) => finish(signal === 'SIGINT' ? 130 : 0);
    const onCrash = (error: unknown) => {
      // The terminal closed under us (a write failing with EIO/EPIPE while shutting down, or on a
      // stdout that is gone): a hangup, not a crash; no report.
      if (isTerminalGone(error) && (settled || stdout.destroyed || !stdout.writable)) return finish(0);
      const report = writeCrashReport(crashDir, error);
      finish(70, `meshdeck crashed: ${(error as Error)?.message ?? String(error)}${report ? `; report written to ${report}` : ''}\n`);
    };
    for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(signal, onSignal);
    // Stream errors of the terminal itself, also those arriving after the cockpit has ended: without a
    // listener they would be thrown as uncaught exceptions. The listeners stay (they hold nothing).
    const onTerminalError = (error: unknown) => (isTerminalGone(error) ? finish(0) : onCrash(error));
    stdout.on('error', onTerminalError);
    stdin.on('error', onTerminalError);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    guard.enter();
    // A deliberate crash, so the crash path (terminal restored, one line, report file) can be tested end to end.
    const crashAfter = Number(process.env['MESHDECK_CRASH_AFTER_MS'] ?? '');
    if (crashAfter > 0) {
      setTimeout(() => {
        throw new Error(`crash requested by MESHDECK_CRASH_AFTER_MS=${crashAfter}`);
      }, crashAfter).unref();
    }
    try {
      instance = render(
        <ThemeContext.Provider value={theme}>
          <App source={source} onQuit={() => setImmediate(() => finish(0))} />
        </ThemeContext.Provider>,
        {
          stdout,
          stdin,
          stderr,
          exitOnCtrlC: false,
          patchConsole: true,
          incrementalRendering: false,
          // Ink holds a render back until 1000/maxFps ms after the last one. Data redraws are paced on
          // their own (DataPacer, at most 10/s), so this only delays keys: at 30 a key answered 15–45 ms
          // after a frame waited for the rest of 34 ms (scrolling p95 44 ms; at 60: 10 ms).
          maxFps: 60,
          onRender: () => {
            if (!drawn) {
              drawn = true;
              setImmediate(() => onFirstFrame?.());
            }
          },
        },
      );
      instance.waitUntilExit().then(
        () => finish(0),
        (error: unknown) => onCrash(error),
      );
    } catch (error) {
      onCrash(error);
    }
  });
}
