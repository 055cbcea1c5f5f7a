import { describe, expect, it } from 'vitest';
import { handleKey, type KeyContext } from '../../source/ui/state/handle-key.js';
import { initialUiState, type UiState } from '../../source/ui/state/ui-state.js';

const rows = (...keys: string[]) => keys.map((key) => ({ key }));
const workloads = Array.from({ length: 40 }, (_, i) => `east/shop/Deployment/app-${String(i).padStart(2, '0')}`);
const ctx = (patch: Partial<KeyContext> = {}): KeyContext => ({
  visible: { clusters: rows('east', 'west'), gateways: rows('east/istio-system/Deployment/istio-ingressgateway'), workloads: rows(...workloads) },
  clusters: ['east', 'west', 'west-2'],
  pageSize: 10,
  detailLength: 50,
  detailPage: 20,
  ...patch,
});
const state = (patch: Partial<UiState> = {}): UiState => ({ ...initialUiState, ...patch });

/** Presses keys in order; a key is a keymap name ('enter', 'ctrl+c') or one printable character. */
function press(from: UiState, keys: string[], context = ctx()) {
  let current = from;
  let quit = false;
  const opened: { pane: string; key: string }[] = [];
  for (const key of keys) {
    const name = key === ' ' ? 'space' : key;
    const result = handleKey(current, name, [...key].length === 1 ? key : '', context);
    current = result.state;
    if (result.quit) quit = true;
    if (result.openDetail) opened.push(result.openDetail);
  }
  return { state: current, quit, opened };
}
const type = (text: string) => [...text];

describe('navigation', () => {
  const onWorkloads = state({ pane: 'workloads' });

  it.each([
    ['j from no selection selects the second row', [], ['j'], workloads[1]],
    ['down twice', [], ['down', 'down'], workloads[2]],
    ['k at the top stays', [], ['k'], workloads[0]],
    ['G then k', [], ['G', 'k'], workloads[38]],
    ['G then g', [], ['G', 'g'], workloads[0]],
    ['end and home', [], ['end', 'home'], workloads[0]],
    ['a page down', [], ['pagedown'], workloads[10]],
    ['ctrl+d is a page down', [], ['ctrl+d', 'ctrl+d'], workloads[20]],
    ['a page down near the end stops on the last row', ['G'], ['k', 'k', 'pagedown'], workloads[39]],
    ['a page up near the top stops on the first row', [], ['j', 'j', 'pageup'], workloads[0]],
    ['ctrl+u is a page up', ['G'], ['ctrl+u'], workloads[29]],
  ])('%s', (_scenario, before, keys, expected) => {
    const start = press(onWorkloads, before).state;
    expect(press(start, keys).state.selection.workloads).toBe(expected);
  });

  it('keeps the selection by key when the rows are reordered, and moves from where that row now is', () => {
    const selected = press(onWorkloads, ['j', 'j', 'j']).state;
    expect(selected.selection.workloads).toBe(workloads[3]);
    const reordered = ctx({ visible: { ...ctx().visible, workloads: rows(...[...workloads].reverse()) } });
    expect(press(selected, ['j'], reordered).state.selection.workloads).toBe(workloads[2]);
    expect(press(selected, ['k'], reordered).state.selection.workloads).toBe(workloads[4]);
  });

  it('keeps the selection when rows are added above it', () => {
    const selected = press(onWorkloads, ['j', 'j']).state;
    const grown = ctx({ visible: { ...ctx().visible, workloads: rows('east/a/Deployment/new-1', 'east/a/Deployment/new-2', ...workloads) } });
    expect(press(selected, ['j'], grown).state.selection.workloads).toBe(workloads[3]);
  });

  it('when the selected row is gone, moves on from the first row (the one the table shows selected)', () => {
    const gone = state({ pane: 'workloads', selection: { ...initialUiState.selection, workloads: 'east/shop/Deployment/deleted' } });
    expect(press(gone, ['j']).state.selection.workloads).toBe(workloads[1]);
  });

  it('does nothing on an empty pane', () => {
    const empty = ctx({ visible: { ...ctx().visible, workloads: [] } });
    const result = press(onWorkloads, ['j', 'G', 'pagedown', 'enter'], empty);
    expect(result.state).toEqual(onWorkloads);
    expect(result.opened).toEqual([]);
  });

  it('keeps a selection per pane', () => {
    const result = press(state(), ['j', '3', 'G', '1']);
    expect(result.state.pane).toBe('clusters');
    expect(result.state.selection).toEqual({ clusters: 'west', gateways: undefined, workloads: workloads[39] });
  });

  it.each([
    ['tab', ['tab'], 'gateways'],
    ['tab five times comes back', ['tab', 'tab', 'tab', 'tab', 'tab'], 'clusters'],
    ['shift+tab wraps backwards to the services', ['shift+tab'], 'services'],
    ['5', ['5'], 'services'],
    ['4', ['4'], 'findings'],
    ['2', ['2'], 'gateways'],
    ['3 then 1', ['3', '1'], 'clusters'],
  ])('panes: %s', (_scenario, keys, pane) => {
    expect(press(state(), keys).state.pane).toBe(pane);
  });
});

