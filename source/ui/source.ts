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

/** What the cockpit reads from; the UI never talks to an API server itself. */
export interface CockpitSource {
  subscribe(listener: () => void): () => void;
  getRevision(): number;
  snapshot(): ClusterSnapshot[];
  /** Full details of one row as text lines (YAML and facts), fetched on demand. */
  describe(pane: PaneId, rowKey: string): Promise<string[]>;
  /** Follows the istio-proxy logs behind a workload or gateway row, in every cluster where it exists. */
  openLogs(pane: PaneId, rowKey: string): LogHandle | { error: string };
  /** Writes lines to a new file; never overwrites. Resolves with a message for the footer. */
  saveLines(path: string, lines: string[]): Promise<string>;
}
