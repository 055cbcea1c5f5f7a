import { createReadStream, statSync } from 'node:fs';
import type { Command, CommandContext } from './command.js';
import { UserError } from './command.js';
import { UsageError, type ParsedOptions } from './args.js';
import { parseLogLine } from '../mesh/access-log/parse.js';
import { statusClassMatches, type StatusClass } from '../mesh/access-log/summary.js';
import { ACCESS_LOG_FIELDS, type AccessLogEntry, type ParsedLine } from '../mesh/access-log/types.js';

export type LogOutput = 'text' | 'json';

const STATUS_CLASSES: readonly StatusClass[] = ['2xx', '3xx', '4xx', '5xx'];

export const logsCommand: Command = {
  name: 'logs',
  takesArguments: true,
  summary: 'istio-proxy access logs, parsed: live from every cluster, or from a file or a pipe',
  usage: 'meshdeck logs [--context a,b] -n NAMESPACE TARGET|-l SELECTOR [--since 5m] [--tail N] [--follow] [--status 5xx] [--output text|json]\n  meshdeck logs --file FILE|- [--status 5xx] [--output text|json]',
  options: [
    { name: 'file', kind: 'string', description: 'read saved logs from FILE, or from standard input with -', value: 'FILE' },
    { name: 'kubeconfig', kind: 'string', description: 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)', value: 'FILE' },
    { name: 'context', kind: 'string', description: 'comma-separated contexts to read from (default: all)', value: 'a,b' },
    { name: 'namespace', kind: 'string', short: 'n', description: 'namespace of the target', default: 'default', value: 'NAMESPACE' },
    { name: 'selector', kind: 'string', short: 'l', description: 'pods matching this label selector instead of a TARGET', value: 'SELECTOR' },
    { name: 'since', kind: 'string', description: 'only lines newer than this (30s, 5m, 1h)', value: 'DURATION' },
    { name: 'tail', kind: 'integer', description: 'lines to show from each pod before following', value: 'N', min: 0 },
    { name: 'follow', kind: 'boolean', short: 'f', description: 'keep following (new pods join; broken streams resume)' },
    { name: 'status', kind: 'string', description: 'only access-log lines of this status class (2xx, 3xx, 4xx, 5xx)', value: 'CLASS' },
    { name: 'output', kind: 'string', short: 'o', description: 'text (columns) or json (one object per line)', default: 'text', value: 'FORMAT' },
  ],
  async run(options, positionals, ctx) {
    const { output, status } = outputOptions(options);
    const file = options['file'];
    if (typeof file !== 'string') {
      const { runLiveLogs } = await import('./live-logs.js');
      return runLiveLogs(options, positionals, ctx, output, status);
    }
    if (positionals.length > 0) throw new UsageError('give either --file or a TARGET, not both', 'logs');
    const input = file === '-' ? stdinOf(ctx) : openFile(file);
    if (file === '-' && (input as NodeJS.ReadStream).isTTY) ctx.stderr.write('meshdeck logs: reading istio-proxy logs from standard input (Ctrl-D ends)\n');
    const printer = new LinePrinter(ctx.stdout, output, status);
    try {
      await forEachLine(input, (lines) => printer.print(lines));
    } catch (error) {
      if (printer.closed) return 0;
      const code = (error as NodeJS.ErrnoException).code;
      throw new UserError(`cannot read ${file === '-' ? 'standard input' : file}: ${code ? describeCode(code) : (error as Error).message}`);
    }
    await printer.end();
    return 0;
  },
};

/** --output and --status, checked (wrong values are usage errors, exit 2). Shared with the live mode. */
export function outputOptions(options: ParsedOptions): { output: LogOutput; status: StatusClass | undefined } {
  const output = String(options['output'] ?? 'text');
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json, got "${output}"`, 'logs');
  const status = options['status'];
  if (status !== undefined && !STATUS_CLASSES.includes(String(status).toLowerCase() as StatusClass)) {
    throw new UsageError(`--status must be one of ${STATUS_CLASSES.join(', ')}, got "${String(status)}"`, 'logs');
  }
  return { output, status: status === undefined ? undefined : (String(status).toLowerCase() as StatusClass) };
}

function stdinOf(ctx: CommandContext): NodeJS.ReadableStream {
  return (ctx as CommandContext & { stdin?: NodeJS.ReadableStream }).stdin ?? process.stdin;
}

function openFile(path: string): NodeJS.ReadableStream {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${describeCode((error as NodeJS.ErrnoException).code ?? '')}`);
  }
  if (isDirectory) throw new UserError(`cannot read ${path}: it is a directory`);
  return createReadStream(path);
}

function describeCode(code: string): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return code || 'unknown error';
  }
}

/** Calls `onLines` with each chunk's complete lines (without their newlines), then once with the last unterminated line. */
export async function forEachLine(input: NodeJS.ReadableStream, onLines: (lines: string[]) => void | Promise<void>): Promise<void> {
  (input as NodeJS.ReadableStream & { setEncoding?(e: string): void }).setEncoding?.('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<string | Buffer>) {
    const text = rest + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    const cut = text.lastIndexOf('\n');
    if (cut < 0) {
      rest = text;
      continue;
    }
    rest = text.slice(cut + 1);
    await onLines(text.slice(0, cut).split('\n'));
  }
  if (rest !== '') await onLines([rest]);
}

