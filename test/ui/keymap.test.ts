import { describe, expect, it } from 'vitest';
import { newLogsUi } from '../../source/ui/logs/logs-state.js';
import { newCaWizard } from '../../source/ui/wizards/ca-wizard-state.js';
import { newPortsEditor } from '../../source/ui/wizards/ports-editor.js';
import { footerHints, KEYMAP, lookup, type Binding, type Command, type Scope } from '../../source/ui/keymap.js';
import { handleKey, scopeOf, type KeyContext, type KeyResult } from '../../source/ui/state/handle-key.js';
import { initialUiState, type UiState } from '../../source/ui/state/ui-state.js';

const SCOPES: Scope[] = ['global', 'table', 'prompt', 'help', 'detail', 'logs', 'wizard'];
const keysOf = (scope: Scope) => KEYMAP.filter((b) => b.scope === scope).flatMap((b) => b.keys);

/**
 * Whether `lookup` in scope `from` also searches scope `to`: a probe binding on a key no real binding uses
 * is put in `to` for the time of one lookup. This follows whatever chain `lookup` uses inside.
 */
function fallsThrough(from: Scope, to: Scope): boolean {
  const bindings = KEYMAP as Binding[];
  bindings.push({ command: 'app.help', keys: ['probe+key'], scope: to, group: 'General', description: 'probe' });
  try {
    return lookup(from, 'probe+key') === 'app.help';
  } finally {
    bindings.pop();
  }
}

describe('the keymap table', () => {
  it.each(SCOPES)('no key is bound twice in scope %s', (scope) => {
    const keys = keysOf(scope);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
  });

  it.each(SCOPES.flatMap((from) => SCOPES.filter((to) => to !== from).map((to) => [from, to] as const)))('no key is bound both in %s and in %s when the first falls through to the second', (from, to) => {
    if (!fallsThrough(from, to)) return;
    const inner = new Set(keysOf(from));
    expect(keysOf(to).filter((key) => inner.has(key))).toEqual([]);
  });

  it('the table scope falls through to global (and the modal scopes do not fall through to table keys)', () => {
    expect(fallsThrough('table', 'global')).toBe(true);
    for (const modal of ['prompt', 'help', 'detail'] as const) expect(fallsThrough(modal, 'table')).toBe(false);
  });

  it('every binding is reachable through lookup in its own scope', () => {
    for (const binding of KEYMAP) for (const key of binding.keys) expect(lookup(binding.scope, key), `${key} in ${binding.scope}`).toBe(binding.command);
  });

  it('every binding has a description', () => {
    for (const binding of KEYMAP) expect(binding.description.length, binding.command).toBeGreaterThan(5);
  });

  it.each([
    ['j', 'nav.down'],
    ['k', 'nav.up'],
    ['g', 'nav.top'],
    ['G', 'nav.bottom'],
    ['down', 'nav.down'],
    ['up', 'nav.up'],
    ['/', 'filter.start'],
    [':', 'command.start'],
    ['?', 'app.help'],
    ['q', 'app.quit'],
    ['enter', 'item.details'],
    ['escape', 'app.back'],
    ['tab', 'pane.next'],
    ['shift+tab', 'pane.prev'],
    ['1', 'pane.clusters'],
    ['2', 'pane.gateways'],
    ['3', 'pane.workloads'],
  ])('k9s habit: %s → %s in the tables', (key, command) => {
    expect(lookup('table', key)).toBe(command);
  });

  it.each(['ctrl+b', 'ctrl+f', 'ctrl+n', 'ctrl+p', 'ctrl+w', 'ctrl+z', 'ctrl+s', 'ctrl+q', 'ctrl+a'])('no default binding on %s (terminal, readline, flow control, tmux/screen prefix)', (key) => {
    expect(KEYMAP.filter((b) => b.keys.includes(key))).toEqual([]);
  });

  it.each(['table', 'help', 'detail'] as const)('Ctrl+C quits from the %s scope', (scope) => {
    expect(lookup(scope, 'ctrl+c')).toBe('app.quit');
  });

  it('the footer hints come from the same table and include quit and help', () => {
    const hints = footerHints('table').map((h) => `${h.keys} ${h.label}`);
    expect(hints).toContain('q/ctrl+c quit');
    expect(hints).toContain('? help');
    expect(footerHints('prompt').map((h) => h.label)).toEqual(['apply', 'cancel', 'complete']);
  });
});

