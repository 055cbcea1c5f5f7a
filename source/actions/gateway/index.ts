// The gateway-port engine shared by `meshdeck gateway` and the cockpit's port editor: read, plan, apply, verify.
export { readGatewayState, GatewayNotFoundError, GATEWAY_API_VERSIONS } from './live-state.js';
export { portContext, portsReport, liveGatewayKind, type ContextOptions, type GatewayPortsReport } from './context.js';
export { detectManagement, gatewayManagement, managementWarning } from './management.js';
export { upgradeSafety, preferredSnippet, type SnippetInput } from './values.js';
export { planPortEdit, planAgain, portDiff, type PortPlanOptions } from './plan.js';
export { applyPortPlan, PortPlanBlockedError, type PortApplyDeps, type PortApplyResult, type PortStepProgress, type PortStepResult } from './apply.js';
export { verifyPortPlan, checkPlanOnce, type PortCheck, type PortVerifyReport, type VerifyOptions } from './verify.js';
export * from './types.js';
