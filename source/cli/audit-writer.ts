import type { ContextEntry } from '../kube/kubeconfig.js';
import { appendAudit, auditUser } from '../actions/audit.js';

export interface AuditedChange {
  cluster: string;
  object: string;
  verb: string;
  outcome: 'success' | 'failure';
  message: string;
}

/**
 * Writes one change to meshdeck's audit log as the user of its context. A log that cannot be written is
 * reported through `warn`: the change has been made (or refused) by then, so it does not fail the apply.
 */
export function auditWriter(contexts: ContextEntry[], env: NodeJS.ProcessEnv, warn: (line: string) => void): (change: AuditedChange) => Promise<void> {
  return async ({ cluster, object, verb, outcome, message }) => {
    const context = contexts.find((c) => c.name === cluster);
    try {
      await appendAudit({ user: context ? auditUser(context) : '', context: cluster, object, verb, outcome, message }, { env });
    } catch (error) {
      warn(`the change was not recorded in the audit log: ${(error as Error).message}`);
    }
  };
}
