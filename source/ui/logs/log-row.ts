import type { ParsedLine } from '../../mesh/access-log/types.js';
import type { BufferedLine } from '../../kube/logs/log-buffer.js';
import { fitCell } from '../table/fit.js';
import type { Token } from '../theme/tokens.js';

export interface LogColumnWidths {
  time: number;
  source: number;
  method: number;
  target: number;
  code: number;
  flags: number;
  duration: number;
  upstream: number;
}

/** Column widths for the log table at a given width: time, cluster/pod, method, authority+path, code, flags, duration, upstream. */
export function logColumnWidths(width: number): LogColumnWidths {
  const fixed = { time: 12, method: 6, code: 3, flags: 5, duration: 6 };
  const gaps = 7;
  const flexible = Math.max(12, width - (fixed.time + fixed.method + fixed.code + fixed.flags + fixed.duration + gaps));
  const source = Math.max(8, Math.floor(flexible * 0.25));
  const upstream = width >= 120 ? Math.floor(flexible * 0.25) : 0;
  return { ...fixed, source, upstream, target: Math.max(4, flexible - source - upstream - (upstream ? 1 : 0) + (upstream ? 0 : 1)) };
}

export function shortTime(time: string): string {
  const match = /T(\d\d:\d\d:\d\d)(?:\.(\d{1,3}))?/.exec(time);
  return match ? `${match[1]}.${(match[2] ?? '').padEnd(3, '0')}` : '';
}

/** One screen line for a log entry; raw lines keep their text after time and source. */
export function logRowText(entry: BufferedLine<ParsedLine>, w: LogColumnWidths): string {
  const source = `${entry.line.cluster}/${entry.line.pod}`;
  const head = `${fitCell(shortTime(entry.parsed.kind === 'access' && entry.parsed.startTime ? entry.parsed.startTime : entry.line.time), w.time)} ${fitCell(source, w.source)} `;
  const p = entry.parsed;
  if (p.kind !== 'access') {
    const rest = w.method + w.target + w.code + w.flags + w.duration + w.upstream + 4 + (w.upstream ? 1 : 0);
    return head + fitCell(p.text, rest);
  }
  const target = `${p.authority ?? ''}${p.path ?? ''}` || '-';
  const cells = [
    fitCell(p.method ?? (p.protocol ? p.protocol : 'TCP'), w.method),
    fitCell(target, w.target),
    fitCell(p.responseCode === undefined ? '-' : String(p.responseCode), w.code, 'right'),
    fitCell(p.responseFlags.length ? p.responseFlags.join(',') : '-', w.flags),
    fitCell(p.durationMs === undefined ? '-' : `${p.durationMs}ms`, w.duration, 'right'),
  ];
  if (w.upstream) cells.push(fitCell(p.upstreamHost ?? p.upstreamCluster ?? '-', w.upstream));
  return head + cells.join(' ');
}

export function logRowTone(parsed: ParsedLine): Token | undefined {
  if (parsed.kind !== 'access') return /error|warn|x509|fail/i.test(parsed.text) ? 'status.warn' : 'text.muted';
  const code = parsed.responseCode ?? 0;
  if (code >= 500 || code === 0) return 'status.error';
  if (code >= 400 || parsed.responseFlags.length > 0) return 'status.warn';
  return undefined;
}

export function logHeaderText(w: LogColumnWidths): string {
  const cells = [fitCell('TIME', w.time), fitCell('CLUSTER/POD', w.source), fitCell('METHOD', w.method), fitCell('AUTHORITY+PATH', w.target), fitCell('CODE', w.code), fitCell('FLAGS', w.flags), fitCell('DURATION', w.duration, 'right')];
  if (w.upstream) cells.push(fitCell('UPSTREAM', w.upstream));
  return cells.join(' ');
}
