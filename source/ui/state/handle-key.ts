import { lookup, type Scope } from '../keymap.js';
import { PANE_ORDER, type PaneId } from '../views/registry.js';
import type { UiState } from './ui-state.js';
import { completeCommandLine, parseCommandLine } from './command-line.js';

export interface KeyContext {
  visible: Record<PaneId, readonly { key: string }[]>;
  clusters: string[];
  pageSize: number;
  detailLength: number;
  detailPage: number;
}

export interface KeyResult {
  state: UiState;
  quit?: boolean;
  openDetail?: { pane: PaneId; key: string };
}

export function scopeOf(state: UiState): Scope {
  if (state.mode === 'help') return 'help';
  if (state.mode === 'detail') return 'detail';
  if (state.mode === 'filter' || state.mode === 'command') return 'prompt';
  return 'table';
}

/** The whole keyboard behaviour as a pure function: state + key → next state (and effects to run). */
export function handleKey(state: UiState, key: string, input: string, ctx: KeyContext): KeyResult {
  const scope = scopeOf(state);
  const command = lookup(scope, key);
  const base: UiState = state.message ? { ...state, message: undefined } : state;
  if (scope === 'prompt') return handlePrompt(base, command, input, ctx);
  switch (command) {
    case 'app.quit':
      return { state: base, quit: true };
    case 'app.help':
      return { state: { ...base, mode: 'help' } };
    case 'app.back':
      if (state.mode === 'help' || state.mode === 'detail') {
        const { detail: _closed, ...rest } = base;
        return { state: { ...rest, mode: 'normal' } };
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
    case 'item.details': {
      const key = selectedKey(state, ctx);
      if (!key) return { state: base };
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
