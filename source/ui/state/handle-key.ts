import { lookup, type Scope } from '../keymap.js';
import { PANE_ORDER, type PaneId } from '../views/registry.js';
import type { UiState } from './ui-state.js';
import { completeCommandLine, isQuitCommand, parseCommandLine } from './command-line.js';
import { newLogsUi, parseNarrow, type LogsUi } from '../logs/logs-state.js';
import { newCaWizard } from '../wizards/ca-wizard-state.js';
import { wizardKey, type WizardEffect } from '../wizards/ca-wizard-keys.js';
import { actionKey, newActionFlow } from '../wizards/action-flow.js';
import { joinWizardKey, newJoinWizard, type JoinEffect } from '../wizards/join-wizard.js';
import { newPortsEditor, portsEditorKey, type PortsEffect, type SaveRequest } from '../wizards/ports-editor.js';
import type { ActionRequest } from '../source.js';

export interface KeyContext {
  /** The terminal is below the minimum size: only the message is shown, and only quitting works. */
  tooSmall?: boolean;
  visible: Record<PaneId, readonly { key: string }[]>;
  clusters: string[];
  pageSize: number;
  detailLength: number;
  detailPage: number;
  /** Sequence numbers of the log lines on screen, oldest first, and how many lines arrived so far. */
  logRows?: number[];
  logReceived?: number;
  logDetailLength?: number;
  /** Where the CA wizard proposes to write a new root. */
  caDefaultDir?: string;
  /** Changes to clusters are refused (--readonly): keys that only change a cluster say so instead of asking. */
  readonly?: boolean;
  /** Where a finding's object is shown, if anywhere. */
  findingTarget?(findingKey: string): { pane: PaneId; key: string } | undefined;
  /** The title a log view opened from the selected row gets. */
  logTitle?(pane: PaneId, key: string): string;
}

export interface KeyResult {
  state: UiState;
  quit?: boolean;
  openDetail?: { pane: PaneId; key: string };
  openLogs?: { pane: PaneId; key: string };
  closeLogs?: boolean;
  saveLogs?: { path: string };
  wizard?: WizardEffect;
  /** Start (prepare) or apply the open confirmation flow. */
  action?: 'prepare' | 'apply';
  /** What the join wizard asks of its engine. */
  join?: Exclude<JoinEffect, 'close'> | 'clusters';
  /** What the port editor asks of its engine. */
  ports?: Exclude<PortsEffect, 'close'> | 'load';
  /** What the port editor's `save` effect writes. */
  portsSave?: SaveRequest;
}

export function scopeOf(state: UiState): Scope {
  if (state.mode === 'help') return 'help';
  if (state.mode === 'detail') return 'detail';
  if (state.mode === 'filter' || state.mode === 'command' || state.mode === 'save') return 'prompt';
  if (state.mode === 'logs') return 'logs';
  if (state.mode === 'wizard' || state.mode === 'action' || state.mode === 'join' || state.mode === 'ports') return 'wizard';
  return 'table';
}

export const READONLY_APPLY = 'read-only: applying would change the clusters and is off (meshdeck runs with --readonly or "readonly: true" in config.yaml)';

/** A wizard on its review step, where `y` applies the plan. */
function reviewing(state: UiState): boolean {
  if (state.mode === 'ports') return state.ports?.step === 'review';
  if (state.mode === 'join') return state.join?.step === 'review';
  if (state.mode === 'action') return state.action?.step === 'review';
  if (state.mode === 'wizard') return state.wizard?.step === 'review';
  return false;
}

