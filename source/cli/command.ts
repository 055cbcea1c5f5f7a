import type { OptionSpec, ParsedOptions } from './args.js';

export interface CommandContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec[];
  /** The command takes arguments (subcommands, paths); without this, any is a usage error. */
  takesArguments?: boolean;
  /** Resolves with the exit code. */
  run(options: ParsedOptions, positionals: string[], ctx: CommandContext): Promise<number>;
}

/** A failure the user can act on: printed as one line (no stack), exit code 1. */
export class UserError extends Error {}
