import { stringify } from 'yaml';
import { describeRef } from './objects.js';
import type { JoinPlan, JoinStep, ObjectRef, PreflightCheck } from './types.js';

// Small helpers the join and unjoin planners share.

/** An object as `+ ` lines of YAML (what will be created). */
export function yamlLines(object: Record<string, unknown>, mark = '+'): string[] {
  return stringify(object, { indentSeq: false, lineWidth: 0 })
    .trimEnd()
    .split('\n')
    .map((line) => `${mark} ${line}`);
}

export function createStep(side: JoinStep['side'], cluster: string, ref: ObjectRef, object: Record<string, unknown>, after: string): JoinStep {
  return { id: `${cluster}/create-${ref.kind.toLowerCase()}-${ref.name}`, cluster, side, verb: 'create', target: describeRef(ref), ref, before: null, after, object, diff: yamlLines(object), undoable: true };
}

export function deleteStep(side: JoinStep['side'], cluster: string, ref: ObjectRef, live: { resourceVersion: string; uid?: string }, before: string): JoinStep {
  return {
    id: `${cluster}/delete-${ref.kind.toLowerCase()}-${ref.name}`,
    cluster,
    side,
    verb: 'delete',
    target: describeRef(ref),
    ref,
    before,
    after: null,
    diff: [`- ${describeRef(ref)}`],
    // meshdeck join makes it again (a token Secret gets a new token, which join writes into the remote secret).
    undoable: true,
    precondition: { resourceVersion: live.resourceVersion, ...(live.uid ? { uid: live.uid } : {}) },
  };
}

/** Label and annotation changes as diff lines. */
export function patchDiff(current: { labels: Record<string, string>; annotations: Record<string, string> }, patch: NonNullable<JoinStep['patch']>): string[] {
  const lines: string[] = [];
  for (const [field, changes] of [['label', patch.labels], ['annotation', patch.annotations]] as const) {
    const now = field === 'label' ? current.labels : current.annotations;
    for (const [key, value] of Object.entries(changes ?? {})) {
      if (value === null) lines.push(`- ${field} ${key}=${now[key] ?? ''}`);
      else if (now[key] === undefined) lines.push(`+ ${field} ${key}=${value}`);
      else lines.push(`~ ${field} ${key}: ${now[key]} → ${value}`);
    }
  }
  return lines;
}

/** Failing checks block the plan, warnings become notes; each under the cluster it is about. */
export function addChecks(plan: JoinPlan, checks: PreflightCheck[]): void {
  const primaryChecks = new Set(['reach-primary', 'istiod', 'external-istiod', `eastwest-${plan.settings.primary}`]);
  for (const check of checks) {
    const cluster = primaryChecks.has(check.id) ? plan.settings.primary : plan.settings.remote;
    if (check.status === 'fail') plan.blocked.push({ cluster, reason: check.message });
    if (check.status === 'warn') plan.notes.push({ cluster, message: check.message });
  }
}
