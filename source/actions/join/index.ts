// The join engine shared by `meshdeck join`/`unjoin` and the cockpit's join wizard: read, plan, apply, verify.
export { connectPair, contextServer, type JoinPair } from './connect.js';
export { readJoinState, readClusterFacts, type ClusterFacts, type JoinState, type LiveObject } from './live-state.js';
export { preflight, resolveSettings, isLoopback, isDnsLabel, joinRecord, type JoinOptions } from './preflight.js';
export { planJoin, recordText, type PlanDeps } from './plan.js';
export { planUnjoin, readForeignObjects, type UnjoinOptions } from './unjoin.js';
export { applyJoin, JoinBlockedError, type JoinApplyDeps, type JoinApplyResult, type JoinProgress, type JoinStepResult } from './apply.js';
export { verifyJoin, explain, type ClusterzEntry, type FailureCause, type JoinVerifyReport, type SyncState, type VerifyTarget } from './verify.js';
export { probeApiServer, readerGet, type ProbeResult, type ReaderAnswer } from './probe.js';
export { verifyRegistry, remoteServiceNames, missingFromRegistry, type RegistryCheck, type RegistryCause, type RegistryzService } from './registry.js';
export { remoteKubeconfig, remoteSecretObject, remoteSecretYaml, remoteSecretEntries, remoteSecretName, type RemoteAccess } from './remote-secret.js';
export { eastWestGatewayOperator, installFiles, remoteHelmValues, remoteIstioOperator, type InstallFile } from './install-files.js';
export * from './objects.js';
export * from './types.js';
export type { JoinWizardCluster, JoinWizardInput, JoinWizardReview, JoinWizardRole, JoinWizardService } from './wizard.js';
