import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, useApp, useInput, type Key } from 'ink';
import type { CockpitSource } from './source.js';
import { useCockpitModel } from './useCockpitModel.js';
import { useClock } from './hooks/useClock.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { initialUiState, type UiState } from './state/ui-state.js';
import { handleKey } from './state/handle-key.js';
import { PANES, PANE_ORDER, type PaneId } from './views/registry.js';
import { compileFilter } from '../mesh/filter.js';
import { KeyActivity } from './hooks/key-activity.js';
import { VisibleRowsCache, filterTextOf, type VisibleRows } from './views/visible-rows.js';
import { Header } from './components/Header.js';
import { Footer } from './components/Footer.js';
import { TooSmall, isTooSmall } from './components/TooSmall.js';
import { Pane } from './components/Pane.js';
import { PromptLine } from './components/PromptLine.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { DetailView } from './components/DetailView.js';
import { keyName } from './input/key-name.js';
import type { Scope } from './keymap.js';
import type { MeshModel } from '../mesh/model.js';
import type { LogHandle } from './source.js';
import { LogView } from './logs/LogView.js';
import { describeLogEntry } from './logs/log-detail.js';
import { useLogRows } from './logs/useLogRows.js';
import { CaWizard } from './wizards/CaWizard.js';
import { ActionFlow } from './wizards/ActionFlow.js';
import { JoinWizard } from './wizards/JoinWizard.js';
import { PortsEditor } from './wizards/PortsEditor.js';
import { editOf, type PortsEditorUi, type SaveRequest } from './wizards/ports-editor.js';
import type { SaveFormat } from './wizards/ports-save.js';
import { withClusters, type JoinWizardUi } from './wizards/join-wizard.js';
import type { ActionFlowUi } from './wizards/action-flow.js';
import type { ActionService } from './source.js';
import { wizardInput, type CaWizardUi } from './wizards/ca-wizard-state.js';
import type { WizardEffect } from './wizards/ca-wizard-keys.js';
import { join } from 'node:path';
import { logPredicate } from './logs/log-filter.js';

const CONTROL_KEYS: Record<string, string> = { '\r': 'enter', '\n': 'enter', '\t': 'tab', '\x7f': 'backspace', '\b': 'backspace' };

/**
 * Fast typing and pastes arrive as one chunk ("jj", "/cart\r"): replay them one key at a time. Chunks
 * holding escape sequences (arrows, function keys) are left to Ink, which decodes those.
 */
function splitChunk(input: string, key: Key): (readonly [string, string])[] | undefined {
  if (input.length <= 1 || key.ctrl || key.meta || input.includes('\x1b')) return undefined;
  // A space keeps its character (prompts type it) but is named like a lone space press.
  return [...input].map((ch) => (ch === ' ' ? (['space', ' '] as const) : ([CONTROL_KEYS[ch] ?? ch, CONTROL_KEYS[ch] ? '' : ch] as const)));
}

/** Columns from which clusters, gateways and workloads are all visible at once. */
export const SIDE_BY_SIDE_COLUMNS = 160;

/** The edit's checks while it is typed: synchronous, against what the editor last read. */
function portsCheck(source: CockpitSource, editor: PortsEditorUi): string[] {
  if (editor.step !== 'edit' || editor.busy) return [];
  const { edit, error } = editOf(editor);
  if (!edit) return [`· ${error}`];
  try {
    const check = source.portsEditor().validate(editor.target, edit, { updateGateways: editor.updateGateways, confirmCritical: editor.confirmCritical });
    if (check.unchanged) return ['· this changes nothing'];
    return [...check.diff, ...check.lines, ...check.blocked.map((b) => `✗ ${b}`), ...check.confirmations.map((c) => `! ${c.port}: ${c.breaks}`)];
  } catch (err) {
    return [`✗ ${(err as Error).message.split('\n')[0]}`];
  }
}

type PortsEditorService = ReturnType<CockpitSource['portsEditor']>;

