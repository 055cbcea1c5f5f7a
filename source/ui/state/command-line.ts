import { PANES, PANE_ORDER, type PaneId } from '../views/registry.js';

export type CommandResult =
  | { kind: 'pane'; pane: PaneId }
  | { kind: 'context'; cluster: string }
  | { kind: 'all' }
  | { kind: 'quit' }
  | { kind: 'help' }
  | { kind: 'wizard'; name: 'ca' | 'join' }
  | { kind: 'error'; message: string };

const WORDS = ['all', 'ca', 'ctx', 'help', 'join', 'q', 'quit', ...PANE_ORDER.flatMap((id) => PANES[id].aliases)];

/** `:q`, `:quit`, `:q!`: quit from any view that has a command line. */
export function isQuitCommand(text: string): boolean {
  const word = text.trim();
  return word === 'q' || word === 'quit' || word === 'q!';
}

/** Parses what was typed after ':' (aliases as k9s users expect them). */
export function parseCommandLine(text: string, clusters: string[]): CommandResult {
  const [word = '', ...args] = text.trim().split(/\s+/);
  if (isQuitCommand(word)) return { kind: 'quit' };
  if (word === 'help') return { kind: 'help' };
  if (word === 'all') return { kind: 'all' };
  if (word === 'ca') return { kind: 'wizard', name: 'ca' };
  if (word === 'join') return { kind: 'wizard', name: 'join' };
  if (word === 'ctx' || word === 'context') {
    const name = args[0];
    if (!name) return { kind: 'error', message: `:ctx needs a cluster name (${clusters.join(', ')})` };
    if (!clusters.includes(name)) return { kind: 'error', message: `no cluster "${name}" (have: ${clusters.join(', ')})` };
    return { kind: 'context', cluster: name };
  }
  for (const id of PANE_ORDER) if (PANES[id].aliases.includes(word)) return { kind: 'pane', pane: id };
  return { kind: 'error', message: `unknown command ":${word}" (try :clusters, :gw, :wl, :doctor, :svc, :ca, :join, :ctx NAME, :all, :q)` };
}

/** Completes the word being typed: the command, or a cluster name after `ctx `. */
export function completeCommandLine(text: string, clusters: string[]): string {
  const parts = text.split(/\s+/);
  if (parts.length <= 1) {
    const matches = WORDS.filter((w) => w.startsWith(parts[0] ?? ''));
    return matches.length > 0 ? commonPrefix(matches) + (matches.length === 1 ? (matches[0] === 'ctx' ? ' ' : '') : '') : text;
  }
  if (parts[0] === 'ctx' || parts[0] === 'context') {
    const partial = parts[1] ?? '';
    const matches = clusters.filter((c) => c.startsWith(partial));
    return matches.length > 0 ? `${parts[0]} ${commonPrefix(matches)}` : text;
  }
  return text;
}

function commonPrefix(words: string[]): string {
  let prefix = words[0] ?? '';
  for (const word of words) while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
