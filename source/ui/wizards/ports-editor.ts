import type { PortEdit } from '../../mesh/gateway-ports/types.js';
import type { SnippetFormat } from '../../actions/gateway/types.js';
import { lookup } from '../keymap.js';
import { newSavePrompt, savePromptKey, type SaveFormat, type SavePrompt } from './ports-save.js';

export interface PortsTarget {
  cluster: string;
  namespace: string;
  name: string;
}

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

export interface PortsEditorUi {
  target: PortsTarget;
  step: 'edit' | 'review' | 'apply' | 'done';
  focus: number;
  action: 'set' | 'remove';
  name: string;
  port: string;
  targetPort: string;
  nodePort: string;
  protocol: number;
  updateGateways: boolean;
  confirmCritical: boolean;
  /** The gateway's ports and findings as they are (from load). */
  current: string[];
  lines: string[];
  scroll: number;
  blocked: boolean;
  empty: boolean;
  busy?: string;
  error?: string;
  ok?: boolean;
  /** The values snippets the current plan offers (the one for the gateway's manager first). */
  formats: SaveFormat[];
  /** The open "save the values" prompt. */
  save?: SavePrompt;
  /** The last save's one-line outcome. */
  notice?: { text: string; ok: boolean };
}

export function newPortsEditor(target: PortsTarget): PortsEditorUi {
  return { target, step: 'edit', focus: 0, action: 'set', name: '', port: '', targetPort: '', nodePort: '', protocol: 0, updateGateways: false, confirmCritical: false, current: [], lines: [], scroll: 0, blocked: false, empty: false, formats: [], busy: 'reading the gateway…' };
}

type FieldId = 'action' | 'name' | 'port' | 'targetPort' | 'nodePort' | 'protocol' | 'updateGateways' | 'confirmCritical';

export function portFields(ui: PortsEditorUi): { id: FieldId; label: string; value: string; kind: 'text' | 'toggle' }[] {
  const fields: { id: FieldId; label: string; value: string; kind: 'text' | 'toggle' }[] = [
    { id: 'action', label: 'Change', value: ui.action === 'set' ? 'add or change a port' : 'remove a port', kind: 'toggle' },
    { id: 'name', label: 'Port name (http-, tcp-, tls-, ...)', value: ui.name, kind: 'text' },
  ];
  if (ui.action === 'set') {
    fields.push(
      { id: 'port', label: 'Port', value: ui.port, kind: 'text' },
      { id: 'targetPort', label: 'Target port (blank: same)', value: ui.targetPort, kind: 'text' },
      { id: 'nodePort', label: 'Node port (blank: allocated)', value: ui.nodePort, kind: 'text' },
      { id: 'protocol', label: 'Protocol', value: PROTOCOLS[ui.protocol]!, kind: 'toggle' },
    );
  }
  fields.push(
    { id: 'updateGateways', label: 'Also move/drop Gateway servers', value: ui.updateGateways ? 'yes' : 'no', kind: 'toggle' },
    { id: 'confirmCritical', label: 'I accept breaking critical ports', value: ui.confirmCritical ? 'yes' : 'no', kind: 'toggle' },
  );
  return fields;
}

/** The edit the form describes, or why it is not one yet. */
export function editOf(ui: PortsEditorUi): { edit?: PortEdit; error?: string } {
  if (!ui.name.trim()) return { error: 'name the port' };
  if (ui.action === 'remove') return { edit: { action: 'remove', name: ui.name.trim() } };
  const port = Number(ui.port);
  if (!/^\d+$/.test(ui.port)) return { error: 'the port must be a number' };
  const edit: PortEdit = { action: 'set', name: ui.name.trim(), port, protocol: PROTOCOLS[ui.protocol]! };
  if (ui.targetPort.trim()) edit.targetPort = /^\d+$/.test(ui.targetPort.trim()) ? Number(ui.targetPort) : ui.targetPort.trim();
  if (ui.nodePort.trim()) {
    if (!/^\d+$/.test(ui.nodePort.trim())) return { error: 'the node port must be a number' };
    edit.nodePort = Number(ui.nodePort);
  }
  return { edit };
}

export type PortsEffect = 'plan' | 'apply' | 'close' | 'save';

/** What the `save` effect writes. */
export interface SaveRequest {
  path: string;
  format: SnippetFormat;
  overwrite: boolean;
}

