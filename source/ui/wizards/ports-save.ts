import type { SnippetFormat } from '../../actions/gateway/types.js';
import { lookup } from '../keymap.js';

/** One snippet the plan offers: its format and a one-line title (what it is for). */
export interface SaveFormat {
  format: SnippetFormat;
  title: string;
}

/** The port editor's "save the values" prompt: which snippet, where, and whether an overwrite waits for y. */
export interface SavePrompt {
  formats: SaveFormat[];
  index: number;
  path: string;
  /** The file exists: y overwrites it, Esc goes back to the name. */
  confirmOverwrite: boolean;
}

const SUFFIX: Record<SnippetFormat, string> = {
  'helm-gateway': 'ports-values',
  'helm-istio-ingress': 'ports-istio-ingress-values',
  'helm-istio-egress': 'ports-istio-egress-values',
  'istio-operator': 'ports-istiooperator',
};

/** The default file, relative to the working directory: `<gateway>-ports-values.yaml` and the like. */
export function valuesFileName(gateway: string, format: SnippetFormat): string {
  return `${gateway}-${SUFFIX[format]}.yaml`.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function newSavePrompt(gateway: string, formats: SaveFormat[]): SavePrompt | undefined {
  if (formats.length === 0) return undefined;
  return { formats, index: 0, path: valuesFileName(gateway, formats[0]!.format), confirmOverwrite: false };
}

/** The prompt after a key (none: closed), what to write if anything, and why nothing was written. */
export interface SaveKeyResult {
  prompt?: SavePrompt;
  effect?: { path: string; format: SnippetFormat; overwrite: boolean };
  error?: string;
}

/**
 * Keys while the prompt is open. Switching the snippet (Tab) follows with the default name only while
 * the name is still the default one: a name the user typed is kept.
 */
export function savePromptKey(prompt: SavePrompt, gateway: string, key: string, input: string): SaveKeyResult {
  const command = lookup('wizard', key);
  const format = prompt.formats[prompt.index]!.format;
  if (prompt.confirmOverwrite) {
    if (command === 'wizard.confirm') return { prompt: { ...prompt, confirmOverwrite: false }, effect: { path: prompt.path, format, overwrite: true } };
    if (command === 'app.back') return { prompt: { ...prompt, confirmOverwrite: false } };
    return { prompt };
  }
  switch (command) {
    case 'app.back':
      return {};
    case 'nav.down':
    case 'nav.up': {
      if (prompt.formats.length < 2) return { prompt };
      const index = (prompt.index + (command === 'nav.down' ? 1 : prompt.formats.length - 1)) % prompt.formats.length;
      const wasDefault = prompt.path === valuesFileName(gateway, format);
      return { prompt: { ...prompt, index, path: wasDefault ? valuesFileName(gateway, prompt.formats[index]!.format) : prompt.path } };
    }
    case 'wizard.next': {
      const path = prompt.path.trim();
      if (!path) return { prompt, error: 'name the file to write' };
      return { prompt: { ...prompt, path }, effect: { path, format, overwrite: false } };
    }
    default:
      if (key === 'backspace') return { prompt: { ...prompt, path: [...prompt.path].slice(0, -1).join('') } };
      if (key === 'space') return { prompt: { ...prompt, path: `${prompt.path} ` } };
      if (input && !/[\u0000-\u001f\u007f]/.test(input)) return { prompt: { ...prompt, path: prompt.path + input } };
      return { prompt };
  }
}
