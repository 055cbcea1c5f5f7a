import type { ContextEntry } from '../kube/kubeconfig.js';
import { auditWriter } from './audit-writer.js';
import type { InjectProgress } from '../actions/inject/index.js';

const CHANGES = new Set(['label', 'restart']);

export interface InjectAudit {
  /** Pass every progress event; the label and restart steps that finished or failed are recorded. */
  record(event: InjectProgress): void;
  /** Resolves once every line handed to `record` is written (or warned about). */
  settled(): Promise<void>;
}

/**
 * Records each namespace label and rollout restart of an injection plan (`meshdeck inject|restart`
 * and the cockpit's i, r, R), done or failed, in meshdeck's audit log. A log that cannot be written is
 * a warning: the change is made (or refused) by then.
 */
export function injectAudit(contexts: ContextEntry[], env: NodeJS.ProcessEnv, warn: (line: string) => void): InjectAudit {
  const pending: Promise<void>[] = [];
  const write = auditWriter(contexts, env, warn);
  return {
    record(event) {
      if ((event.state !== 'done' && event.state !== 'failed') || event.waiting || !CHANGES.has(event.step.verb)) return;
      pending.push(write({ cluster: event.step.cluster, object: event.step.target, verb: event.step.verb, outcome: event.state === 'done' ? 'success' : 'failure', message: event.message }));
    },
    async settled() {
      await Promise.all(pending);
    },
  };
}