/** The whole keyboard behaviour as a pure function: state + key → next state (and effects to run). */
export function handleKey(state: UiState, key: string, input: string, ctx: KeyContext): KeyResult {
  // Nothing of the cockpit is on screen: a key must not change what the user cannot see (q and Ctrl-C still quit).
  if (ctx.tooSmall) return lookup('global', key) === 'app.quit' ? { state, quit: true } : { state };
  const scope = scopeOf(state);
  const command = lookup(scope, key);
  const base: UiState = state.message ? { ...state, message: undefined } : state;
  if (ctx.readonly && key === 'y' && reviewing(state) && !state.ports?.save) return { state: { ...base, message: { text: READONLY_APPLY, tone: 'info' } } };
  if (state.mode === 'ports' && state.ports) {
    if (key === 'ctrl+c') return { state: base, quit: true };
    const result = portsEditorKey(state.ports, key, input, Math.max(1, ctx.pageSize));
    if (result.effect === 'close') {
      const { ports: _closed, ...rest } = base;
      return { state: { ...rest, mode: 'normal' } };
    }
    return { state: { ...base, ports: result.editor, ...(result.message ? { message: { text: result.message, tone: 'info' as const } } : {}) }, ...(result.effect ? { ports: result.effect } : {}), ...(result.save ? { portsSave: result.save } : {}) };
  }
  if (state.mode === 'join' && state.join) {
    if (key === 'ctrl+c') return { state: base, quit: true };
    const result = joinWizardKey(state.join, key, input, Math.max(1, ctx.pageSize));
    if (result.effect === 'close') {
      const { join: _closed, ...rest } = base;
      return { state: { ...rest, mode: 'normal' } };
    }
    return { state: { ...base, join: result.wizard, ...(result.message ? { message: { text: result.message, tone: 'info' as const } } : {}) }, ...(result.effect ? { join: result.effect } : {}) };
  }
  if (state.mode === 'action' && state.action) {
    if (key === 'ctrl+c') return { state: base, quit: true };
    const result = actionKey(state.action, key, Math.max(1, ctx.pageSize));
    if (result.effect === 'close') {
      const { action: _closed, ...rest } = base;
      return { state: { ...rest, mode: 'normal' } };
    }
    return { state: { ...base, action: result.flow, ...(result.message ? { message: { text: result.message, tone: 'info' as const } } : {}) }, ...(result.effect ? { action: result.effect } : {}) };
  }
  if (scope === 'wizard' && state.wizard) {
    if (key === 'ctrl+c') return { state: base, quit: true };
    const result = wizardKey(state.wizard, key, input, Math.max(1, ctx.pageSize));
    if (result.effect === 'close') {
      const { wizard: _closed, ...rest } = base;
      return { state: { ...rest, mode: 'normal' } };
    }
    return { state: { ...base, wizard: result.wizard, ...(result.message ? { message: { text: result.message, tone: 'info' as const } } : {}) }, ...(result.effect ? { wizard: result.effect } : {}) };
  }
  if (scope === 'prompt') return state.logs ? handleLogPrompt(base, command, input) : handlePrompt(base, command, input, ctx);
  if (scope === 'logs' && state.logs) return handleLogs(base, state.logs, command, ctx);
  switch (command) {
    case 'gateway.ports': {
      const key = selectedKey(state, ctx);
      const parts = key?.split('/') ?? [];
      if (state.pane !== 'gateways' || !key || parts.length < 4) return { state: { ...base, message: { text: 'select a gateway (2) first: p edits its Service ports', tone: 'info' } } };
      const [cluster, namespace, , name] = parts as [string, string, string, string];
      return { state: { ...base, mode: 'ports', ports: newPortsEditor({ cluster, namespace, name }) }, ports: 'load' };
    }
    case 'workload.inject':
    case 'workload.restart':
    case 'workload.restartMissing': {
      const key = selectedKey(state, ctx);
      const parts = key?.split('/') ?? [];
      if (state.pane !== 'workloads' || !key || parts.length < 4) return { state: { ...base, message: { text: 'select a workload (3) first: i, r and R act on workloads and their namespaces', tone: 'info' } } };
      const [cluster, namespace, kind, name] = parts as [string, string, string, string];
      const request: ActionRequest =
        command === 'workload.inject' ? { kind: 'toggle-injection', cluster, namespace } : command === 'workload.restart' ? { kind: 'restart', cluster, namespace, workloadKind: kind, workload: name } : { kind: 'restart-missing', namespace };
      if (request.kind === 'restart' && kind === 'Pod') return { state: { ...base, message: { text: `${name} is a bare pod: delete and recreate it instead (no controller restarts it)`, tone: 'info' } } };
      if (ctx.readonly) return { state: { ...base, message: { text: 'read-only: i, r and R change the cluster and are off (meshdeck runs with --readonly or "readonly: true" in config.yaml)', tone: 'info' } } };
      return { state: { ...base, mode: 'action', action: newActionFlow(request, '') }, action: 'prepare' };
    }
    case 'logs.open': {
      if (state.pane === 'clusters') return { state: { ...base, message: { text: 'select a workload or gateway (2 or 3) and press l to follow its logs', tone: 'info' } } };
      const key = selectedKey(state, ctx);
      if (!key) return { state: base };
      return { state: { ...base, mode: 'logs', logs: newLogsUi(key, ctx.logTitle?.(state.pane, key) ?? key) }, openLogs: { pane: state.pane, key } };
    }
    case 'app.quit':
      return { state: base, quit: true };
    case 'app.help':
      return { state: { ...base, mode: 'help' } };
    case 'app.back':
      if (state.mode === 'help' || state.mode === 'detail') {
        const { detail: _closed, ...rest } = base;
        return { state: { ...rest, mode: state.logs ? 'logs' : 'normal' } };
      }
      if (state.filters[state.pane]) return { state: { ...base, filters: { ...state.filters, [state.pane]: '' } } };
      if (state.onlyCluster) {
        const { onlyCluster: _all, ...rest } = base;
        return { state: rest };
      }
      return { state: base };
    case 'filter.start':
      return { state: { ...base, mode: 'filter', input: state.filters[state.pane] } };
    case 'command.start':
      return { state: { ...base, mode: 'command', input: '' } };
    case 'pane.next':
    case 'pane.prev': {
      const index = PANE_ORDER.indexOf(state.pane);
      const step = command === 'pane.next' ? 1 : PANE_ORDER.length - 1;
      return { state: { ...base, pane: PANE_ORDER[(index + step) % PANE_ORDER.length]! } };
    }
    case 'pane.clusters':
      return { state: { ...base, pane: 'clusters' } };
    case 'pane.gateways':
      return { state: { ...base, pane: 'gateways' } };
    case 'pane.workloads':
      return { state: { ...base, pane: 'workloads' } };
    case 'pane.findings':
      return { state: { ...base, pane: 'findings' } };
    case 'pane.services':
      return { state: { ...base, pane: 'services' } };
    case 'item.details': {
      const key = selectedKey(state, ctx);
      if (!key) return { state: base };
      // A finding jumps to the row of the object it is about, when that object has one.
      const jump = state.pane === 'findings' ? ctx.findingTarget?.(key) : undefined;
      if (jump) return { state: { ...base, pane: jump.pane, selection: { ...base.selection, [jump.pane]: jump.key }, message: { text: `jumped to ${jump.key}`, tone: 'info' } } };
      return { state: { ...base, mode: 'detail', detail: { pane: state.pane, key, scroll: 0 } }, openDetail: { pane: state.pane, key } };
    }
    case 'nav.down':
    case 'nav.up':
    case 'nav.top':
    case 'nav.bottom':
    case 'nav.pageDown':
    case 'nav.pageUp':
      return { state: state.mode === 'detail' ? scrollDetail(base, command, ctx) : move(base, command, ctx) };
    default:
      return { state: base };
  }
}

