import type { ClusterSnapshot } from '../kube/cluster-session.js';
import type { PaneId } from './views/registry.js';

/** What the cockpit reads from; the UI never talks to an API server itself. */
export interface CockpitSource {
  subscribe(listener: () => void): () => void;
  getRevision(): number;
  snapshot(): ClusterSnapshot[];
  /** Full details of one row as text lines (YAML and facts), fetched on demand. */
  describe(pane: PaneId, rowKey: string): Promise<string[]>;
}
