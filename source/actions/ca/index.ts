// The CA engine shared by `meshdeck ca` and the cockpit's CA wizard: read clusters, plan, apply, verify.
export { connectContexts, readClusters } from './connect.js';
export { readCaState, type CaLiveState, type LiveSecret, type IstiodDeployment, type IstiodPod } from './live-state.js';
export { planInstall, ROTATION_NOTE, type InstallTarget, type PlanOptions } from './plan.js';
export { applyInstall, PlanBlockedError, type ApplyDeps, type ApplyResult, type StepProgress, type StepResult } from './apply.js';
export { verifyClusters, type ClusterRead, type ClusterTrust, type TrustGroup, type VerifyReport } from './verify.js';
export { restartDeployment, rolloutProgress, waitForRollout } from './rollout.js';
export * from './types.js';
