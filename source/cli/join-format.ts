import type { JoinApplyResult, JoinPlan, JoinProgress, JoinStep, JoinVerifyReport, PreflightCheck } from '../actions/join/index.js';

// Text output of `meshdeck join` and `meshdeck unjoin` (the cockpit's join wizard shows the same lines).
// State is always spelled out, never carried by colour or symbol alone.

const MARK = { pass: '✓ pass', warn: '! warn', fail: '✗ fail' } as const;

export function preflightLines(checks: readonly PreflightCheck[]): string[] {
  return checks.map((c) => `  ${MARK[c.status]}  ${c.message}`);
}

export function settingsLine(plan: JoinPlan): string {
  const s = plan.settings;
  if (plan.kind === 'unjoin') return `  primary ${s.primary} (cluster ID ${s.primaryClusterId}) · remote ${s.remote} (cluster name ${s.clusterName})`;
  const networks = s.multiNetwork ? `network ${s.network || '(none)'} (${s.primary}: ${s.primaryNetwork || '(none)'}, multi-network)` : `network ${s.network || '(none)'} (one network)`;
  return `  cluster name ${s.clusterName} · ${networks} · mesh ID ${s.meshId} · API server ${s.remoteApiServer}`;
}

function stepLines(step: JoinStep, index: number, width: number): string[] {
  const head = `  ${`${index}.`.padStart(width + 3)} ${step.verb.padEnd(8)}`;
  if (step.verb === 'verify') return [`${head} ${step.after ?? step.target}`];
  const lines = [`${head} ${step.target}`];
  if (step.diff.length > 0 && step.verb !== 'write') lines.push(...step.diff.map((line) => `         ${line}`));
  else if (step.after) lines.push(`         ${step.after}`);
  return lines;
}

export function planLines(plan: JoinPlan): string[] {
  const s = plan.settings;
  const lines = [plan.title, settingsLine(plan), '', 'Preflight:', ...preflightLines(plan.preflight)];
  if (plan.kind === 'join' && plan.alreadyJoined) lines.push('', `already joined: ${s.remote} is a remote of ${s.primary} as ${s.clusterName}; nothing in the clusters changes`);
  else if (plan.steps.length === 0) lines.push('', 'Nothing to change.');
  // In the order the steps run (join: the remote first; unjoin: the primary first).
  const titles = { remote: `${s.remote} (remote):`, primary: `${s.primary} (primary):`, local: 'Files (meshdeck does not install Istio; these are for installing it):' };
  const sides = [...new Set(plan.steps.filter((step) => step.verb !== 'verify').map((step) => step.side))];
  const groups: [string, JoinStep[]][] = [
    ...sides.map((side): [string, JoinStep[]] => [titles[side], plan.steps.filter((step) => step.side === side && step.verb !== 'verify')]),
    ['Then:', plan.steps.filter((step) => step.verb === 'verify')],
  ];
  let index = 0;
  for (const [title, steps] of groups) {
    if (steps.length === 0) continue;
    lines.push('', title);
    for (const step of steps) lines.push(...stepLines(step, ++index, String(plan.steps.length).length));
  }
  // Preflight warnings are notes of the plan too (the cockpit's review shows notes); here they were shown above.
  const warned = new Set(plan.preflight.filter((c) => c.status === 'warn').map((c) => c.message));
  const notes = plan.notes.filter((n) => !warned.has(n.message));
  if (notes.length > 0) lines.push('', 'Notes:', ...notes.map((n) => `  · [${n.cluster}] ${n.message}`));
  const failed = new Set(plan.preflight.filter((c) => c.status === 'fail').map((c) => c.message));
  const blocked = plan.blocked.filter((b) => !failed.has(b.reason));
  if (blocked.length > 0) lines.push('', 'Blocked (nothing will be applied):', ...blocked.map((b) => `  ✗ [${b.cluster}] ${b.reason}`));
  return lines;
}

/** The commands that use the files written, for after the join. */
export function commandLines(plan: JoinPlan): string[] {
  if (plan.commands.length === 0) return [];
  return [`Install Istio's remote profile on ${plan.settings.remote} with the files (meshdeck does not install Istio):`, ...plan.commands.map((c) => `  ${c}`)];
}

export function progressLine(event: JoinProgress): string | undefined {
  if (event.state === 'skipped') return `  - skipped: ${event.step.verb} ${event.step.target}`;
  const mark = { running: event.waiting ? '…' : '→', done: '✓', failed: '✗' }[event.state];
  // Verify's verdict is printed whole afterwards.
  if (event.step.verb === 'verify' && event.state !== 'running') return undefined;
  return `  ${mark} ${event.message}`;
}

export function applySummary(result: JoinApplyResult, kind: JoinPlan['kind']): string {
  const count = (status: string) => result.steps.filter((s) => s.status === status).length;
  if (result.ok) return `${kind === 'join' ? 'joined' : 'unjoined'}: ${result.steps.length} step${result.steps.length === 1 ? '' : 's'} done`;
  return `failed: ${count('failed')} step${count('failed') === 1 ? '' : 's'} failed, ${count('skipped')} skipped, ${count('done')} done`;
}

export function verifyLines(report: JoinVerifyReport): string[] {
  return report.lines;
}
