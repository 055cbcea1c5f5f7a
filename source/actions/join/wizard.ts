import type { StepProgress } from '../plan.js';

// What the cockpit's join wizard (`:join`) calls: types only, so the UI can import them without the
// engine. source/cli/join-wizard-service.ts implements it on the same engine as `meshdeck join`.

export type JoinWizardRole = 'primary' | 'standalone' | 'remote' | 'no istio' | 'unreachable';

/** One context as the wizard's cluster picker shows it. */
export interface JoinWizardCluster {
  cluster: string;
  /** primary: istiod with remotes; standalone: istiod without; remote: names a control plane; no istio. */
  role: JoinWizardRole;
  clusterId?: string;
  network?: string;
  meshId?: string;
  /** The control plane a remote names (topology.istio.io/controlPlaneClusters). */
  controlPlane?: string;
  /** The remote clusters a primary's istiod reads (its remote secrets). */
  remotes: string[];
  /** The root its workloads chain to, first four bytes of the SHA-256 (so a differing root shows). */
  root?: string;
  apiServer: string;
  /** Why the cluster cannot be read. */
  error?: string;
  /** The sensible default primary: runs istiod and is not a remote itself. */
  suggestedPrimary: boolean;
}

/** What the wizard's form holds: prefilled by `defaults()`, edited by the user. */
export interface JoinWizardInput {
  primary: string;
  remote: string;
  clusterName: string;
  network: string;
  meshId: string;
  remoteApiServer: string;
  /** Where the remote profile's install files are written. */
  outDir: string;
}

/** The reviewed plan, as lines, with what the wizard needs to guard the apply key. */
export interface JoinWizardReview {
  lines: string[];
  /** A preflight check failed: nothing may be applied. */
  blocked: boolean;
  /** Nothing to do. */
  empty: boolean;
  /** Join: everything in the clusters is in place already. */
  alreadyJoined: boolean;
  /** The steps `apply()` reports on, in order, for a live checklist. */
  checklist: { id: string; label: string }[];
  /** The install commands printed after a join. */
  commands: string[];
}

export interface JoinWizardService {
  /** Every context of the kubeconfig, read side by side (a cluster that fails is a row, not an error). */
  clusters(): Promise<JoinWizardCluster[]>;
  /** The form prefilled from what the two clusters say (the remote's name and network, the primary's mesh). */
  defaults(primary: string, remote: string): Promise<JoinWizardInput>;
  /** Reads both clusters and plans the join; changes nothing. */
  prepare(input: JoinWizardInput, onStatus: (text: string) => void): Promise<JoinWizardReview>;
  /** Plans removing what join created; changes nothing. */
  prepareUnjoin(primary: string, remote: string, onStatus: (text: string) => void): Promise<JoinWizardReview>;
  /** Carries out exactly the plan last prepared (join or unjoin), reporting each step, with istiod's verdict. */
  apply(onLine: (text: string) => void, onStep?: (progress: StepProgress) => void): Promise<{ ok: boolean; lines: string[] }>;
  /** Waits for istiod's verdict on the pair last prepared, then shows the primary's remotes (the new topology). */
  verify(onLine: (text: string) => void): Promise<{ ok: boolean; lines: string[] }>;
}
