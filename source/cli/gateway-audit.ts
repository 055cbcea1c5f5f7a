import type { GatewayPortPlan, PortPlanStep } from '../actions/gateway/index.js';

/**
 * Records one applied change of a gateway-port plan in meshdeck's audit log. The audit log
 * (source/actions/audit.ts) is not there yet, so nothing is recorded; this is the one place to
 * connect it.
 */
export async function auditAppliedStep(_env: NodeJS.ProcessEnv, _plan: GatewayPortPlan, _step: PortPlanStep, _message: string): Promise<void> {}