function handlePrompt(state: UiState, command: ReturnType<typeof lookup>, input: string, ctx: KeyContext): KeyResult {
  const isFilter = state.mode === 'filter';
  switch (command) {
    case 'prompt.cancel':
      return { state: { ...state, mode: 'normal', input: '', ...(isFilter ? { filters: { ...state.filters, [state.pane]: '' } } : {}) } };
    case 'prompt.backspace':
      return { state: { ...state, input: [...state.input].slice(0, -1).join('') } };
    case 'prompt.complete':
      return { state: isFilter ? state : { ...state, input: completeCommandLine(state.input, ctx.clusters) } };
    case 'prompt.submit': {
      if (isFilter) return { state: { ...state, mode: 'normal', filters: { ...state.filters, [state.pane]: state.input }, input: '' } };
      const result = parseCommandLine(state.input, ctx.clusters);
      const done: UiState = { ...state, mode: 'normal', input: '' };
      switch (result.kind) {
        case 'quit':
          return { state: done, quit: true };
        case 'help':
          return { state: { ...done, mode: 'help' } };
        case 'wizard':
          if (result.name === 'join') return { state: { ...done, mode: 'join', join: newJoinWizard() }, join: 'clusters' };
          return { state: { ...done, mode: 'wizard', wizard: newCaWizard(ctx.caDefaultDir ?? 'meshdeck-ca') } };
        case 'pane':
          return { state: { ...done, pane: result.pane } };
        case 'context':
          return { state: { ...done, onlyCluster: result.cluster } };
        case 'all': {
          const { onlyCluster: _all, ...rest } = done;
          return { state: rest };
        }
        case 'error':
          return { state: { ...done, message: { text: result.message, tone: 'error' } } };
      }
      return { state: done };
    }
    default:
      // Printable input goes into the prompt; control keys without a binding are ignored.
      if (input && !/[\u0000-\u001f\u007f]/.test(input)) return { state: { ...state, input: state.input + input } };
      return { state };
  }
}

