import type { ContextEntry } from '../kube/kubeconfig.js';
import { appendAudit, auditUser } from '../actions/audit.js';
import type { JoinApplyDeps } from '../actions/join/index.js';

/**
 * Records each change of a join or unjoin plan in meshdeck's audit log (who, which context, which
 * object, the verb, success or failure). A log that cannot be written is reported through `warn`:
 * the change has been made (or refused) by then, so it does not fail the apply.
 */
export function joinAudit(contexts: ContextEntry[], env: NodeJS.ProcessEnv, warn: (line: string) => void): NonNullable<JoinApplyDeps['audit']> {
  return async ({ step, outcome, message }) => {
    const context = contexts.find((c) => c.name === step.cluster);
    try {
      await appendAudit({ user: context ? auditUser(context) : '', context: step.cluster, object: step.target, verb: step.verb, outcome, message }, { env });
    } catch (error) {
      warn(`the change was not recorded in the audit log: ${(error as Error).message}`);
    }
  };
}
