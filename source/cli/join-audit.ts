import type { ContextEntry } from '../kube/kubeconfig.js';
import type { JoinApplyDeps } from '../actions/join/index.js';
import { auditWriter } from './audit-writer.js';

/** Records each change of a join or unjoin plan in meshdeck's audit log (who, which context, which object, the verb, the outcome). */
export function joinAudit(contexts: ContextEntry[], env: NodeJS.ProcessEnv, warn: (line: string) => void): NonNullable<JoinApplyDeps['audit']> {
  const write = auditWriter(contexts, env, warn);
  return ({ step, outcome, message }) => write({ cluster: step.cluster, object: step.target, verb: step.verb, outcome, message });
}