function selectedKey(state: UiState, ctx: KeyContext): string | undefined {
  const rows = ctx.visible[state.pane];
  const current = state.selection[state.pane];
  if (current && rows.some((r) => r.key === current)) return current;
  return rows[0]?.key;
}

function move(state: UiState, command: string, ctx: KeyContext): UiState {
  const rows = ctx.visible[state.pane];
  if (rows.length === 0) return state;
  const current = Math.max(0, rows.findIndex((r) => r.key === state.selection[state.pane]));
  const last = rows.length - 1;
  const target =
    command === 'nav.down' ? Math.min(last, current + 1)
    : command === 'nav.up' ? Math.max(0, current - 1)
    : command === 'nav.top' ? 0
    : command === 'nav.bottom' ? last
    : command === 'nav.pageDown' ? Math.min(last, current + ctx.pageSize)
    : Math.max(0, current - ctx.pageSize);
  return { ...state, selection: { ...state.selection, [state.pane]: rows[target]!.key } };
}

function scrollDetail(state: UiState, command: string, ctx: KeyContext): UiState {
  if (!state.detail) return state;
  const max = Math.max(0, ctx.detailLength - ctx.detailPage);
  const s = state.detail.scroll;
  const scroll =
    command === 'nav.down' ? s + 1
    : command === 'nav.up' ? s - 1
    : command === 'nav.top' ? 0
    : command === 'nav.bottom' ? max
    : command === 'nav.pageDown' ? s + ctx.detailPage
    : s - ctx.detailPage;
  return { ...state, detail: { ...state.detail, scroll: Math.max(0, Math.min(max, scroll)) } };
}

