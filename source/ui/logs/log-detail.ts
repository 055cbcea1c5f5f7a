import type { ParsedLine } from '../../mesh/access-log/types.js';
import { explainFlag } from '../../mesh/access-log/flags.js';
import type { BufferedLine } from '../../kube/logs/log-buffer.js';

const FIELDS: [string, string][] = [
  ['startTime', 'Start time'],
  ['method', 'Method'],
  ['path', 'Path'],
  ['protocol', 'Protocol'],
  ['responseCode', 'Response code'],
  ['responseFlags', 'Response flags'],
  ['responseCodeDetails', 'Code details'],
  ['connectionTerminationDetails', 'Termination details'],
  ['upstreamTransportFailureReason', 'Upstream failure'],
  ['bytesReceived', 'Bytes received'],
  ['bytesSent', 'Bytes sent'],
  ['durationMs', 'Duration (ms)'],
  ['upstreamServiceTimeMs', 'Upstream time (ms)'],
  ['forwardedFor', 'X-Forwarded-For'],
  ['userAgent', 'User agent'],
  ['requestId', 'Request ID'],
  ['authority', 'Authority'],
  ['upstreamHost', 'Upstream host'],
  ['upstreamCluster', 'Upstream cluster'],
  ['upstreamLocalAddress', 'Upstream local'],
  ['downstreamLocalAddress', 'Downstream local'],
  ['downstreamRemoteAddress', 'Downstream remote'],
  ['requestedServerName', 'SNI'],
  ['routeName', 'Route'],
];

/** Every field of a line and, for each response flag, what it means and what usually causes it. */
export function describeLogEntry(entry: BufferedLine<ParsedLine>): string[] {
  const lines = [`Cluster:            ${entry.line.cluster}`, `Pod:                ${entry.line.namespace}/${entry.line.pod}`, `Received at:        ${entry.line.time || '-'}`, ''];
  const parsed = entry.parsed;
  if (parsed.kind !== 'access') {
    lines.push('Not an access-log line; shown as written:', '', ...wrap(parsed.text, 100));
    if (parsed.error) lines.push('', `Parse problem: ${parsed.error}`);
    return lines;
  }
  for (const [field, label] of FIELDS) {
    const value = (parsed as unknown as Record<string, unknown>)[field];
    const shown = Array.isArray(value) ? (value.length ? value.join(',') : '-') : value === undefined ? '-' : String(value);
    lines.push(`${`${label}:`.padEnd(20)}${shown}`);
  }
  if (parsed.responseFlags.length > 0) {
    lines.push('', 'What the flags mean:');
    for (const flag of parsed.responseFlags) {
      const explained = explainFlag(flag);
      lines.push(`  ${flag}: ${explained.meaning}`, `      likely cause: ${explained.likelyCause}`);
    }
  }
  lines.push('', 'Raw line:', ...wrap(entry.line.text, 100));
  return lines;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  return out.length ? out : [''];
}