export function portsEditorKey(ui: PortsEditorUi, key: string, input: string, page: number): { editor: PortsEditorUi; effect?: PortsEffect; message?: string; save?: SaveRequest } {
  if (ui.save) {
    const result = savePromptKey(ui.save, ui.target.name, key, input);
    const { save: _closed, ...rest } = ui;
    const editor: PortsEditorUi = result.prompt ? { ...ui, save: result.prompt, ...(result.error ? { notice: { text: result.error, ok: false } } : {}) } : rest;
    return result.effect ? { editor, effect: 'save', save: result.effect } : { editor };
  }
  if (ui.busy && key !== 'escape') return { editor: ui };
  // Saving needs a plan: the snippets are the whole port list after the edit.
  if ((ui.step === 'review' || ui.step === 'done') && lookup('wizard', key) === 'ports.saveValues') {
    const save = newSavePrompt(ui.target.name, ui.formats);
    if (!save) return { editor: ui, message: 'no values snippet for this plan' };
    const { notice: _old, ...rest } = ui;
    return { editor: { ...rest, save } };
  }
  const fields = ui.step === 'edit' ? portFields(ui) : [];
  const field = fields[ui.focus];
  switch (key) {
    case 'escape':
      if (ui.busy || ui.step === 'apply') return { editor: ui, message: 'wait for the current step to finish' };
      if (ui.step === 'review') return { editor: { ...ui, step: 'edit', scroll: 0 } };
      return { editor: ui, effect: 'close' };
    case 'up':
    case 'shift+tab':
    case 'down':
    case 'tab': {
      const delta = key === 'up' || key === 'shift+tab' ? -1 : 1;
      if (ui.step === 'edit') return { editor: { ...ui, focus: (ui.focus + delta + fields.length) % fields.length } };
      return { editor: { ...ui, scroll: Math.max(0, Math.min(Math.max(0, ui.lines.length - 1), ui.scroll + delta)) } };
    }
    case 'pageup':
      return { editor: { ...ui, scroll: Math.max(0, ui.scroll - page) } };
    case 'pagedown':
      return { editor: { ...ui, scroll: Math.min(Math.max(0, ui.lines.length - page), ui.scroll + page) } };
    case 'space':
      if (field?.kind === 'toggle') return { editor: toggle(ui, field.id) };
      if (field?.kind === 'text') return { editor: { ...ui, [field.id]: `${ui[field.id as 'name']} ` } };
      return { editor: ui };
    case 'backspace':
      if (field?.kind === 'text') return { editor: { ...ui, [field.id]: [...String(ui[field.id as 'name'])].slice(0, -1).join('') } };
      return { editor: ui };
    case 'enter':
      if (ui.step === 'edit') {
        const { error } = editOf(ui);
        if (error) return { editor: { ...ui, error } };
        return { editor: { ...ui, step: 'review', lines: [], scroll: 0, busy: 'reading the gateway again and planning…', error: undefined }, effect: 'plan' };
      }
      if (ui.step === 'done') return { editor: ui, effect: 'close' };
      return { editor: ui };
    default:
      if (ui.step === 'review' && key === 'y') {
        if (ui.blocked) return { editor: ui, message: 'the edit is refused (see the reasons); Esc to change it' };
        if (ui.empty) return { editor: ui, message: 'nothing to change' };
        return { editor: { ...ui, step: 'apply', busy: 'applying…', lines: [...ui.lines, '', 'applying:'] }, effect: 'apply' };
      }
      if (field?.kind === 'text' && input && !/[\u0000-\u001f\u007f]/.test(input)) return { editor: { ...ui, [field.id]: `${ui[field.id as 'name']}${input}`, error: undefined } };
      return { editor: ui };
  }
}

function toggle(ui: PortsEditorUi, id: FieldId): PortsEditorUi {
  if (id === 'action') return { ...ui, action: ui.action === 'set' ? 'remove' : 'set', focus: 0 };
  if (id === 'protocol') return { ...ui, protocol: (ui.protocol + 1) % PROTOCOLS.length };
  if (id === 'updateGateways') return { ...ui, updateGateways: !ui.updateGateways };
  if (id === 'confirmCritical') return { ...ui, confirmCritical: !ui.confirmCritical };
  return ui;
}