/** The snippets a plan offers for saving, the one for the gateway's manager first. */
function saveFormats(service: PortsEditorService, plan: Parameters<PortsEditorService['values']>[0]): SaveFormat[] {
  return service.values(plan).snippets.map((s) => ({ format: s.format, title: s.title.split(':')[0]!.split(', ')[0]! }));
}

/** A fast tick only while something is in progress; otherwise the screen stays still. */
function useSpinner(active: boolean): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTick((t) => t + 1), 120);
    return () => clearInterval(timer);
  }, [active]);
  return tick;
}

/** With the findings pane focused, the footer says how to fix the selected finding. */
function findingHint(state: UiState, visible: VisibleRows): { text: string; tone: 'info' } | undefined {
  if (state.pane !== 'findings' || state.mode !== 'normal') return undefined;
  const selected = visible.findings.find((f) => f.key === state.selection.findings) ?? visible.findings[0];
  return selected ? { text: `fix: ${selected.fix}   (Enter: go to ${selected.object})`, tone: 'info' } : undefined;
}

/** The pane and row that show a finding's object (`Kind/namespace/name`), or its cluster's row. */
export function findingTarget(model: MeshModel, findingKey: string): { pane: PaneId; key: string } | undefined {
  const finding = model.findings.find((f) => f.key === findingKey);
  if (!finding) return undefined;
  const [kind, namespace, name] = finding.object.split('/');
  if (kind && namespace && name) {
    const rowKey = `${finding.cluster}/${namespace}/${kind}/${name}`;
    if (model.gateways.some((g) => g.key === rowKey)) return { pane: 'gateways', key: rowKey };
    if (model.workloads.some((w) => w.key === rowKey)) return { pane: 'workloads', key: rowKey };
    if (kind === 'Pod') {
      const owner = model.workloads.find((w) => w.cluster === finding.cluster && w.pods.includes(`${namespace}/${name}`));
      if (owner) return { pane: 'workloads', key: owner.key };
    }
  }
  return model.clusters.some((c) => c.key === finding.cluster) ? { pane: 'clusters', key: finding.cluster } : undefined;
}

