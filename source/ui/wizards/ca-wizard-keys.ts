import type { CaWizardUi } from './ca-wizard-state.js';
import { CA_STEPS, KEY_CHOICES, formFields, wizardInput } from './ca-wizard-state.js';

export type WizardEffect = 'loadClusters' | 'prepare' | 'apply' | 'close';

export interface WizardKeyResult {
  wizard: CaWizardUi;
  effect?: WizardEffect;
  message?: string;
}

/**
 * The wizard's keyboard as a pure function. Esc goes back one step keeping everything typed; nothing
 * reaches a cluster before `y` on the review.
 */
export function wizardKey(w: CaWizardUi, key: string, input: string, page: number): WizardKeyResult {
  if (w.busy && key !== 'escape') return { wizard: w };
  const fields = formFields(w);
  const field = fields[w.focus];
  const stepIndex = CA_STEPS.indexOf(w.step);
  const go = (step: CaWizardUi['step']): CaWizardUi => ({ ...w, step, focus: 0, scroll: 0, error: undefined });
  switch (key) {
    case 'escape':
      if (w.busy) return { wizard: w, message: 'wait for the current step to finish' };
      if (w.step === 'root' || w.step === 'verify') return { wizard: w, effect: 'close' };
      if (w.step === 'apply') return { wizard: w, message: 'the plan is being applied; it cannot be stopped half way' };
      return { wizard: go(CA_STEPS[stepIndex - 1]!) };
    case 'up':
    case 'shift+tab':
      return { wizard: scroll(w, -1, fields.length) };
    case 'down':
    case 'tab':
      return { wizard: scroll(w, 1, fields.length) };
    case 'pageup':
      return { wizard: { ...w, scroll: Math.max(0, w.scroll - page) } };
    case 'pagedown':
      return { wizard: { ...w, scroll: Math.min(Math.max(0, w.lines.length - page), w.scroll + page) } };
    case 'enter': {
      if (w.step === 'root') return { wizard: go('clusters'), ...(w.clusters ? {} : { effect: 'loadClusters' as const }) };
      if (w.step === 'clusters') return w.selected.length === 0 ? { wizard: { ...w, error: 'select at least one cluster with space' } } : { wizard: go('intermediate') };
      if (w.step === 'intermediate') {
        const checked = wizardInput(w);
        if (checked.error) return { wizard: { ...w, error: checked.error } };
        return { wizard: { ...go('review'), lines: [], busy: 'planning…' }, effect: 'prepare' };
      }
      if (w.step === 'verify') return { wizard: w, effect: 'close' };
      return { wizard: w };
    }
    case 'space':
      if (w.step === 'clusters' && w.clusters) {
        const name = w.clusters[w.focus]?.cluster;
        if (!name) return { wizard: w };
        const selected = w.selected.includes(name) ? w.selected.filter((c) => c !== name) : [...w.selected, name];
        return { wizard: { ...w, selected, error: undefined } };
      }
      if (field?.kind === 'toggle' || field?.kind === 'choice') return { wizard: toggle(w, field.id) };
      if (field?.kind === 'text') return { wizard: typeInto(w, field.id, ' ') };
      return { wizard: w };
    case 'backspace':
      if (field?.kind === 'text') return { wizard: { ...w, [field.id]: [...String(w[field.id as 'rootDir'])].slice(0, -1).join('') } };
      return { wizard: w };
    default:
      if (w.step === 'review' && key === 'y') {
        if (w.blocked) return { wizard: w, message: 'the plan is blocked: go back (Esc) and change what it names' };
        if (w.empty) return { wizard: w, message: 'nothing to apply: every selected cluster already has this CA' };
        return { wizard: { ...go('apply'), lines: [], busy: 'applying…' }, effect: 'apply' };
      }
      if (field?.kind === 'text' && input && !/[\u0000-\u001f\u007f]/.test(input)) return { wizard: typeInto(w, field.id, input) };
      return { wizard: w };
  }
}

function scroll(w: CaWizardUi, delta: number, fieldCount: number): CaWizardUi {
  if (w.step === 'clusters') return { ...w, focus: clamp(w.focus + delta, (w.clusters?.length ?? 1) - 1) };
  if (fieldCount > 0) return { ...w, focus: (w.focus + delta + fieldCount) % fieldCount };
  return { ...w, scroll: Math.max(0, Math.min(Math.max(0, w.lines.length - 1), w.scroll + delta)) };
}

function clamp(value: number, max: number): number {
  return Math.max(0, Math.min(max, value));
}

function toggle(w: CaWizardUi, id: string): CaWizardUi {
  if (id === 'rootMode') return { ...w, rootMode: w.rootMode === 'new' ? 'existing' : 'new' };
  if (id === 'keyChoice') return { ...w, keyChoice: (w.keyChoice + 1) % KEY_CHOICES.length };
  if (id === 'force') return { ...w, force: !w.force };
  return w;
}

function typeInto(w: CaWizardUi, id: string, text: string): CaWizardUi {
  return { ...w, [id]: String(w[id as 'rootDir']) + text, error: undefined };
}
