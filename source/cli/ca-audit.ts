import type { ContextEntry } from '../kube/kubeconfig.js';
import { auditWriter } from './audit-writer.js';
import type { StepProgress } from '../actions/ca/index.js';

const CHANGES = new Set(['create', 'replace', 'restart']);

/**
 * Records each change a CA install makes (create or replace of cacerts, istiod restarts), done or
 * failed, in meshdeck's audit log. A log that cannot be written is a warning: the change is made by then.
 */
export function caAudit(contexts: ContextEntry[], env: NodeJS.ProcessEnv, warn: (line: string) => void): (event: StepProgress) => void {
  const write = auditWriter(contexts, env, warn);
  return (event) => {
    if ((event.state !== 'done' && event.state !== 'failed') || event.waiting || !CHANGES.has(event.step.verb)) return;
    void write({ cluster: event.step.cluster, object: event.step.target, verb: event.step.verb, outcome: event.state === 'done' ? 'success' : 'failure', message: event.message });
  };
}
