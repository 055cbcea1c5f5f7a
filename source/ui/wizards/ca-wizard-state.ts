import type { CaWizardInput, WizardCluster } from '../source.js';

export type CaStep = 'root' | 'clusters' | 'intermediate' | 'review' | 'apply' | 'verify';

export const CA_STEPS: CaStep[] = ['root', 'clusters', 'intermediate', 'review', 'apply', 'verify'];

export const KEY_CHOICES = [
  { label: 'RSA 4096', keyType: 'rsa', bits: 4096 },
  { label: 'RSA 2048', keyType: 'rsa', bits: 2048 },
  { label: 'ECDSA P-256', keyType: 'ecdsa', bits: 0 },
] as const;

export interface CaWizardUi {
  step: CaStep;
  /** Focused field of a form step, or the highlighted cluster. */
  focus: number;
  rootMode: 'new' | 'existing';
  rootDir: string;
  organization: string;
  keyChoice: number;
  rootDays: string;
  intermediateDays: string;
  force: boolean;
  clusters?: WizardCluster[];
  selected: string[];
  /** What the engine is doing now (key generation, apply); the spinner runs while set. */
  busy?: string;
  lines: string[];
  scroll: number;
  blocked: boolean;
  empty: boolean;
  error?: string;
  ok?: boolean;
}

export function newCaWizard(defaultDir: string): CaWizardUi {
  return { step: 'root', focus: 0, rootMode: 'new', rootDir: defaultDir, organization: 'Istio', keyChoice: 0, rootDays: '3650', intermediateDays: '730', force: false, selected: [], lines: [], scroll: 0, blocked: false, empty: false };
}

export type FieldKind = 'toggle' | 'text' | 'choice';

export interface FormField {
  id: 'rootMode' | 'rootDir' | 'organization' | 'keyChoice' | 'rootDays' | 'intermediateDays' | 'force';
  label: string;
  kind: FieldKind;
  value: string;
  hint?: string;
}

/** The fields a form step shows; a new root asks more than an existing one. */
export function formFields(w: CaWizardUi): FormField[] {
  if (w.step === 'root') {
    const fields: FormField[] = [
      { id: 'rootMode', label: 'Root', kind: 'toggle', value: w.rootMode === 'new' ? 'create a new root' : 'use an existing root directory', hint: 'space switches' },
      { id: 'rootDir', label: w.rootMode === 'new' ? 'Write it to' : 'Root directory', kind: 'text', value: w.rootDir, hint: w.rootMode === 'new' ? 'root-cert.pem and root-key.pem go here, one directory per cluster below' : 'must hold root-cert.pem and root-key.pem' },
    ];
    if (w.rootMode === 'new') {
      fields.push(
        { id: 'organization', label: 'Organization (O)', kind: 'text', value: w.organization },
        { id: 'keyChoice', label: 'Key type', kind: 'choice', value: KEY_CHOICES[w.keyChoice]!.label, hint: 'space cycles' },
        { id: 'rootDays', label: 'Root valid for (days)', kind: 'text', value: w.rootDays },
      );
    }
    return fields;
  }
  if (w.step === 'intermediate') {
    return [
      { id: 'intermediateDays', label: 'Intermediates valid for (days)', kind: 'text', value: w.intermediateDays },
      ...(w.rootMode === 'existing' ? [{ id: 'keyChoice' as const, label: 'Key type', kind: 'choice' as const, value: KEY_CHOICES[w.keyChoice]!.label, hint: 'space cycles' }] : []),
      { id: 'force', label: 'Replace what meshdeck did not make', kind: 'toggle', value: w.force ? 'yes (existing cacerts are backed up first)' : 'no (refuse)', hint: 'space switches' },
    ];
  }
  return [];
}

/** What the engine gets; undefined with the reason when a field is wrong. */
export function wizardInput(w: CaWizardUi): { input?: CaWizardInput; error?: string } {
  const rootDays = Number(w.rootDays);
  const intermediateDays = Number(w.intermediateDays);
  if (!w.rootDir.trim()) return { error: 'the root directory is empty' };
  if (w.rootMode === 'new' && (!Number.isInteger(rootDays) || rootDays < 1)) return { error: `root validity must be a whole number of days, got "${w.rootDays}"` };
  if (!Number.isInteger(intermediateDays) || intermediateDays < 1) return { error: `intermediate validity must be a whole number of days, got "${w.intermediateDays}"` };
  if (w.selected.length === 0) return { error: 'no cluster selected' };
  const key = KEY_CHOICES[w.keyChoice]!;
  return { input: { rootMode: w.rootMode, rootDir: w.rootDir.trim(), organization: w.organization.trim(), keyType: key.keyType, rsaBits: key.bits || 4096, rootDays: rootDays || 3650, intermediateDays, clusters: w.selected, force: w.force } };
}
