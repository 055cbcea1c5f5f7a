import type { PaneId } from '../views/registry.js';
import type { LogsUi } from '../logs/logs-state.js';
import type { CaWizardUi } from '../wizards/ca-wizard-state.js';
import type { ActionFlowUi } from '../wizards/action-flow.js';
import type { JoinWizardUi } from '../wizards/join-wizard.js';
import type { PortsEditorUi } from '../wizards/ports-editor.js';

export type Mode = 'normal' | 'filter' | 'command' | 'save' | 'help' | 'detail' | 'logs' | 'wizard' | 'action' | 'join' | 'ports';

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
  /** The open log view; filter, command and save prompts apply to it while it is open. */
  logs?: LogsUi;
  /** The open CA wizard (`:ca`). */
  wizard?: CaWizardUi;
  /** A confirmation flow for one job (i, r, R). */
  action?: ActionFlowUi;
  /** The open join wizard (`:join`). */
  join?: JoinWizardUi;
  /** The gateway port editor (p on a gateway). */
  ports?: PortsEditorUi;
}

export const initialUiState: UiState = {
  pane: 'clusters',
  selection: { clusters: undefined, gateways: undefined, workloads: undefined, findings: undefined, services: undefined },
  filters: { clusters: '', gateways: '', workloads: '', findings: '', services: '' },
  mode: 'normal',
  input: '',
};