describe('filter', () => {
  it('typing opens a prompt whose text is kept for the focused pane on Enter', () => {
    const result = press(state({ pane: 'workloads' }), ['/', ...type('^cart$'), 'enter']);
    expect(result.state.mode).toBe('normal');
    expect(result.state.filters).toEqual({ clusters: '', gateways: '', workloads: '^cart$', findings: '', services: '' });
  });

  it('while typing, keys are text: q, j, 1, ?, : and space do not act', () => {
    const result = press(state({ pane: 'gateways' }), ['/', 'q', 'j', '1', '?', ':', ' ', 'G']);
    expect(result.quit).toBe(false);
    expect(result.state).toMatchObject({ mode: 'filter', pane: 'gateways', input: 'qj1?: G' });
  });

  it('backspace removes one character (a whole emoji too)', () => {
    expect(press(state(), ['/', ...type('east🙂'), 'backspace']).state.input).toBe('east');
  });

  it('control characters without a binding are ignored', () => {
    expect(press(state(), ['/', 'a', 'ctrl+x', 'b']).state.input).toBe('ab');
    expect(handleKey(press(state(), ['/']).state, 'ctrl+x', '\u0018', ctx()).state.input).toBe('');
  });

  it('Tab does nothing in a filter', () => {
    expect(press(state(), ['/', ...type('ea'), 'tab']).state.input).toBe('ea');
  });

  it('reopening the prompt starts from the pane’s filter', () => {
    const kept = press(state({ pane: 'gateways' }), ['/', ...type('eastwest'), 'enter']).state;
    expect(press(kept, ['/']).state).toMatchObject({ mode: 'filter', input: 'eastwest' });
    expect(press(kept, ['3', '/']).state).toMatchObject({ mode: 'filter', input: '' });
  });

  it('Esc in the prompt cancels and clears that pane’s filter only', () => {
    const filtered = state({ pane: 'workloads', filters: { clusters: 'west', gateways: 'ingress', workloads: 'cart' } });
    const result = press(filtered, ['/', 'x', 'escape']);
    expect(result.state.mode).toBe('normal');
    expect(result.state.filters).toEqual({ clusters: 'west', gateways: 'ingress', workloads: '' });
  });

  it('Esc in the table clears the focused pane’s filter, then the :ctx cluster', () => {
    const filtered = state({ pane: 'gateways', onlyCluster: 'west', filters: { clusters: 'west', gateways: 'ingress', workloads: 'cart' } });
    const once = press(filtered, ['escape']).state;
    expect(once.filters).toEqual({ clusters: 'west', gateways: '', workloads: 'cart' });
    expect(once.onlyCluster).toBe('west');
    const twice = press(once, ['escape']).state;
    expect(twice.onlyCluster).toBeUndefined();
    expect(twice.filters.workloads).toBe('cart');
  });
});

