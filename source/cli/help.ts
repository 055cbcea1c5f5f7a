import type { Command } from './command.js';
import type { OptionSpec } from './args.js';

export function mainHelp(commands: readonly Pick<Command, 'name' | 'summary'>[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'meshdeck: a terminal cockpit for multi-cluster Istio service meshes',
    '',
    'Usage:',
    '  meshdeck <command> [flags]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Flags:',
    '  -h, --help     show help for meshdeck or a command',
    '  --version      print the meshdeck version',
    '  --readonly     refuse every change to a cluster (any command; also readonly: true in config.yaml)',
    '',
    "Run 'meshdeck <command> --help' for a command's flags.",
    '',
  ].join('\n');
}

export function commandHelp(command: Pick<Command, 'name' | 'summary' | 'usage' | 'options'>): string {
  const rows = [...command.options.map((o) => [flagLabel(o), describe(o)] as const), ['-h, --help', 'show this help'] as const];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    command.summary,
    '',
    'Usage:',
    `  ${command.usage}`,
    '',
    'Flags:',
    ...rows.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`),
    '',
  ].join('\n');
}

function flagLabel(option: OptionSpec): string {
  const value = option.kind === 'boolean' ? '' : ` ${option.value ?? (option.kind === 'integer' ? 'N' : 'VALUE')}`;
  return `${option.short ? `-${option.short}, ` : ''}--${option.name}${value}`;
}

function describe(option: OptionSpec): string {
  return option.default !== undefined && option.default !== false ? `${option.description} (default ${option.default})` : option.description;
}
