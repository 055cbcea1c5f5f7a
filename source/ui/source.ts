import type { ClusterSnapshot } from '../kube/cluster-session.js';
import type { PaneId } from './views/registry.js';
import type { LogBuffer } from '../kube/logs/log-buffer.js';
import type { ParsedLine } from '../mesh/access-log/types.js';

/** A running log view: its buffer (outside React) and how its streams are doing. */
export interface LogHandle {
  title: string;
  buffer: LogBuffer<ParsedLine>;
  summaryText(now: number): string;
  streamsText(): string;
  stop(): void;
}

export interface WizardCluster {
  cluster: string;
  /** The root its workloads chain to, shortened; undefined when there is none yet. */
  root?: string;
  rootSubject?: string;
  sample: boolean;
  /** Where istiod's CA comes from (cacerts, istio-ca-secret), or why the cluster cannot be read. */
  source: string;
}

export interface CaWizardInput {
  rootMode: 'new' | 'existing';
  rootDir: string;
  organization: string;
  keyType: 'rsa' | 'ecdsa';
  rsaBits: number;
  rootDays: number;
  intermediateDays: number;
  clusters: string[];
  /** Replace files and `cacerts` secrets meshdeck did not make (secrets are backed up first). */
  force: boolean;
}

/** The CA wizard's effects; the wizard itself only holds what the user typed and chose. */
export interface CaWizardService {
  clusters(): Promise<WizardCluster[]>;
  /** Makes the keys and certificates in memory and plans the install; writes and changes nothing. */
  prepare(input: CaWizardInput, onStatus: (text: string) => void): Promise<{ lines: string[]; blocked: boolean; empty: boolean }>;
  /** Writes the files and carries out the reviewed plan, reporting each step. */
  apply(onLine: (text: string) => void): Promise<{ ok: boolean; lines: string[] }>;
  verify(clusters: string[]): Promise<string[]>;
}

/** What a confirmation flow does: one job, planned from live state, applied only when confirmed. */
export type ActionRequest =
  | { kind: 'toggle-injection'; cluster: string; namespace: string }
  | { kind: 'restart'; cluster: string; namespace: string; workloadKind: string; workload: string }
  | { kind: 'restart-missing'; namespace: string };

export interface ActionService {
  title: string;
  prepare(onStatus: (text: string) => void): Promise<{ lines: string[]; blocked: boolean; empty: boolean }>;
  apply(onLine: (text: string) => void): Promise<{ ok: boolean; lines: string[] }>;
}

/** What the cockpit reads from; the UI never talks to an API server itself. */
export interface CockpitSource {
  /** Changes to clusters are refused (--readonly): the header says so. */
  readonly?: boolean;
  subscribe(listener: () => void): () => void;
  getRevision(): number;
  snapshot(): ClusterSnapshot[];
  /** Full details of one row as text lines (YAML and facts), fetched on demand. */
  describe(pane: PaneId, rowKey: string): Promise<string[]>;
  /** Follows the istio-proxy logs behind a workload or gateway row, in every cluster where it exists. */
  openLogs(pane: PaneId, rowKey: string): LogHandle | { error: string };
  /** Writes lines to a new file; never overwrites. Resolves with a message for the footer. */
  saveLines(path: string, lines: string[]): Promise<string>;
  /** The CA wizard's engine (`:ca`). */
  caWizard(): CaWizardService;
  /** The gateway port editor's engine (p). */
  portsEditor(): import('../cli/ports-editor-service.js').PortsEditorService;
  /** The join wizard's engine (`:join`). */
  joinWizard(): import('../actions/join/wizard.js').JoinWizardService;
  /** The injection keys' jobs (i, r, R): plan, confirm, apply. */
  action(request: ActionRequest): ActionService;
}