function handleLogs(state: UiState, logs: LogsUi, command: ReturnType<typeof lookup>, ctx: KeyContext): KeyResult {
  const set = (next: Partial<LogsUi>): KeyResult => ({ state: { ...state, logs: { ...logs, ...next } } });
  const rows = ctx.logRows ?? [];
  const page = Math.max(1, ctx.pageSize);
  if (logs.detailSeq !== undefined) {
    const max = Math.max(0, (ctx.logDetailLength ?? 0) - ctx.detailPage);
    switch (command) {
      case 'app.back':
        return set({ detailSeq: undefined, detailScroll: 0 });
      case 'nav.down':
        return set({ detailScroll: Math.min(max, logs.detailScroll + 1) });
      case 'nav.up':
        return set({ detailScroll: Math.max(0, logs.detailScroll - 1) });
      case 'nav.pageDown':
        return set({ detailScroll: Math.min(max, logs.detailScroll + ctx.detailPage) });
      case 'nav.pageUp':
        return set({ detailScroll: Math.max(0, logs.detailScroll - ctx.detailPage) });
      case 'app.quit':
        return { state, quit: true };
      default:
        return { state };
    }
  }
  const current = logs.follow || logs.selectedSeq === undefined ? rows.length - 1 : Math.max(0, rows.indexOf(logs.selectedSeq));
  const selectAt = (index: number): KeyResult => {
    if (rows.length === 0) return { state };
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    return set({ selectedSeq: rows[clamped], follow: false });
  };
  switch (command) {
    case 'app.back': {
      const { logs: _closed, ...rest } = state;
      return { state: { ...rest, mode: 'normal' }, closeLogs: true };
    }
    case 'app.quit':
      return { state, quit: true };
    case 'app.help':
      return { state: { ...state, mode: 'help' } };
    case 'nav.down':
      return selectAt(current + 1);
    case 'nav.up':
      return selectAt(current - 1);
    case 'nav.pageDown':
      return selectAt(current + page);
    case 'nav.pageUp':
      return selectAt(current - page);
    case 'nav.top':
      return selectAt(0);
    case 'nav.bottom':
      return set({ follow: true, selectedSeq: undefined });
    case 'logs.pause':
      return logs.paused ? set({ paused: false }) : set({ paused: true, pausedAt: ctx.logReceived ?? 0 });
    case 'logs.follow':
      return logs.follow ? set({ follow: false, selectedSeq: rows[current] }) : set({ follow: true, selectedSeq: undefined });
    case 'logs.wrap':
      return set({ wrap: !logs.wrap });
    case 'logs.save':
      return { state: { ...state, mode: 'save', input: `meshdeck-logs-${new Date().toISOString().replace(/[:.]/g, '-')}.log` } };
    case 'item.details':
      return rows.length === 0 ? { state } : set({ detailSeq: rows[Math.max(0, current)], detailScroll: 0 });
    case 'filter.start':
      return { state: { ...state, mode: 'filter', input: logs.filter } };
    case 'command.start':
      return { state: { ...state, mode: 'command', input: '' } };
    default:
      return { state };
  }
}

function handleLogPrompt(state: UiState, command: ReturnType<typeof lookup>, input: string): KeyResult {
  const logs = state.logs!;
  const back: UiState = { ...state, mode: 'logs', input: '' };
  switch (command) {
    case 'prompt.cancel':
      return { state: state.mode === 'filter' ? { ...back, logs: { ...logs, filter: '' } } : back };
    case 'prompt.backspace':
      return { state: { ...state, input: [...state.input].slice(0, -1).join('') } };
    case 'prompt.complete':
      return { state };
    case 'prompt.submit': {
      if (state.mode === 'filter') return { state: { ...back, logs: { ...logs, filter: state.input } } };
      if (state.mode === 'save') {
        const path = state.input.trim();
        return path ? { state: back, saveLogs: { path } } : { state: { ...back, message: { text: 'no file name given; nothing saved', tone: 'error' } } };
      }
      if (isQuitCommand(state.input)) return { state: back, quit: true };
      const result = parseNarrow(state.input, logs.narrow);
      if (result.kind === 'error') return { state: { ...back, message: { text: result.message, tone: 'error' } } };
      return { state: { ...back, logs: { ...logs, narrow: result.narrow } } };
    }
    default:
      if (input && !/[\u0000-\u001f\u007f]/.test(input)) return { state: { ...state, input: state.input + input } };
      return { state };
  }
}
