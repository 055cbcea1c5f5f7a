import type { Finding } from '../pki/findings.js';
import { formatFinding } from '../pki/findings.js';
import type { CertificateSummary } from '../pki/fingerprint.js';
import type { ApplyResult, Plan, StepProgress, VerifyReport } from '../actions/ca/index.js';

// Text output of `meshdeck ca`. State is always spelled out, never carried by colour or symbol alone.

const MARK = { error: '✗ error  ', warning: '! warning', info: '· note   ' } as const;

export function findingLines(findings: readonly Finding[]): string[] {
  const order = { error: 0, warning: 1, info: 2 } as const;
  return [...findings].sort((a, b) => order[a.severity] - order[b.severity]).map((f) => `${MARK[f.severity]}  ${formatFinding(f)}`);
}

export function tally(findings: readonly Finding[]): string {
  const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  const errors = count('error');
  const warnings = count('warning');
  if (errors === 0 && warnings === 0) return 'ok: no problems found';
  const parts = [errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''].filter(Boolean);
  return `${errors > 0 ? 'failed' : 'ok'}: ${parts.join(', ')}`;
}

export function certificateLine(label: string, cert: CertificateSummary | undefined, width = 14): string {
  if (!cert) return `  ${label.padEnd(width)}  -`;
  return `  ${label.padEnd(width)}  ${cert.subject}  SHA-256 ${cert.fingerprint}  until ${cert.notAfter.slice(0, 10)}`;
}

export function planLines(plan: Plan): string[] {
  const lines: string[] = [];
  for (const c of plan.clusters) {
    lines.push(`${c.cluster}: install the CA of ${c.source}`);
    lines.push(certificateLine('intermediate', c.intermediate), certificateLine('root', c.root));
  }
  const clusters = [...new Set([...plan.clusters.map((c) => c.cluster), ...plan.steps.map((s) => s.cluster), ...plan.blocked.map((b) => b.cluster)])];
  for (const cluster of clusters) {
    const steps = plan.steps.filter((s) => s.cluster === cluster);
    lines.push('', `${cluster}: ${steps.length === 0 ? 'nothing to change' : `${steps.length} step${steps.length === 1 ? '' : 's'}`}`);
    steps.forEach((step, index) => {
      lines.push(`  ${index + 1}. ${step.verb.padEnd(8)} ${step.target}${step.undoable || step.verb === 'verify' ? '' : '  (cannot be undone)'}`);
      if (step.diff.length > 0 && (step.verb === 'create' || step.verb === 'replace')) {
        for (const line of step.diff) lines.push(`       ${line}`);
      } else {
        if (step.before) lines.push(`       before: ${step.before.summary}`);
        if (step.after) lines.push(`       after:  ${step.after.summary}`);
      }
    });
    for (const b of plan.blocked.filter((x) => x.cluster === cluster)) lines.push(`  ✗ blocked: ${b.reason}`);
    for (const n of plan.notes.filter((x) => x.cluster === cluster)) lines.push(`  · note: ${n.message}`);
  }
  return lines;
}

export function progressLine(event: StepProgress): string | undefined {
  const marks = { running: event.waiting ? '…' : '→', done: '✓ done:', failed: '✗ failed:', skipped: '- skipped:' } as const;
  if (event.state === 'skipped') return `  ${marks.skipped} ${event.step.verb} ${event.step.target} (${event.step.cluster})`;
  return `  ${marks[event.state]} ${event.message}`;
}

export function applySummary(result: ApplyResult): string {
  const failed = result.steps.filter((s) => s.status === 'failed');
  if (result.ok) return `applied: ${result.steps.length} step${result.steps.length === 1 ? '' : 's'} done`;
  return `failed: ${failed.length} step${failed.length === 1 ? '' : 's'} failed, ${result.steps.filter((s) => s.status === 'skipped').length} skipped`;
}

export function verifyLines(report: VerifyReport): string[] {
  const rows = report.clusters.map((c) => [
    c.cluster,
    c.error ? 'unreachable' : !c.istio ? 'no istio' : c.source,
    c.activeRoot ? `${c.activeRoot.fingerprint.split(':').slice(0, 4).join(':')}  ${c.activeRoot.subject}` : '-',
    c.loaded === undefined ? '-' : c.loaded ? 'yes' : 'no (restart pending)',
    [c.managedByMeshdeck ? 'made by meshdeck' : '', c.sample ? "Istio's sample CA" : ''].filter(Boolean).join(', '),
  ]);
  const header = ['CONTEXT', 'CA FROM', 'ROOT (SHA-256)', 'LOADED', 'NOTES'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}
