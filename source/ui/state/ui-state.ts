import type { PaneId } from '../views/registry.js';

export type Mode = 'normal' | 'filter' | 'command' | 'help' | 'detail';

export interface UiState {
  pane: PaneId;
  /** Selected row per pane, by row key, so updates and sorting never move the selection. */
  selection: Record<PaneId, string | undefined>;
  /** Per pane, as typed after '/'. */
  filters: Record<PaneId, string>;
  mode: Mode;
  /** Text being typed in filter or command mode. */
  input: string;
  /** `:ctx NAME` shows one cluster only. */
  onlyCluster?: string;
  detail?: { pane: PaneId; key: string; scroll: number };
  message?: { text: string; tone: 'info' | 'error' };
}

export const initialUiState: UiState = {
  pane: 'clusters',
  selection: { clusters: undefined, gateways: undefined, workloads: undefined },
  filters: { clusters: '', gateways: '', workloads: '' },
  mode: 'normal',
  input: '',
};