describe('command mode', () => {
  it.each<[string, string, Partial<UiState>]>([
    [':gw', 'gw', { pane: 'gateways', mode: 'normal' }],
    [':gateways', 'gateways', { pane: 'gateways' }],
    [':wl', 'wl', { pane: 'workloads' }],
    [':workload', 'workload', { pane: 'workloads' }],
    [':cl', 'cl', { pane: 'clusters' }],
    [':ctx west', 'ctx west', { onlyCluster: 'west', mode: 'normal' }],
    [':context west-2', 'context west-2', { onlyCluster: 'west-2' }],
    [':help', 'help', { mode: 'help' }],
    ['surrounding spaces', '  gw  ', { pane: 'gateways' }],
  ])('%s', (_scenario, text, expected) => {
    const result = press(state({ pane: 'clusters' }), [':', ...type(text), 'enter']);
    expect(result.state).toMatchObject({ input: '', ...expected });
    expect(result.quit).toBe(false);
  });

  it.each([
    [':ctx nope', 'ctx nope', 'no cluster "nope" (have: east, west, west-2)'],
    [':ctx alone', 'ctx', ':ctx needs a cluster name (east, west, west-2)'],
    ['an unknown command', 'pods', 'unknown command ":pods" (try :clusters, :gw, :wl, :doctor, :svc, :ca, :join, :ctx NAME, :all, :q)'],
  ])('%s shows an error and changes nothing else', (_scenario, text, message) => {
    const result = press(state({ pane: 'gateways', onlyCluster: 'east' }), [':', ...type(text), 'enter']);
    expect(result.state.message).toEqual({ text: message, tone: 'error' });
    expect(result.state).toMatchObject({ mode: 'normal', pane: 'gateways', onlyCluster: 'east' });
    expect(press(result.state, ['j']).state.message).toBeUndefined();
  });

  it(':all shows every cluster again', () => {
    expect(press(state({ onlyCluster: 'west' }), [':', ...type('all'), 'enter']).state.onlyCluster).toBeUndefined();
  });

  it.each([['q'], ['quit'], ['q!']])(':%s quits', (text) => {
    expect(press(state(), [':', ...type(text), 'enter']).quit).toBe(true);
  });

  it.each([
    ['ct', 'ctx '],
    ['ctx w', 'ctx west'],
    ['ctx west-', 'ctx west-2'],
    ['ctx e', 'ctx east'],
    ['ctx x', 'ctx x'],
    ['gate', 'gateway'],
    ['wo', 'workload'],
    ['zz', 'zz'],
  ])('Tab completes %j → %j', (typed, completed) => {
    expect(press(state(), [':', ...type(typed), 'tab']).state.input).toBe(completed);
  });

  it('Esc leaves command mode without touching filters', () => {
    const filtered = state({ filters: { ...initialUiState.filters, clusters: 'west' } });
    const result = press(filtered, [':', ...type('gw'), 'escape']);
    expect(result.state).toMatchObject({ mode: 'normal', input: '', pane: 'clusters', filters: filtered.filters });
  });
});

describe('details', () => {
  const onWorkloads = state({ pane: 'workloads' });

  it('Enter opens the selected row, and asks for its details once', () => {
    const result = press(onWorkloads, ['j', 'j', 'enter']);
    expect(result.state).toMatchObject({ mode: 'detail', detail: { pane: 'workloads', key: workloads[2], scroll: 0 } });
    expect(result.opened).toEqual([{ pane: 'workloads', key: workloads[2] }]);
  });

  it('Enter without a selection opens the first row', () => {
    expect(press(onWorkloads, ['enter']).opened).toEqual([{ pane: 'workloads', key: workloads[0] }]);
  });

  it.each([
    ['j scrolls one line', ['j', 'j'], 2],
    ['k at the top stays', ['k'], 0],
    ['space is a page', [' '], 20],
    ['G goes to the last page', ['G'], 30],
    ['G then pageup', ['G', 'pageup'], 10],
    ['page down stops at the last page', ['pagedown', 'pagedown', 'pagedown'], 30],
    ['g goes back to the top', ['G', 'g'], 0],
  ])('%s', (_scenario, keys, scroll) => {
    const open = press(onWorkloads, ['enter']).state;
    expect(press(open, keys).state.detail?.scroll).toBe(scroll);
  });

  it('a text shorter than the page does not scroll', () => {
    const open = press(onWorkloads, ['enter']).state;
    expect(press(open, ['j', 'G', 'pagedown'], ctx({ detailLength: 5 })).state.detail?.scroll).toBe(0);
  });

  it.each([['escape'], ['q']])('%s closes the details and keeps the selection', (key) => {
    const open = press(onWorkloads, ['j', 'enter']).state;
    const result = press(open, [key]);
    expect(result.quit).toBe(false);
    expect(result.state.mode).toBe('normal');
    expect(result.state.detail).toBeUndefined();
    expect(result.state.selection.workloads).toBe(workloads[1]);
  });

  it('table keys do not act behind the details', () => {
    const open = press(onWorkloads, ['enter']).state;
    expect(press(open, ['1', '/', ':', 'tab']).state).toEqual(open);
  });
});

