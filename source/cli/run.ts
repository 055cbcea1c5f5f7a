import type { Command, CommandContext } from './command.js';
import { UserError } from './command.js';
import { parseOptions, UsageError } from './args.js';
import { commandHelp, mainHelp } from './help.js';
import { simCommand } from './sim-command.js';
import { demoCommand } from './demo-command.js';
import { cockpitCommand } from './cockpit-command.js';
import { caCommand } from './ca-command.js';
import { gatewayCommand } from './gateway-command.js';
import { doctorCommand } from './doctor-command.js';
import { logsCommand } from './logs-command.js';
import { joinCommand, unjoinCommand } from './join-command.js';
import { injectCommand, restartCommand } from './inject-command.js';
import { packageVersion } from '../package-root.js';
import { loadUserConfig } from './user-config.js';
import { setReadonlyMode } from '../kube/readonly.js';

const COMMANDS: readonly Command[] = [cockpitCommand, demoCommand, simCommand, logsCommand, doctorCommand, caCommand, injectCommand, restartCommand, gatewayCommand, joinCommand, unjoinCommand];

export async function main(argv: string[], ctx: CommandContext): Promise<number> {
  // --readonly goes with every command, anywhere before a `--`.
  const end = argv.indexOf('--');
  const readonlyFlag = argv.slice(0, end < 0 ? argv.length : end).includes('--readonly');
  if (readonlyFlag) argv = argv.filter((word, index) => word !== '--readonly' || (end >= 0 && index > end));
  // Like k9s, plain `meshdeck` (optionally with cockpit flags) opens the cockpit.
  if (argv.length === 0 || (argv[0]!.startsWith('-') && !['--help', '-h', '--version'].includes(argv[0]!))) argv = ['cockpit', ...argv];
  const [first = 'cockpit', ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    // `meshdeck help nosuch` names an unknown command; it is not a request for the overview.
    if (first === 'help' && rest[0] !== undefined && !topic) {
      ctx.stderr.write(`meshdeck: unknown command "${rest[0]}"\nRun 'meshdeck --help' for usage.\n`);
      return 2;
    }
    ctx.stdout.write(topic ? commandHelp(topic) : mainHelp(COMMANDS));
    return 0;
  }
  if (first === '--version') {
    ctx.stdout.write(`meshdeck ${packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === first);
  try {
    if (!command) {
      throw new UsageError(first.startsWith('-') ? `unknown flag ${first}` : `unknown command "${first}"`);
    }
    const { options, positionals } = parseOptions(command.name, command.options, rest);
    if (options['help']) {
      ctx.stdout.write(commandHelp(command));
      return 0;
    }
    if (positionals.length > 0 && !command.takesArguments) throw new UsageError(`unexpected argument "${positionals[0]}"`, command.name);
    // Read-only is enforced where requests are sent (source/kube/transport.ts), for every command and the cockpit.
    const readonly = readonlyFlag || (command !== simCommand && loadUserConfig(ctx.env).readonly === true);
    const previous = setReadonlyMode(readonly);
    try {
      return await command.run(options, positionals, ctx);
    } finally {
      setReadonlyMode(previous);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      const hint = error.command ? `meshdeck ${error.command} --help` : 'meshdeck --help';
      ctx.stderr.write(`meshdeck: ${error.message}\nRun '${hint}' for usage.\n`);
      return 2;
    }
    if (error instanceof UserError) {
      ctx.stderr.write(`meshdeck: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

