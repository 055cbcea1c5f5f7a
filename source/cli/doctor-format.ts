import type { ClusterSnapshot } from '../kube/cluster-session.js';
import type { Finding } from '../mesh/doctor/index.js';
import { countFindings } from '../mesh/doctor/index.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The findings as a table for people: one row per finding, its fix on the line below. */
export function formatDoctorText(snapshots: readonly ClusterSnapshot[], findings: readonly Finding[]): string {
  const counts = countFindings(findings);
  const clusters = `${plural(snapshots.length, 'cluster')} (${snapshots.map((s) => s.name).join(', ')})`;
  if (findings.length === 0) return `meshdeck doctor: no problems found in ${clusters}\n`;
  const header = ['SEVERITY', 'CLUSTER', 'CODE', 'OBJECT'];
  const rows = findings.map((f) => [f.severity, f.cluster, f.code, f.object]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], last: string) => [...cells.map((c, i) => c.padEnd(widths[i]!)), last].join('  ');
  const out = [line(header, 'MESSAGE')];
  findings.forEach((f, i) => {
    out.push(line(rows[i]!, f.message));
    out.push(`  fix: ${f.fix}`);
  });
  out.push('');
  out.push(`meshdeck doctor: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info in ${clusters}`);
  return `${out.join('\n')}\n`;
}

/** The findings for machines: the clusters looked at, counts, and every finding. */
export function formatDoctorJson(snapshots: readonly ClusterSnapshot[], findings: readonly Finding[]): string {
  const counts = countFindings(findings);
  const clusters = snapshots.map((s) => ({ name: s.name, server: s.server, state: s.state, ...(s.error ? { error: s.error } : {}) }));
  return `${JSON.stringify({ clusters, summary: { errors: counts.error, warnings: counts.warning, info: counts.info }, findings }, null, 2)}\n`;
}