describe('every command is handled by handleKey, with a visible effect', () => {
  const rows = (pane: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: `east/${pane}/${i}` }));
  const ctx: KeyContext = { visible: { clusters: rows('c', 3), gateways: rows('g', 2), workloads: rows('w', 30) }, clusters: ['east', 'west'], pageSize: 10, detailLength: 100, detailPage: 20 };
  const at = (patch: Partial<UiState>): UiState => ({ ...initialUiState, ...patch });
  const onWorkloads = at({ pane: 'workloads', selection: { ...initialUiState.selection, workloads: 'east/w/15' } });
  const inDetail = at({ pane: 'workloads', mode: 'detail', detail: { pane: 'workloads', key: 'east/w/1', scroll: 40 } });
  const inLogs = at({ pane: 'workloads', mode: 'logs', logs: newLogsUi('east/w/15', 'w/15') });
  const logCtx = (): KeyContext => ({ ...ctx, logRows: [3, 4, 5], logReceived: 6 });
  const gatewayCtx = (): KeyContext => ({ ...ctx, visible: { ...ctx.visible, gateways: [{ key: 'east/istio-system/Deployment/istio-ingressgateway' }] } });
  const workloadCtx = (): KeyContext => ({ ...ctx, visible: { ...ctx.visible, workloads: [{ key: 'east/shop/Deployment/cart' }] } });

  // One entry per Command: the state to press it in, and what must visibly change. A new Command without an
  // entry here fails the completeness test below.
  const CASES: Record<Command, { from: UiState; check(result: KeyResult): void }> = {
    'nav.down': { from: onWorkloads, check: (r) => expect(r.state.selection.workloads).toBe('east/w/16') },
    'nav.up': { from: onWorkloads, check: (r) => expect(r.state.selection.workloads).toBe('east/w/14') },
    'nav.top': { from: onWorkloads, check: (r) => expect(r.state.selection.workloads).toBe('east/w/0') },
    'nav.bottom': { from: onWorkloads, check: (r) => expect(r.state.selection.workloads).toBe('east/w/29') },
    'nav.pageDown': { from: onWorkloads, check: (r) => expect(r.state.selection.workloads).toBe('east/w/25') },
    'nav.pageUp': { from: onWorkloads, check: (r) => expect(r.state.selection.workloads).toBe('east/w/5') },
    'pane.next': { from: at({ pane: 'clusters' }), check: (r) => expect(r.state.pane).toBe('gateways') },
    'pane.prev': { from: at({ pane: 'clusters' }), check: (r) => expect(r.state.pane).toBe('services') },
    'pane.services': { from: at({ pane: 'clusters' }), check: (r) => expect(r.state.pane).toBe('services') },
    'pane.findings': { from: at({ pane: 'clusters' }), check: (r) => expect(r.state.pane).toBe('findings') },
    'pane.clusters': { from: at({ pane: 'workloads' }), check: (r) => expect(r.state.pane).toBe('clusters') },
    'pane.gateways': { from: at({ pane: 'workloads' }), check: (r) => expect(r.state.pane).toBe('gateways') },
    'pane.workloads': { from: at({ pane: 'clusters' }), check: (r) => expect(r.state.pane).toBe('workloads') },
    'item.details': {
      from: onWorkloads,
      check: (r) => {
        expect(r.state.mode).toBe('detail');
        expect(r.openDetail).toEqual({ pane: 'workloads', key: 'east/w/15' });
      },
    },
    'app.back': { from: inDetail, check: (r) => expect([r.state.mode, r.state.detail]).toEqual(['normal', undefined]) },
    'filter.start': { from: at({ pane: 'gateways', filters: { ...initialUiState.filters, gateways: 'eastwest' } }), check: (r) => expect([r.state.mode, r.state.input]).toEqual(['filter', 'eastwest']) },
    'command.start': { from: at({}), check: (r) => expect([r.state.mode, r.state.input]).toEqual(['command', '']) },
    'app.help': { from: at({}), check: (r) => expect(r.state.mode).toBe('help') },
    'app.quit': { from: at({}), check: (r) => expect(r.quit).toBe(true) },
    'prompt.submit': { from: at({ mode: 'filter', input: 'cart' }), check: (r) => expect([r.state.mode, r.state.filters.clusters]).toEqual(['normal', 'cart']) },
    'prompt.cancel': { from: at({ mode: 'command', input: 'gw' }), check: (r) => expect([r.state.mode, r.state.input]).toEqual(['normal', '']) },
    'prompt.complete': { from: at({ mode: 'command', input: 'ctx w' }), check: (r) => expect(r.state.input).toBe('ctx west') },
    'prompt.backspace': { from: at({ mode: 'filter', input: 'carts' }), check: (r) => expect(r.state.input).toBe('cart') },
    'logs.open': {
      from: onWorkloads,
      check: (r) => {
        expect(r.state.mode).toBe('logs');
        expect(r.openLogs).toEqual({ pane: 'workloads', key: 'east/w/15' });
      },
    },
    'logs.pause': { from: inLogs, check: (r) => expect(r.state.logs?.paused).toBe(true) },
    'logs.follow': { from: inLogs, check: (r) => expect(r.state.logs?.follow).toBe(false) },
    'logs.wrap': { from: inLogs, check: (r) => expect(r.state.logs?.wrap).toBe(true) },
    'wizard.next': { from: at({ mode: 'wizard', wizard: newCaWizard('/tmp/ca') }), check: (r) => expect([r.state.wizard?.step, r.wizard]).toEqual(['clusters', 'loadClusters']) },
    'wizard.toggle': { from: at({ mode: 'wizard', wizard: newCaWizard('/tmp/ca') }), check: (r) => expect(r.state.wizard?.rootMode).toBe('existing') },
    'wizard.confirm': {
      from: at({ mode: 'wizard', wizard: { ...newCaWizard('/tmp/ca'), step: 'review', lines: ['plan'], selected: ['east'] } }),
      check: (r) => expect([r.state.wizard?.step, r.wizard]).toEqual(['apply', 'apply']),
    },
    'gateway.ports': {
      from: at({ pane: 'gateways', selection: { ...initialUiState.selection, gateways: 'east/istio-system/Deployment/istio-ingressgateway' } }),
      check: (r) => expect([r.state.mode, r.state.ports?.target, r.ports]).toEqual(['ports', { cluster: 'east', namespace: 'istio-system', name: 'istio-ingressgateway' }, 'load']),
    },
    'workload.inject': {
      from: at({ pane: 'workloads', selection: { ...initialUiState.selection, workloads: 'east/shop/Deployment/cart' } }),
      check: (r) => expect([r.state.mode, r.state.action?.request, r.action]).toEqual(['action', { kind: 'toggle-injection', cluster: 'east', namespace: 'shop' }, 'prepare']),
    },
    'workload.restart': {
      from: at({ pane: 'workloads', selection: { ...initialUiState.selection, workloads: 'east/shop/Deployment/cart' } }),
      check: (r) => expect(r.state.action?.request).toEqual({ kind: 'restart', cluster: 'east', namespace: 'shop', workloadKind: 'Deployment', workload: 'cart' }),
    },
    'workload.restartMissing': {
      from: at({ pane: 'workloads', selection: { ...initialUiState.selection, workloads: 'east/shop/Deployment/cart' } }),
      check: (r) => expect(r.state.action?.request).toEqual({ kind: 'restart-missing', namespace: 'shop' }),
    },
    'ports.saveValues': {
      from: at({ mode: 'ports', ports: { ...newPortsEditor({ cluster: 'east', namespace: 'istio-system', name: 'istio-ingressgateway' }), busy: undefined, step: 'review', formats: [{ format: 'helm-gateway', title: 'values for the gateway chart (service.ports)' }] } }),
      check: (r) => expect(r.state.ports?.save?.path).toBe('istio-ingressgateway-ports-values.yaml'),
    },
    'logs.save': { from: inLogs, check: (r) => expect([r.state.mode, r.state.input.startsWith('meshdeck-logs-')]).toEqual(['save', true]) },
  };

  it('has a case for exactly the commands of the keymap', () => {
    expect(Object.keys(CASES).sort()).toEqual([...new Set(KEYMAP.map((b) => b.command))].sort());
  });

  it.each(Object.entries(CASES) as [Command, (typeof CASES)[Command]][])('%s', (command, { from, check }) => {
    const scope = scopeOf(from);
    const binding = KEYMAP.find((b) => b.command === command && (lookup(scope, b.keys[0]!) === command));
    expect(binding, `${command} has a key in scope ${scope}`).toBeDefined();
    for (const key of binding!.keys) {
      if (lookup(scope, key) !== command) continue;
      const result = handleKey(from, key, key.length === 1 ? key : '', from.mode === 'logs' ? logCtx() : command.startsWith('workload.') ? workloadCtx() : command === 'gateway.ports' ? gatewayCtx() : ctx);
      check(result);
    }
  });

  it('scrolling in the details moves the scroll position, not the table selection', () => {
    const from = { ...inDetail, selection: { ...inDetail.selection, workloads: 'east/w/3' } };
    const down = handleKey(from, 'j', 'j', ctx).state;
    expect(down.detail?.scroll).toBe(41);
    expect(down.selection.workloads).toBe('east/w/3');
  });
});
