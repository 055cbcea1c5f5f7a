import { describe, expect, it } from 'vitest';
import { newSavePrompt, savePromptKey, valuesFileName, type SaveFormat } from '../../../source/ui/wizards/ports-save.js';
import { newPortsEditor, portsEditorKey, type PortsEditorUi } from '../../../source/ui/wizards/ports-editor.js';

const FORMATS: SaveFormat[] = [
  { format: 'istio-operator', title: 'IstioOperator overlay' },
  { format: 'helm-gateway', title: 'values for the gateway chart' },
];
const GW = 'istio-ingressgateway';
const type = (prompt: ReturnType<typeof newSavePrompt>, text: string) => [...text].reduce((p, ch) => (savePromptKey(p!, GW, ch, ch).prompt ?? p), prompt)!;

describe('the port editor save prompt', () => {
  it.each([
    ['helm-gateway', 'istio-ingressgateway-ports-values.yaml'],
    ['helm-istio-ingress', 'istio-ingressgateway-ports-istio-ingress-values.yaml'],
    ['istio-operator', 'istio-ingressgateway-ports-istiooperator.yaml'],
  ] as const)('the default file for %s is %s', (format, file) => {
    expect(valuesFileName(GW, format)).toBe(file);
  });

  it('offers the first (preferred) format with its default name, and none without a plan', () => {
    expect(newSavePrompt(GW, FORMATS)).toEqual({ formats: FORMATS, index: 0, path: 'istio-ingressgateway-ports-istiooperator.yaml', confirmOverwrite: false });
    expect(newSavePrompt(GW, [])).toBeUndefined();
  });

  it('Tab switches the format; the default name follows, a typed name stays', () => {
    const prompt = newSavePrompt(GW, FORMATS)!;
    const next = savePromptKey(prompt, GW, 'tab', '').prompt!;
    expect([next.index, next.path]).toEqual([1, 'istio-ingressgateway-ports-values.yaml']);
    const typed = type({ ...prompt, path: '' }, 'mine.yaml');
    expect(savePromptKey(typed, GW, 'tab', '').prompt!.path).toBe('mine.yaml');
  });

  it('Enter asks to write without overwriting; a blank name is refused', () => {
    const prompt = newSavePrompt(GW, FORMATS)!;
    expect(savePromptKey(prompt, GW, 'enter', '').effect).toEqual({ path: 'istio-ingressgateway-ports-istiooperator.yaml', format: 'istio-operator', overwrite: false });
    const blank = savePromptKey({ ...prompt, path: '  ' }, GW, 'enter', '');
    expect([blank.effect, blank.error]).toEqual([undefined, 'name the file to write']);
  });

  it('an existing file is overwritten only on y; Esc goes back to the name; other keys do nothing', () => {
    const waiting = { ...newSavePrompt(GW, FORMATS)!, confirmOverwrite: true };
    expect(savePromptKey(waiting, GW, 'y', 'y').effect).toEqual({ path: waiting.path, format: 'istio-operator', overwrite: true });
    expect(savePromptKey(waiting, GW, 'escape', '').prompt).toEqual({ ...waiting, confirmOverwrite: false });
    expect(savePromptKey(waiting, GW, 'enter', '')).toEqual({ prompt: waiting });
    expect(savePromptKey(waiting, GW, 'n', 'n')).toEqual({ prompt: waiting });
  });

  it('typing edits the name: letters including s and y, backspace, space', () => {
    const prompt = { ...newSavePrompt(GW, FORMATS)!, path: '' };
    const typed = type(prompt, 'sy/x');
    expect(typed.path).toBe('sy/x');
    expect(savePromptKey(typed, GW, 'backspace', '').prompt!.path).toBe('sy/');
    expect(savePromptKey(typed, GW, 'space', ' ').prompt!.path).toBe('sy/x ');
  });
});

describe('s in the port editor', () => {
  const editor = (over: Partial<PortsEditorUi>): PortsEditorUi => ({ ...newPortsEditor({ cluster: 'east', namespace: 'istio-system', name: GW }), busy: undefined, formats: FORMATS, ...over });

  it('opens the prompt on the plan and on the result, not while editing (s is text there)', () => {
    expect(portsEditorKey(editor({ step: 'review' }), 's', 's', 10).editor.save?.path).toBe('istio-ingressgateway-ports-istiooperator.yaml');
    expect(portsEditorKey(editor({ step: 'done' }), 's', 's', 10).editor.save).toBeDefined();
    const editing = portsEditorKey(editor({ step: 'edit', focus: 1 }), 's', 's', 10).editor;
    expect([editing.save, editing.name]).toEqual([undefined, 's']);
  });

  it('while the prompt is open, y is a letter of the name, not apply; Esc closes only the prompt', () => {
    const open = portsEditorKey(editor({ step: 'review' }), 's', 's', 10).editor;
    const typed = portsEditorKey(open, 'y', 'y', 10);
    expect([typed.effect, typed.editor.step, typed.editor.save?.path.endsWith('y')]).toEqual([undefined, 'review', true]);
    const closed = portsEditorKey(open, 'escape', '', 10);
    expect([closed.effect, closed.editor.step, closed.editor.save]).toEqual([undefined, 'review', undefined]);
  });

  it('Enter hands the save to the engine', () => {
    const open = portsEditorKey(editor({ step: 'review' }), 's', 's', 10).editor;
    const result = portsEditorKey(open, 'enter', '', 10);
    expect([result.effect, result.save]).toEqual(['save', { path: 'istio-ingressgateway-ports-istiooperator.yaml', format: 'istio-operator', overwrite: false }]);
  });
});
