/**
 * The shape every plan shares, whatever the job (CA install, injection, restarts, join, ports):
 * what the cockpit's review screen and the CLI's plan printer need. Job-specific plans extend it.
 */
export interface ReviewStep {
  id: string;
  cluster: string;
  /** create, replace, patch, delete, restart, backup, verify, ... */
  verb: string;
  /** `secret istio-system/cacerts`, `namespace sample`, `deployment sample/httpbin`, a file path, ... */
  target: string;
  /** What changes, line by line: `- old` / `+ new`, never secret values. */
  diff: string[];
  undoable: boolean;
}

export interface ReviewablePlan {
  /** What the plan is for, in a few words ("install cacerts", "enable injection in sample"). */
  title?: string;
  steps: ReviewStep[];
  /** Why the plan must not be applied as it stands. */
  blocked: { cluster: string; reason: string }[];
  /** What the user should know before applying. */
  notes: { cluster: string; message: string }[];
}

/** Progress of an apply, step by step, for the cockpit and the CLI alike. */
export interface StepProgress {
  stepId: string;
  state: 'running' | 'done' | 'failed' | 'skipped';
  message?: string;
}

/** Plan as text lines (the CLI prints them; the cockpit shows the same lines). */
export function renderPlan(plan: ReviewablePlan): string[] {
  const lines: string[] = [];
  if (plan.title) lines.push(plan.title, '');
  if (plan.steps.length === 0 && plan.blocked.length === 0) lines.push('Nothing to change: everything is already as planned.');
  plan.steps.forEach((step, index) => {
    lines.push(`${index + 1}. [${step.cluster}] ${step.verb} ${step.target}${step.undoable ? '' : '  (cannot be undone)'}`);
    for (const line of step.diff) lines.push(`     ${line}`);
  });
  if (plan.notes.length > 0) lines.push('', 'Notes:', ...plan.notes.map((n) => `  [${n.cluster}] ${n.message}`));
  if (plan.blocked.length > 0) lines.push('', 'Blocked (nothing will be applied):', ...plan.blocked.map((b) => `  [${b.cluster}] ${b.reason}`));
  return lines;
}

/** A step as an apply left it. */
export interface AppliedStep {
  cluster: string;
  verb: string;
  target: string;
  status: 'done' | 'failed' | 'skipped';
  message?: string;
}

// A failure with no answer from the server (describeError's phrases for a dropped connection): the write may have been made.
const NO_ANSWER = /: (connection reset|connection closed|timed out)$/;

/**
 * After an apply that did not finish: what was carried out and what was not, so a change left half
 * done is never silent. Empty when everything was done. A step that failed without an answer (the
 * connection dropped) may have been made. The plans are made from live state and every write is
 * conditional, so running the same command again plans only what is missing.
 */
export function unfinishedLines(steps: readonly AppliedStep[]): string[] {
  const done = steps.filter((s) => s.status === 'done');
  const rest = steps.filter((s) => s.status !== 'done');
  if (rest.length === 0) return [];
  const unanswered = (s: AppliedStep) => s.status === 'failed' && NO_ANSWER.test(s.message ?? '');
  const unknown = rest.filter(unanswered).length;
  const name = (s: AppliedStep) => `${s.verb} ${s.target}${s.cluster && s.verb !== 'write' ? ` (${s.cluster})` : ''}`;
  const mark = (s: AppliedStep) => (unanswered(s) ? `? ${name(s)} (no answer: it may have been made)` : s.status === 'failed' ? `✗ ${name(s)} (failed)` : `- ${name(s)}`);
  const head =
    done.length === 0 && unknown === 0
      ? `nothing was applied: ${rest.length} step${rest.length === 1 ? '' : 's'} not carried out`
      : `left half done: ${done.length} of ${steps.length} steps carried out${unknown > 0 ? `, ${unknown} without an answer` : ''}`;
  const lines = [head];
  if (done.length > 0) lines.push('  applied:', ...done.map((s) => `    ✓ ${name(s)}`));
  lines.push('  not applied:', ...rest.map((s) => `    ${mark(s)}`));
  lines.push('run the same command again once the cause is fixed: it reads the clusters again and plans only what is missing');
  return lines;
}