describe('help and quitting', () => {
  it.each([['escape'], ['?'], ['q']])('? opens help, %s closes it', (key) => {
    const help = press(state(), ['?']).state;
    expect(help.mode).toBe('help');
    const result = press(help, [key]);
    expect(result.state.mode).toBe('normal');
    expect(result.quit).toBe(false);
  });

  it.each<[string, UiState, string[], boolean]>([
    ['q in the tables quits', state(), ['q'], true],
    ['ctrl+c in the tables quits', state(), ['ctrl+c'], true],
    ['ctrl+c in the help quits', state({ mode: 'help' }), ['ctrl+c'], true],
    ['ctrl+c in the details quits', state({ mode: 'detail', detail: { pane: 'clusters', key: 'east', scroll: 0 } }), ['ctrl+c'], true],
    ['ctrl+c in a prompt cancels it', state({ mode: 'command', input: 'gw' }), ['ctrl+c'], false],
  ])('%s', (_scenario, from, keys, quits) => {
    expect(press(from, keys).quit).toBe(quits);
  });

  it('an unbound key changes nothing', () => {
    const from = state({ pane: 'gateways' });
    expect(handleKey(from, 'x', 'x', ctx()).state).toBe(from);
  });
});

describe('a terminal below the minimum size', () => {
  const small = ctx({ tooSmall: true });

  it.each([
    ['the table', state({ pane: 'workloads' })],
    ['a filter prompt', state({ pane: 'workloads', mode: 'filter', input: 'ap' })],
    ['help', state({ mode: 'help' })],
  ])('in %s, keys change nothing', (_name, from) => {
    for (const key of ['2', 'j', 'G', '/', ':', '?', 'enter', 'escape', 'tab', 'l', 'i', 'r', 'R', 'p', 'x', 'backspace', 'space']) {
      const result = handleKey(from, key, [...key].length === 1 ? key : '', small);
      expect(result, key).toEqual({ state: from });
    }
  });

  it.each([['q'], ['ctrl+c']])('%s still quits, even in a prompt', (key) => {
    expect(handleKey(state({ mode: 'filter', input: 'ap' }), key, key === 'q' ? 'q' : 'c', small).quit).toBe(true);
  });
});

describe('the log view command line', () => {
  const inLogs = () => press(state({ pane: 'workloads' }), ['l']).state;

  it.each([':q', ':quit', ':q!'])('%s quits from the log view, as it does from the tables', (typed) => {
    const opened = inLogs();
    expect(opened.mode).toBe('logs');
    expect(press(opened, [...type(typed), 'enter']).quit).toBe(true);
  });

  it('an unknown word is an error that lists :q among the commands, and does not quit', () => {
    const result = press(inLogs(), [...type(':qq'), 'enter']);
    expect(result.quit).toBe(false);
    expect(result.state.message?.text).toBe('unknown log command ":qq" (try :5xx, :4xx, :flag UF, :cluster NAME, :pod NAME, :all, :q)');
  });
});

describe('read-only mode on a review step', () => {
  it('y on a review says applying is off and leaves the wizard where it was; without --readonly it applies', () => {
    const review = press(state(), [':', ...type('join'), 'enter']).state;
    const atReview: UiState = { ...review, join: { ...review.join!, step: 'review', busy: undefined, blocked: false, empty: false } };
    const refused = handleKey(atReview, 'y', 'y', ctx({ readonly: true }));
    expect(refused.state.join?.step).toBe('review');
    expect(refused.join).toBeUndefined();
    expect(refused.state.message?.text).toMatch(/^read-only: applying would change the clusters and is off/);
    const applied = handleKey(atReview, 'y', 'y', ctx());
    expect(applied.state.join?.step).toBe('apply');
    expect(applied.join).toBe('apply');
  });
});
