import type { PortFinding, ServicePort } from '../mesh/gateway-ports/index.js';
import { printable } from './args.js';
import { preferredSnippet, type GatewayPortPlan, type GatewayPortsReport, type PortApplyResult, type PortStepProgress, type PortVerifyReport } from '../actions/gateway/index.js';

// Text output of `meshdeck gateway` (the cockpit's port editor shows the same lines). State is
// always spelled out, never carried by colour or symbol alone. Names the user typed are echoed
// through printable(), so no control character reaches the terminal.

const MARK = { error: '✗ error  ', warning: '! warning', info: '· note   ' } as const;
const ORDER = { error: 0, warning: 1, info: 2 } as const;

export function findingLine(f: PortFinding): string {
  return printable(`${MARK[f.severity]}  ${f.message}${f.fix ? ` (fix: ${f.fix})` : ''}`);
}

export function findingLines(findings: readonly PortFinding[]): string[] {
  return [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]).map(findingLine);
}

export function tally(findings: readonly PortFinding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (errors === 0 && warnings === 0) return 'ok: no problems found';
  const parts = [errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''].filter(Boolean);
  return `${errors > 0 ? 'failed' : 'ok'}: ${parts.join(', ')}`;
}

/** Rows padded into columns; the last column is not padded. */
export function table(header: string[], rows: string[][], indent = '  '): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) => indent + cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}

export function portRows(ports: readonly ServicePort[]): string[][] {
  return ports.map((p) => [p.name ?? '-', String(p.port), String(p.targetPort ?? p.port), p.nodePort !== undefined ? String(p.nodePort) : '-', p.protocol ?? 'TCP', p.appProtocol ?? '-']);
}

export const PORT_HEADER = ['NAME', 'PORT', 'TARGET', 'NODEPORT', 'PROTOCOL', 'APP PROTOCOL'];

/** What `meshdeck gateway ports` prints. */
export function portsLines(report: GatewayPortsReport): string[] {
  const g = report.gateway;
  const ready = report.pods.filter((p) => p.ready).length;
  const lines = [`${report.cluster}: gateway ${g.namespace}/${g.name} (${g.kind}, Service type ${g.type}${g.workload ? `, deployment ${g.workload}` : ''}, ${ready}/${report.pods.length} pods ready)`, ''];
  lines.push('Service ports:', ...table(PORT_HEADER, portRows(report.ports)), '');
  const container = report.containerPorts.map((c) => `${c.containerPort}${c.name ? `/${c.name}` : ''}`).join(', ');
  lines.push(`Gateway container ports: ${container || '(none declared)'}`, '');
  if (report.servers.length === 0) lines.push('Gateway servers: none select this gateway', '');
  else lines.push('Gateway servers bound to this gateway:', ...table(['GATEWAY', 'PORT', 'PROTOCOL', 'NAME', 'HOSTS'], report.servers.map((s) => [s.gateway, String(s.port), s.protocol || '-', s.name ?? '-', s.hosts.join(', ') || '-'])), '');
  if (report.findings.length > 0) lines.push('Findings:', ...findingLines(report.findings).map((l) => `  ${l}`), '');
  if (report.upgradeWarning) lines.push(`Upgrade safety: ${report.upgradeWarning}`, `  (${report.management.evidence.join(', ')})`, '');
  for (const note of report.notes) lines.push(`· ${note}`);
  if (report.notes.length > 0) lines.push('');
  lines.push(tally(report.findings));
  return lines.map(printable);
}

/** A plan for review: steps with their diffs, the checks, notes, and what keeps it across upgrades. */
export function planLines(plan: GatewayPortPlan, options: { snippet?: boolean } = {}): string[] {
  const lines = [plan.title, ''];
  if (plan.steps.length === 0 && plan.blocked.length === 0) lines.push('Nothing to change: the Service already has this port as given.');
  plan.steps.forEach((step, index) => {
    lines.push(`  ${index + 1}. ${step.verb.padEnd(7)} ${step.target}${step.precondition ? `  (at resourceVersion ${step.precondition.resourceVersion})` : ''}`);
    if (step.diff.length > 0) for (const line of step.diff) lines.push(`       ${line}`);
    else if (step.after) lines.push(`       ${step.after.summary}`);
  });
  const shown = plan.findings.filter((f) => f.introduced || f.severity === 'error');
  if (shown.length > 0) lines.push('', 'Checks:', ...findingLines(shown).map((l) => `  ${l}`));
  if (plan.blocked.length > 0) lines.push('', 'Blocked (nothing will be applied):', ...plan.blocked.map((b) => `  ✗ ${b.reason}`));
  if (plan.notes.length > 0) lines.push('', 'Notes:', ...plan.notes.map((n) => `  · ${n.message}`));
  if (options.snippet && plan.upgrade.warning && plan.steps.length > 0) {
    const snippet = preferredSnippet(plan.upgrade);
    lines.push('', `To keep it across upgrades, ${snippet.title}:`, ...snippet.yaml.trimEnd().split('\n').map((l) => `    ${l}`), ...snippet.notes.map((n) => `  · ${n}`));
  }
  return lines.map(printable);
}

export function progressLine(event: PortStepProgress): string {
  const marks = { running: event.waiting ? '…' : '→', done: '✓ done:', failed: '✗ failed:', skipped: '- skipped:' } as const;
  if (event.state === 'skipped') return `  ${marks.skipped} ${event.step.verb} ${event.step.target}`;
  return `  ${marks[event.state]} ${event.message}`;
}

export function applySummary(result: PortApplyResult): string {
  if (result.ok) return `applied: ${result.steps.length} step${result.steps.length === 1 ? '' : 's'} done`;
  if (result.conflict) return `conflict: ${result.conflict.message}`;
  const failed = result.steps.filter((s) => s.status === 'failed').length;
  return `failed: ${failed} step${failed === 1 ? '' : 's'} failed, ${result.steps.filter((s) => s.status === 'skipped').length} skipped`;
}

export function verifyLines(report: PortVerifyReport): string[] {
  return [...report.checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.what}: ${c.message}`), report.ok ? '✓ verified' : '✗ not verified yet'];
}
