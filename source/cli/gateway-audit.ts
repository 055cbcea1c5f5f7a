import type { ContextEntry } from '../kube/kubeconfig.js';
import { appendAudit, auditUser } from '../actions/audit.js';
import type { PortApplyDeps } from '../actions/gateway/index.js';

/**
 * Records each write of a gateway-port plan in meshdeck's audit log (who, which context, which
 * object, patch, success or failure). A log that cannot be written is reported through `warn`; the
 * change itself has already been made (or refused) by then, so it does not fail the apply.
 */
export function gatewayAudit(context: ContextEntry, env: NodeJS.ProcessEnv, warn: (line: string) => void): NonNullable<PortApplyDeps['audit']> {
  return async ({ step, outcome, message }) => {
    try {
      await appendAudit({ user: auditUser(context), context: context.name, object: step.target, verb: step.verb, outcome, message }, { env });
    } catch (error) {
      warn(`the change was not recorded in the audit log: ${(error as Error).message}`);
    }
  };
}
