import type { ContextEntry } from '../kube/kubeconfig.js';
import type { PortApplyDeps } from '../actions/gateway/index.js';
import { auditWriter } from './audit-writer.js';

/** Records each write of a gateway-port plan in meshdeck's audit log (who, which context, which object, patch, the outcome). */
export function gatewayAudit(context: ContextEntry, env: NodeJS.ProcessEnv, warn: (line: string) => void): NonNullable<PortApplyDeps['audit']> {
  const write = auditWriter([context], env, warn);
  return ({ step, outcome, message }) => write({ cluster: context.name, object: step.target, verb: step.verb, outcome, message });
}
