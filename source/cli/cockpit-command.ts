import { join } from 'node:path';
import type { Command, CommandContext } from './command.js';
import { UserError } from './command.js';
import { contextsFromOptions } from './contexts.js';
import type { ParsedOptions } from './args.js';
import { cacheDir } from './paths.js';
import type { ContextEntry } from '../kube/kubeconfig.js';
import { loadTheme, ThemeError } from '../ui/theme/load-theme.js';
import { LazyCockpitSource } from './cockpit-source.js';
import { loadUserConfig } from './user-config.js';
import { isReadonlyMode } from '../kube/readonly.js';

export const themeOption = { name: 'theme', kind: 'string', description: 'colour theme: dark (default), light, high-contrast, plain; or set theme: in ~/.config/meshdeck/config.yaml', value: 'NAME' } as const;

export const cockpitCommand: Command = {
  name: 'cockpit',
  summary: 'open the cockpit on the clusters of your kubeconfig (the default command)',
  usage: 'meshdeck [--kubeconfig FILE] [--context a,b,c] [--theme NAME]',
  options: [
    { name: 'kubeconfig', kind: 'string', description: 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)', value: 'FILE' },
    { name: 'context', kind: 'string', description: 'comma-separated contexts to show (default: all)', value: 'a,b,c' },
    themeOption,
  ],
  async run(options, _positionals, ctx) {
    const contexts = contextsFromOptions(options, ctx);
    return openCockpit(contexts, options, ctx);
  },
};

export async function openCockpit(contexts: ContextEntry[], options: ParsedOptions, ctx: CommandContext): Promise<number> {
  let theme;
  try {
    theme = loadTheme(String(options['theme'] ?? loadUserConfig(ctx.env).theme ?? 'dark'), ctx.env);
  } catch (error) {
    if (error instanceof ThemeError) throw new UserError(error.message);
    throw error;
  }
  // A dumb terminal (Emacs shell buffers, some CI consoles) has no cursor addressing or alternate screen.
  if (ctx.env['TERM'] === 'dumb') {
    throw new UserError("TERM=dumb cannot show the full-screen cockpit; use the commands instead: 'meshdeck doctor', 'meshdeck logs', 'meshdeck ca' ('meshdeck --help' lists them all)");
  }
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new UserError('the cockpit needs an interactive terminal (stdin and stdout must be a TTY); for scripts use the non-interactive commands');
  }
  // Ink renders nothing but the last frame when it thinks it runs in CI (CI, CONTINUOUS_INTEGRATION or
  // CI_* set). The cockpit only runs on a terminal, where a full-screen UI is what the user asked for.
  for (const name of Object.keys(process.env)) if (name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('CI_')) delete process.env[name];
  const { runCockpit } = await import('../ui/run-cockpit.js');
  // The transports refuse every change in read-only mode; the cockpit only says so in its header.
  const source = new LazyCockpitSource(contexts, isReadonlyMode());
  // The first frame is drawn before the Kubernetes client is even loaded.
  const running = runCockpit({
    source,
    theme,
    crashDir: join(cacheDir(ctx.env), 'crash'),
    onFirstFrame: () => {
      source.start().catch((error: unknown) => process.emit('uncaughtException', error as Error));
    },
  });
  const code = await running;
  source.stop();
  return code;
}