export function App({ source, onQuit }: { source: CockpitSource; onQuit: () => void }) {
  const { exit } = useApp();
  const keys = useRef<KeyActivity | undefined>(undefined);
  keys.current ??= new KeyActivity();
  const model = useCockpitModel(source, keys.current);
  const { columns, rows: terminalRows } = useTerminalSize();
  const [state, setState] = useState<UiState>(initialUiState);
  const [detailLines, setDetailLines] = useState<string[] | undefined>();
  const [logHandle, setLogHandle] = useState<LogHandle | undefined>();
  // The view's follows end with it: closed, replaced by another, or the cockpit quit (unmounted). Kept in
  // a ref too: a view opened and closed by keys read together ("lq") is never rendered, yet must stop.
  const liveLogHandle = useRef<LogHandle | undefined>(undefined);
  const replaceLogHandle = useCallback((handle: LogHandle | undefined) => {
    liveLogHandle.current?.stop();
    liveLogHandle.current = handle;
    setLogHandle(handle);
  }, []);
  useEffect(() => () => liveLogHandle.current?.stop(), []);
  const stateRef = useRef(state);
  stateRef.current = state;

  // Each pane has its own filter (as each k9s view does); the one being typed applies live.
  const rowsCache = useRef<VisibleRowsCache | undefined>(undefined);
  rowsCache.current ??= new VisibleRowsCache();
  const visible: VisibleRows = useMemo(() => rowsCache.current!.visible(model, state), [model, state.mode, state.input, state.pane, state.filters, state.onlyCluster]);
  const filter = compileFilter(filterTextOf(state, state.pane));

  // Ink 6.8 repaints the whole screen once a frame is as tall as the terminal; stay one line short.
  const height = Math.max(5, terminalRows - 1);
  const wide = columns >= SIDE_BY_SIDE_COLUMNS;
  const bodyHeight = height - 2 - (state.mode === 'filter' || state.mode === 'command' || state.mode === 'save' ? 1 : 0);
  // A page is what the focused pane shows: in the side-by-side layout the panes are shorter than the body.
  const clustersPaneHeight = Math.min(Math.max(4, visible.clusters.length + 3), Math.floor(bodyHeight / 3));
  const focusedPaneHeight = !wide ? bodyHeight : state.pane === 'clusters' ? clustersPaneHeight : bodyHeight - clustersPaneHeight;
  const pageSize = Math.max(1, focusedPaneHeight - 3);

  const openDetail = useCallback(
    (pane: PaneId, key: string) => {
      setDetailLines(undefined);
      source.describe(pane, key).then(
        (lines) => setDetailLines(lines),
        (error: unknown) => setDetailLines([`could not load details: ${(error as Error).message}`]),
      );
    },
    [source],
  );

  const logs = state.logs;
  // The log view's strip (requests per second over the last minute) moves with the clock; nothing else here does.
  const now = useClock(1000, Boolean(logs));
  const spinnerTick = useSpinner(Boolean(state.wizard?.busy) || Boolean(state.action?.busy) || Boolean(state.join?.busy) || Boolean(state.ports?.busy) || (state.wizard?.step === 'clusters' && !state.wizard.clusters));
  const actionService = useRef<ActionService | undefined>(undefined);

  const updateAction = useCallback((change: (f: ActionFlowUi) => ActionFlowUi) => {
    setState((s) => {
      if (!s.action) return s;
      const next = { ...s, action: change(s.action) };
      stateRef.current = next;
      return next;
    });
  }, []);

  const updateJoin = useCallback((change: (w: JoinWizardUi) => JoinWizardUi) => {
    setState((s) => {
      if (!s.join) return s;
      const next = { ...s, join: change(s.join) };
      stateRef.current = next;
      return next;
    });
  }, []);

  const runJoin = useCallback(
    (effect: 'clusters' | 'defaults' | 'prepare' | 'apply', wizard: JoinWizardUi) => {
      const service = source.joinWizard();
      const fail = (error: unknown) => updateJoin((w) => ({ ...w, busy: undefined, error: (error as Error).message.split('\n')[0] }));
      if (effect === 'clusters') service.clusters().then((clusters) => updateJoin((w) => withClusters(w, clusters)), fail);
      else if (effect === 'defaults') service.defaults(wizard.primary!, wizard.remote!).then((input) => updateJoin((w) => ({ ...w, busy: undefined, input })), fail);
      else if (effect === 'prepare' && wizard.input) {
        service.prepare(wizard.input, (text) => updateJoin((w) => ({ ...w, busy: text }))).then((r) => updateJoin((w) => ({ ...w, busy: undefined, lines: r.lines, blocked: r.blocked, empty: r.empty })), fail);
      } else if (effect === 'apply') {
        const append = (text: string) => updateJoin((w) => ({ ...w, lines: [...w.lines, text], scroll: Math.max(0, w.lines.length + 1 - Math.max(1, bodyHeight - 5)) }));
        service
          .apply(append)
          .then(async (result) => {
            for (const line of result.lines) append(line);
            updateJoin((w) => ({ ...w, busy: "waiting for istiod's verdict…", ok: result.ok }));
            const verify = await service.verify(append);
            updateJoin((w) => ({ ...w, step: 'verify', busy: undefined, ok: result.ok && verify.ok, lines: [...w.lines, '', ...verify.lines], scroll: 0 }));
          })
          .catch(fail);
      }
    },
    [source, updateJoin],
  );

  const updatePorts = useCallback((change: (p: PortsEditorUi) => PortsEditorUi) => {
    setState((s) => {
      if (!s.ports) return s;
      const next = { ...s, ports: change(s.ports) };
      stateRef.current = next;
      return next;
    });
  }, []);
  const portPlan = useRef<unknown>(undefined);

  const savePortValues = useCallback(
    (request: SaveRequest) => {
      const plan = portPlan.current as Parameters<PortsEditorService['saveValues']>[0] | undefined;
      if (!plan) return;
      const result = source.portsEditor().saveValues(plan, request.path, request.format, { overwrite: request.overwrite });
      updatePorts((p) => {
        if (result.exists && p.save) return { ...p, save: { ...p.save, confirmOverwrite: true }, notice: { text: `${result.path} exists: y replaces it, Esc picks another name`, ok: false } };
        const { save: _done, ...rest } = p;
        return { ...rest, notice: { text: result.lines[0] ?? '', ok: result.ok } };
      });
    },
    [source, updatePorts],
  );

  const runPorts = useCallback(
    (effect: 'load' | 'plan' | 'apply', editor: PortsEditorUi) => {
      const service = source.portsEditor();
      const fail = (error: unknown) => updatePorts((p) => ({ ...p, busy: undefined, error: (error as Error).message.split('\n')[0] }));
      const choices = { updateGateways: editor.updateGateways, confirmCritical: editor.confirmCritical };
      if (effect === 'load') service.load(editor.target).then((r) => updatePorts((p) => ({ ...p, busy: undefined, current: r.lines })), fail);
      else if (effect === 'plan') {
        const { edit } = editOf(editor);
        if (!edit) return;
        service.plan(editor.target, edit, choices).then((r) => {
          portPlan.current = r.plan;
          updatePorts((p) => ({ ...p, busy: undefined, lines: r.lines, blocked: r.blocked, empty: r.empty, formats: saveFormats(service, r.plan) }));
        }, fail);
      } else if (effect === 'apply' && portPlan.current) {
        const plan = portPlan.current as Parameters<typeof service.apply>[0];
        service
          .apply(plan, (line) => updatePorts((p) => ({ ...p, lines: [...p.lines, line] })))
          .then(async (r) => {
            if (r.conflict && r.replanned) {
              portPlan.current = r.replanned.plan;
              updatePorts((p) => ({ ...p, step: 'review', busy: undefined, lines: ['✗ the gateway changed since the plan was read: nothing was overwritten. The plan against what is there now:', '', ...r.replanned!.lines], scroll: 0, formats: saveFormats(service, r.replanned!.plan) }));
              return;
            }
            const verify = await service.verify(plan, 10_000);
            // The outcome is at the end: show the end.
            updatePorts((p) => {
              const lines = [...p.lines, ...r.lines, '', ...verify.lines];
              return { ...p, step: 'done', busy: undefined, ok: r.ok && verify.ok, lines, scroll: Math.max(0, lines.length - Math.max(1, bodyHeight - 4)) };
            });
          })
          .catch(fail);
      }
    },
    [source, updatePorts],
  );

  const runAction = useCallback(
    (effect: 'prepare' | 'apply', flow: ActionFlowUi) => {
      const fail = (error: unknown) => updateAction((f) => ({ ...f, busy: undefined, ok: false, lines: [...f.lines, `✗ ${(error as Error).message.split('\n')[0]}`] }));
      if (effect === 'prepare') {
        const service = source.action(flow.request);
        actionService.current = service;
        updateAction((f) => ({ ...f, title: service.title }));
        service.prepare((text) => updateAction((f) => ({ ...f, busy: text }))).then((r) => updateAction((f) => ({ ...f, busy: undefined, lines: r.lines, blocked: r.blocked, empty: r.empty })), fail);
      } else {
        const service = actionService.current;
        if (!service) return;
        service
          .apply((line) => updateAction((f) => ({ ...f, lines: [...f.lines, line] })))
          .then((r) => updateAction((f) => ({ ...f, busy: undefined, step: 'done', ok: r.ok, lines: [...f.lines, ...r.lines] })), fail);
      }
    },
    [source, updateAction],
  );

  const updateWizard = useCallback((change: (w: CaWizardUi) => CaWizardUi) => {
    setState((s) => {
      if (!s.wizard) return s;
      const next = { ...s, wizard: change(s.wizard) };
      stateRef.current = next;
      return next;
    });
  }, []);

  const runWizardEffect = useCallback(
    (effect: WizardEffect, wizard: CaWizardUi) => {
      const service = source.caWizard();
      const fail = (error: unknown) => updateWizard((w) => ({ ...w, busy: undefined, error: (error as Error).message.split('\n')[0] }));
      if (effect === 'loadClusters') {
        service.clusters().then((clusters) => updateWizard((w) => ({ ...w, clusters })), fail);
      } else if (effect === 'prepare') {
        const { input } = wizardInput(wizard);
        if (!input) return;
        service.prepare(input, (text) => updateWizard((w) => ({ ...w, busy: text }))).then(
          (result) => updateWizard((w) => ({ ...w, busy: undefined, lines: result.lines, blocked: result.blocked, empty: result.empty })),
          fail,
        );
      } else if (effect === 'apply') {
        const append = (text: string) => updateWizard((w) => ({ ...w, lines: [...w.lines, text], scroll: Math.max(0, w.lines.length + 1 - Math.max(1, bodyHeight - 5)) }));
        service
          .apply(append)
          .then(async (result) => {
            for (const line of result.lines) append(line);
            updateWizard((w) => ({ ...w, busy: 'verifying the clusters…', ok: result.ok }));
            const verify = await service.verify(wizard.selected);
            updateWizard((w) => ({ ...w, step: 'verify', busy: undefined, lines: [...w.lines, '', ...verify], scroll: 0 }));
          })
          .catch(fail);
      }
    },
    [source, updateWizard],
  );
  const liveLogFilter = logs && state.mode === 'filter' ? state.input : undefined;
  const logRows = useLogRows(logHandle?.buffer, logs, liveLogFilter, keys.current);
  // Looked up in the whole buffer: keys typed in one burst may pick a line the current filter no longer shows.
  const logDetail = logs?.detailSeq !== undefined ? logHandle?.buffer.select((r) => r.seq === logs.detailSeq)[0] : undefined;

  const openLogView = useCallback(
    (pane: PaneId, key: string) => {
      const handle = source.openLogs(pane, key);
      if ('error' in handle) {
        setState((s) => {
          const { logs: _none, ...rest } = s;
          const next: UiState = { ...rest, mode: 'normal', message: { text: handle.error, tone: 'error' } };
          stateRef.current = next;
          return next;
        });
        return;
      }
      replaceLogHandle(handle);
    },
    [source, replaceLogHandle],
  );

  const saveVisibleLogs = useCallback(
    (path: string) => {
      // Saved exactly as the proxies wrote them, so the file parses again with `meshdeck logs --file`.
      const lines = logRows.rows.map((row) => row.line.text);
      source.saveLines(path, lines).then((text) => setState((s) => ({ ...s, message: { text, tone: text.startsWith('saved') ? 'info' : 'error' } })));
    },
    [source, logRows],
  );

  useInput((input, key) => {
    keys.current!.pressed();
    const handle = logHandle;
    // Built per key press: a burst of keys (":5xx⏎⏎") must see the rows the previous key left on screen.
    const contextFor = (current: UiState) => {
      // Lines held still on screen (not following) are the ones keys move through.
      const shown = logs && current.logs && !logs.follow && !logs.paused && !current.logs.paused && current.logs.filter === logs.filter && current.logs.narrow === logs.narrow && current.mode === state.mode && current.input === state.input;
      const rows = shown ? logRows.rows : handle && current.logs ? handle.buffer.select(logPredicate(current.logs), current.logs.paused ? current.logs.pausedAt : Infinity) : [];
      const detailEntry = current.logs?.detailSeq !== undefined ? handle?.buffer.select((r) => r.seq === current.logs!.detailSeq)[0] : undefined;
      // Keys typed in one burst (/name⏎⏎) must see the rows the previous key's filter leaves.
      const sameRows = current.filters === state.filters && current.onlyCluster === state.onlyCluster && current.mode === state.mode && current.input === state.input;
      return {
        tooSmall: isTooSmall(columns, terminalRows),
        visible: sameRows ? visible : rowsCache.current!.visible(model, current),
        clusters: model.clusters.map((c) => c.cluster),
        pageSize,
        detailLength: detailLines?.length ?? 0,
        detailPage: Math.max(1, bodyHeight - 1),
        logRows: rows.map((r) => r.seq),
        logReceived: handle?.buffer.received ?? 0,
        logDetailLength: detailEntry ? describeLogEntry(detailEntry).length : 0,
        findingTarget: (findingKey: string) => findingTarget(model, findingKey),
        caDefaultDir: join(process.cwd(), 'meshdeck-ca'),
        readonly: source.readonly ?? false,
        logTitle: (_pane: PaneId, rowKey: string) => `${rowKey.split('/')[1] ?? ''}/${rowKey.split('/').at(-1) ?? ''}`,
      };
    };
    const presses = splitChunk(input, key) ?? [[keyName(input, key), input] as const];
    let next = stateRef.current;
    // Effects run after the new state is in place, so the updates they make build on it.
    const effects: (() => void)[] = [];
    for (const [name, raw] of presses) {
      const result = handleKey(next, name, raw, contextFor(next));
      next = result.state;
      if (result.quit) {
        onQuit();
        exit();
        return;
      }
      const { openDetail: detail, openLogs: logsTarget, closeLogs, saveLogs, wizard, action } = result;
      const state = result.state;
      if (detail) effects.push(() => openDetail(detail.pane, detail.key));
      if (logsTarget) effects.push(() => openLogView(logsTarget.pane, logsTarget.key));
      if (closeLogs) {
        effects.push(() => replaceLogHandle(undefined));
      }
      if (saveLogs) effects.push(() => saveVisibleLogs(saveLogs.path));
      if (wizard && state.wizard) effects.push(() => runWizardEffect(wizard, state.wizard!));
      if (action && state.action) effects.push(() => runAction(action, state.action!));
      const ports = result.ports;
      const portsSave = result.portsSave;
      if (ports === 'save' && portsSave) effects.push(() => savePortValues(portsSave));
      else if (ports && ports !== 'save' && state.ports) effects.push(() => runPorts(ports, state.ports!));
      const join = result.join;
      if (join && state.join) effects.push(() => runJoin(join, state.join!));
    }
    if (next !== stateRef.current) {
      stateRef.current = next;
      setState(next);
    }
    for (const effect of effects) effect();
  });

  // Below the minimum size a short message replaces the panes (after every hook: they run on each render).
  if (isTooSmall(columns, terminalRows)) return <TooSmall columns={columns} rows={terminalRows} />;

  const scope: Scope = state.mode === 'help' ? 'help' : state.mode === 'detail' ? 'detail' : state.mode === 'logs' ? 'logs' : state.mode === 'wizard' || state.mode === 'action' || state.mode === 'join' || state.mode === 'ports' ? 'wizard' : state.mode === 'filter' || state.mode === 'command' || state.mode === 'save' ? 'prompt' : 'table';
  const paneProps = (id: PaneId, width: number, paneHeight: number) => ({
    title: PANES[id].title,
    hotkey: String(PANE_ORDER.indexOf(id) + 1),
    total: PANES[id].rows(model).length,
    selectedKey: state.selection[id],
    focused: state.pane === id,
    filter: state.filters[id],
    width,
    height: paneHeight,
  });

  let body;
  if (state.mode === 'help') body = <HelpOverlay width={columns} height={bodyHeight} />;
  else if (state.mode === 'ports' && state.ports) body = <PortsEditor editor={state.ports} check={portsCheck(source, state.ports)} width={columns} height={bodyHeight} tick={spinnerTick} readonly={source.readonly ?? false} />;
  else if (state.mode === 'join' && state.join) body = <JoinWizard wizard={state.join} width={columns} height={bodyHeight} tick={spinnerTick} readonly={source.readonly ?? false} />;
  else if (state.mode === 'action' && state.action) body = <ActionFlow flow={state.action} width={columns} height={bodyHeight} tick={spinnerTick} />;
  else if (state.mode === 'wizard' && state.wizard) body = <CaWizard wizard={state.wizard} width={columns} height={bodyHeight} tick={spinnerTick} readonly={source.readonly ?? false} />;
  else if (logs && logHandle) body = <LogView ui={logs} detail={logDetail} rows={logRows.rows} held={logRows.held} summary={logHandle.summaryText(now)} streams={logHandle.streamsText()} width={columns} height={bodyHeight} />;
  else if (state.mode === 'detail' && state.detail) body = <DetailView title={state.detail.key} lines={detailLines} scroll={state.detail.scroll} width={columns} height={bodyHeight} />;
  else if (wide && state.pane === 'services') {
    body = (
      <Box flexDirection="column">
        <Pane {...paneProps('clusters', columns, clustersPaneHeight)} rows={visible.clusters} columns={PANES.clusters.columns} />
        <Pane {...paneProps('services', columns, bodyHeight - clustersPaneHeight)} rows={visible.services} columns={PANES.services.columns} />
      </Box>
    );
  } else if (wide && state.pane === 'findings') {
    // Findings take the lower part in the side-by-side layout; the clusters stay in view above them.
    body = (
      <Box flexDirection="column">
        <Pane {...paneProps('clusters', columns, clustersPaneHeight)} rows={visible.clusters} columns={PANES.clusters.columns} />
        <Pane {...paneProps('findings', columns, bodyHeight - clustersPaneHeight)} rows={visible.findings} columns={PANES.findings.columns} />
      </Box>
    );
  } else if (wide) {
    const clustersHeight = clustersPaneHeight;
    const lowerHeight = bodyHeight - clustersHeight;
    const gatewaysWidth = Math.floor((columns - 1) * 0.5);
    body = (
      <Box flexDirection="column">
        <Pane {...paneProps('clusters', columns, clustersHeight)} rows={visible.clusters} columns={PANES.clusters.columns} />
        <Box flexDirection="row">
          <Pane {...paneProps('gateways', gatewaysWidth, lowerHeight)} rows={visible.gateways} columns={PANES.gateways.columns} />
          <Box width={1} />
          <Pane {...paneProps('workloads', columns - gatewaysWidth - 1, lowerHeight)} rows={visible.workloads} columns={PANES.workloads.columns} />
        </Box>
      </Box>
    );
  } else {
    const id = state.pane;
    // Narrow terminals name only the shown tab, so the count and filter stay visible.
    const tabs = PANE_ORDER.map((p, i) => (p === id ? `[${i + 1} ${PANES[p].title}]` : columns < 120 ? `${i + 1}` : ` ${i + 1} ${PANES[p].title} `)).join(' ');
    body =
      id === 'clusters' ? (
        <Pane {...paneProps('clusters', columns, bodyHeight)} tabs={tabs} rows={visible.clusters} columns={PANES.clusters.columns} />
      ) : id === 'gateways' ? (
        <Pane {...paneProps('gateways', columns, bodyHeight)} tabs={tabs} rows={visible.gateways} columns={PANES.gateways.columns} />
      ) : id === 'workloads' ? (
        <Pane {...paneProps('workloads', columns, bodyHeight)} tabs={tabs} rows={visible.workloads} columns={PANES.workloads.columns} />
      ) : id === 'findings' ? (
        <Pane {...paneProps('findings', columns, bodyHeight)} tabs={tabs} rows={visible.findings} columns={PANES.findings.columns} />
      ) : (
        <Pane {...paneProps('services', columns, bodyHeight)} tabs={tabs} rows={visible.services} columns={PANES.services.columns} />
      );
  }

  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Header summary={model.summary} width={columns} onlyCluster={state.onlyCluster} readonly={source.readonly ?? false} />
      <Box height={bodyHeight}>{body}</Box>
      {state.mode === 'filter' ? <PromptLine prefix="/" text={state.input} width={columns} hint={filter.regexError ? 'not a valid regex, matching literally' : undefined} /> : null}
      {state.mode === 'command' ? <PromptLine prefix=":" text={state.input} width={columns} /> : null}
      {state.mode === 'save' ? <PromptLine prefix="save to: " text={state.input} width={columns} /> : null}
      <Footer scope={scope} width={columns} message={state.message ?? findingHint(state, visible)} />
    </Box>
  );
}