/**
 * Writes parsed lines as text columns or JSON, in batches, waiting when the reader is slow and
 * stopping quietly when it goes away (`meshdeck logs ... | head`).
 */
export class LinePrinter {
  closed = false;
  private header = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly output: LogOutput,
    private readonly status: StatusClass | undefined,
  ) {
    out.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.closed = true;
    });
  }

  async print(lines: readonly string[], extra?: (entry: ParsedLine) => Record<string, string> | undefined): Promise<void> {
    if (this.closed) throw new Error('output closed');
    let batch = '';
    if (this.output === 'text' && !this.header) {
      this.header = true;
      batch += `${textHeader()}\n`;
    }
    for (const line of lines) {
      const entry = parseLogLine(line);
      if (!this.keeps(entry)) continue;
      batch += this.output === 'json' ? `${jsonLine(entry, extra?.(entry))}\n` : `${textRow(entry)}\n`;
    }
    if (batch === '') return;
    if (!this.out.write(batch)) await this.drained();
  }

  async end(): Promise<void> {
    if (this.output === 'text' && !this.header && !this.closed) {
      this.header = true;
      if (!this.out.write(`${textHeader()}\n`)) await this.drained();
    }
  }

  /**
   * `--status` keeps access-log records of that class, and lines that looked like records but
   * could not be read (they may be of that class: never hidden). Other lines have no status.
   */
  private keeps(entry: ParsedLine): boolean {
    if (this.status === undefined) return true;
    return entry.kind === 'access' ? statusClassMatches(entry, this.status) : entry.error !== undefined;
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.out.off('drain', done);
        this.out.off('close', done);
        resolve();
      };
      this.out.on('drain', done);
      this.out.on('close', done);
    });
  }
}

const COLUMNS = { time: 24, method: 7, target: 48, code: 4, flags: 7, duration: 8 } as const;

export function textHeader(): string {
  return [
    'TIME'.padEnd(COLUMNS.time),
    'METHOD'.padEnd(COLUMNS.method),
    'AUTHORITY+PATH'.padEnd(COLUMNS.target),
    'CODE'.padStart(COLUMNS.code),
    'FLAGS'.padEnd(COLUMNS.flags),
    'DURATION'.padStart(COLUMNS.duration),
    'UPSTREAM',
  ].join(' ');
}

/**
 * One line of text output: time, method, authority+path, code, flags, duration, upstream host and
 * cluster. Nothing is cut off (a long path pushes the later columns right); raw lines as written.
 */
export function textRow(entry: ParsedLine): string {
  if (entry.kind !== 'access') return entry.text;
  const target = `${entry.authority ?? ''}${entry.path ?? ''}` || '-';
  const upstream = [entry.upstreamHost, entry.upstreamCluster].filter((v) => v !== undefined).join(' ') || '-';
  return [
    (entry.startTime || '-').padEnd(COLUMNS.time),
    (entry.method ?? (entry.protocol ?? 'TCP')).padEnd(COLUMNS.method),
    target.padEnd(COLUMNS.target),
    (entry.responseCode === undefined ? '-' : String(entry.responseCode)).padStart(COLUMNS.code),
    (entry.responseFlags.length > 0 ? entry.responseFlags.join(',') : '-').padEnd(COLUMNS.flags),
    (entry.durationMs === undefined ? '-' : `${entry.durationMs}ms`).padStart(COLUMNS.duration),
    upstream,
  ].join(' ');
}


/** `,"key":` of each field, in the order Istio's TEXT format writes them. */
const FIELD_PREFIXES = ACCESS_LOG_FIELDS.map((key) => `,${JSON.stringify(key)}:`);

/**
 * One JSON object for `--output json`: every field of an access-log record (null when not logged),
 * or `raw` (and `error` when it looked like a record) for other lines. `extra` (e.g. cluster and pod in
 * the live mode) comes first. Written as text, not built as an object and stringified: `meshdeck logs
 * -f -o json` prints 20,000 of these a second, and the object alone took a seventh of its CPU.
 */
export function jsonLine(entry: ParsedLine, extra?: Record<string, string>): string {
  let out = '{';
  for (const key in extra) out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(extra[key])}`;
  const sep = out.length > 1 ? ',' : '';
  if (entry.kind !== 'access') {
    out += `${sep}"raw":${JSON.stringify(entry.text)}`;
    if (entry.error !== undefined) out += `,"error":${JSON.stringify(entry.error)}`;
    return `${out}}`;
  }
  out += `${sep}"format":${JSON.stringify(entry.format)}`;
  for (let i = 0; i < ACCESS_LOG_FIELDS.length; i++) out += FIELD_PREFIXES[i] + JSON.stringify((entry as AccessLogEntry)[ACCESS_LOG_FIELDS[i]!] ?? null);
  return `${out}}`;
}
