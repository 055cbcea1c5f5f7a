/**
 * A sortable key for the kubelet's RFC3339Nano timestamps. Go trims trailing zeros from the
 * fraction (".5Z", ".123456789Z"), so the strings themselves do not sort; the keys do.
 */
export function timeKey(timestamp: string): string {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(timestamp);
  if (!match) return timestamp;
  if (match[3] !== 'Z') return new Date(timestamp).toISOString().replace(/\.(\d{3})Z$/, `.$1${'0'.repeat(6)}Z`);
  return `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}Z`;
}

/** Splits "<timestamp> <text>" as the API server sends lines with timestamps=true. */
export function splitTimestamp(line: string): { time: string; text: string } {
  const space = line.indexOf(' ');
  if (space > 0 && /^\d{4}-\d\d-\d\dT/.test(line)) return { time: line.slice(0, space), text: line.slice(space + 1) };
  return { time: '', text: line };
}
