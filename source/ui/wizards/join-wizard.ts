import type { JoinWizardCluster, JoinWizardInput } from '../../actions/join/wizard.js';

export type JoinStep = 'pick' | 'form' | 'review' | 'apply' | 'verify';
export const JOIN_STEPS: JoinStep[] = ['pick', 'form', 'review', 'apply', 'verify'];

const FORM_FIELDS: { id: keyof JoinWizardInput; label: string }[] = [
  { id: 'clusterName', label: "Remote's cluster name (ID)" },
  { id: 'network', label: "Remote's network" },
  { id: 'meshId', label: 'Mesh ID' },
  { id: 'remoteApiServer', label: 'API server the primary will use' },
  { id: 'outDir', label: 'Write the remote install files to' },
];

export interface JoinWizardUi {
  step: JoinStep;
  focus: number;
  clusters?: JoinWizardCluster[];
  primary?: string;
  remote?: string;
  /** The form, once prefilled from the two clusters. */
  input?: JoinWizardInput;
  busy?: string;
  lines: string[];
  scroll: number;
  blocked: boolean;
  empty: boolean;
  error?: string;
  ok?: boolean;
}

export function newJoinWizard(): JoinWizardUi {
  return { step: 'pick', focus: 0, lines: [], scroll: 0, blocked: false, empty: false, busy: 'reading the clusters…' };
}

/** The clusters as read: the suggested primary and the first other cluster preselected. */
export function withClusters(w: JoinWizardUi, clusters: JoinWizardCluster[]): JoinWizardUi {
  const primary = w.primary ?? clusters.find((c) => c.suggestedPrimary)?.cluster;
  const remote = w.remote ?? clusters.find((c) => c.cluster !== primary && !c.error)?.cluster;
  return { ...w, clusters, busy: undefined, ...(primary ? { primary } : {}), ...(remote ? { remote } : {}) };
}

export function formFieldsOf(w: JoinWizardUi): { id: keyof JoinWizardInput; label: string; value: string }[] {
  return FORM_FIELDS.map((f) => ({ ...f, value: String(w.input?.[f.id] ?? '') }));
}

export type JoinEffect = 'defaults' | 'prepare' | 'apply' | 'close';

/** The join wizard's keyboard; Esc goes back keeping what was typed; `y` on the review is the only key that changes clusters. */
export function joinWizardKey(w: JoinWizardUi, key: string, input: string, page: number): { wizard: JoinWizardUi; effect?: JoinEffect; message?: string } {
  if (w.busy && key !== 'escape') return { wizard: w };
  const go = (step: JoinStep): JoinWizardUi => ({ ...w, step, focus: 0, scroll: 0, error: undefined });
  const index = JOIN_STEPS.indexOf(w.step);
  const fields = w.step === 'form' ? formFieldsOf(w) : [];
  switch (key) {
    case 'escape':
      if (w.busy) return { wizard: w, message: 'wait for the current step to finish' };
      if (w.step === 'pick' || w.step === 'verify') return { wizard: w, effect: 'close' };
      if (w.step === 'apply') return { wizard: w, message: 'the plan is being applied; it cannot be stopped half way' };
      return { wizard: go(JOIN_STEPS[index - 1]!) };
    case 'up':
    case 'shift+tab':
    case 'down':
    case 'tab': {
      const delta = key === 'up' || key === 'shift+tab' ? -1 : 1;
      if (w.step === 'pick') return { wizard: { ...w, focus: Math.max(0, Math.min((w.clusters?.length ?? 1) - 1, w.focus + delta)) } };
      if (w.step === 'form') return { wizard: { ...w, focus: (w.focus + delta + fields.length) % fields.length } };
      return { wizard: { ...w, scroll: Math.max(0, Math.min(Math.max(0, w.lines.length - 1), w.scroll + delta)) } };
    }
    case 'pageup':
      return { wizard: { ...w, scroll: Math.max(0, w.scroll - page) } };
    case 'pagedown':
      return { wizard: { ...w, scroll: Math.min(Math.max(0, w.lines.length - page), w.scroll + page) } };
    case 'space': {
      if (w.step === 'form') return typed(w, fields, ' ');
      if (w.step !== 'pick' || !w.clusters) return { wizard: w };
      // space cycles the focused cluster: primary → remote → neither.
      const name = w.clusters[w.focus]?.cluster;
      if (!name) return { wizard: w };
      const next: JoinWizardUi = { ...w, error: undefined };
      if (w.primary === name) {
        delete next.primary;
        next.remote = name;
      } else if (w.remote === name) delete next.remote;
      else next.primary = name;
      if (next.primary && next.primary === next.remote) delete next.remote;
      delete next.input;
      return { wizard: next };
    }
    case 'backspace':
      if (w.step !== 'form' || !w.input) return { wizard: w };
      return { wizard: { ...w, input: { ...w.input, [fields[w.focus]!.id]: [...fields[w.focus]!.value].slice(0, -1).join('') } } };
    case 'enter':
      if (w.step === 'pick') {
        if (!w.primary || !w.remote) return { wizard: { ...w, error: 'mark one primary and one remote with space' } };
        return w.input ? { wizard: go('form') } : { wizard: { ...go('form'), busy: 'reading both clusters…' }, effect: 'defaults' };
      }
      if (w.step === 'form') return { wizard: { ...go('review'), lines: [], busy: 'running the preflight checks and planning…' }, effect: 'prepare' };
      if (w.step === 'verify') return { wizard: w, effect: 'close' };
      return { wizard: w };
    default:
      if (w.step === 'review' && key === 'y') {
        if (w.blocked) return { wizard: w, message: 'a preflight check failed: nothing can be applied (Esc to change the choices)' };
        if (w.empty) return { wizard: w, message: 'already joined: nothing to change' };
        return { wizard: { ...go('apply'), lines: [], busy: 'applying…' }, effect: 'apply' };
      }
      if (w.step === 'form' && input && !/[\u0000-\u001f\u007f]/.test(input)) return typed(w, fields, input);
      return { wizard: w };
  }
}

function typed(w: JoinWizardUi, fields: { id: keyof JoinWizardInput; value: string }[], text: string): { wizard: JoinWizardUi } {
  const field = fields[w.focus];
  if (!field || !w.input) return { wizard: w };
  return { wizard: { ...w, input: { ...w.input, [field.id]: field.value + text } } };
}
