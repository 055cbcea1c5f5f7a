import { parseArgs } from 'node:util';

/**
 * Text from the command line as it may be echoed to a terminal: line breaks and other control
 * characters (escape sequences could retitle, clear or reprogram the terminal) become visible escapes.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Wrong command-line input: printed as one line plus a help hint, exit code 2. The words it quotes are shown escaped. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(printable(message));
  }
}

export type OptionKind = 'string' | 'boolean' | 'integer';

export interface OptionSpec {
  name: string;
  kind: OptionKind;
  short?: string;
  description: string;
  default?: string | number | boolean;
  /** Placeholder shown in help, e.g. FILE. */
  value?: string;
  min?: number;
  max?: number;
}

export type ParsedOptions = Record<string, string | number | boolean | undefined>;

export function parseOptions(command: string, specs: OptionSpec[], argv: string[]): { options: ParsedOptions; positionals: string[] } {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const spec of specs) config[spec.name] = { type: spec.kind === 'boolean' ? 'boolean' : 'string', ...(spec.short ? { short: spec.short } : {}) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: config, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeParseError(error as Error & { code?: string }), command);
  }
  const options: ParsedOptions = { help: parsed.values['help'] as boolean | undefined };
  for (const spec of specs) {
    const raw = parsed.values[spec.name];
    if (raw === undefined) {
      options[spec.name] = spec.default;
      continue;
    }
    if (spec.kind === 'integer') {
      const value = Number(raw);
      if (!/^-?\d+$/.test(String(raw)) || !Number.isSafeInteger(value)) throw new UsageError(`--${spec.name} takes a whole number, got "${raw}"`, command);
      if (spec.min !== undefined && value < spec.min) throw new UsageError(`--${spec.name} must be at least ${spec.min}, got ${value}`, command);
      if (spec.max !== undefined && value > spec.max) throw new UsageError(`--${spec.name} must be at most ${spec.max}, got ${value}`, command);
      options[spec.name] = value;
    } else {
      if (spec.kind === 'string' && raw === '') throw new UsageError(`--${spec.name} needs a value`, command);
      options[spec.name] = raw as string | boolean;
    }
  }
  return { options, positionals: parsed.positionals };
}

// Node's messages are multi-sentence; users get the first, with the option named as they typed it.
function describeParseError(error: Error & { code?: string }): string {
  const unknown = /Unknown option '([^']+)'/.exec(error.message);
  if (unknown) return `unknown flag ${unknown[1]}`;
  // Node names the option as "-k, --key <value>"; users typed "--key".
  const missing = /Option '([^']+)' argument missing/.exec(error.message);
  if (missing) return `${optionName(missing[1]!)} needs a value`;
  // "--clusters -1": the next word looks like a flag, so Node will not take it as the value.
  const ambiguous = /Option '([^']+)' argument is ambiguous/.exec(error.message);
  if (ambiguous) {
    const name = optionName(ambiguous[1]!);
    return `${name} needs a value (write ${name}=VALUE for a value that starts with "-")`;
  }
  const unwanted = /Option '([^']+)' does not take an argument/.exec(error.message);
  if (unwanted) return `${optionName(unwanted[1]!)} does not take a value`;
  return error.message.split('\n')[0]!.replace(/\. To specify.*$/, '');
}

function optionName(label: string): string {
  return label.replace(/^-\w, /, '').replace(/ <value>$/, '');
}
