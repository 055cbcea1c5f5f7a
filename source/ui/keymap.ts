/** Where a binding applies; the dispatcher tries the innermost active scope first. */
export type Scope = 'global' | 'table' | 'prompt' | 'help' | 'detail' | 'logs' | 'wizard';

export type Command =
  | 'nav.down'
  | 'nav.up'
  | 'nav.top'
  | 'nav.bottom'
  | 'nav.pageDown'
  | 'nav.pageUp'
  | 'pane.next'
  | 'pane.prev'
  | 'pane.clusters'
  | 'pane.gateways'
  | 'pane.workloads'
  | 'pane.findings'
  | 'pane.services'
  | 'item.details'
  | 'app.back'
  | 'filter.start'
  | 'command.start'
  | 'app.help'
  | 'app.quit'
  | 'prompt.submit'
  | 'prompt.cancel'
  | 'prompt.complete'
  | 'prompt.backspace'
  | 'logs.open'
  | 'logs.pause'
  | 'logs.follow'
  | 'logs.wrap'
  | 'logs.save'
  | 'gateway.ports'
  | 'ports.saveValues'
  | 'workload.inject'
  | 'workload.restart'
  | 'workload.restartMissing'
  | 'wizard.next'
  | 'wizard.toggle'
  | 'wizard.confirm';

export interface Binding {
  command: Command;
  keys: string[];
  scope: Scope;
  group: 'Navigation' | 'Panes' | 'Views' | 'General' | 'Prompt' | 'Logs' | 'Wizard';
  description: string;
  /** Shown in the footer when set. */
  short?: string;
}

export const KEYMAP: readonly Binding[] = [
  { command: 'nav.down', keys: ['j', 'down'], scope: 'table', group: 'Navigation', description: 'move down one row', short: 'down' },
  { command: 'nav.up', keys: ['k', 'up'], scope: 'table', group: 'Navigation', description: 'move up one row', short: 'up' },
  { command: 'nav.top', keys: ['g', 'home'], scope: 'table', group: 'Navigation', description: 'go to the first row' },
  { command: 'nav.bottom', keys: ['G', 'end'], scope: 'table', group: 'Navigation', description: 'go to the last row' },
  { command: 'nav.pageDown', keys: ['pagedown', 'ctrl+d'], scope: 'table', group: 'Navigation', description: 'move down one page' },
  { command: 'nav.pageUp', keys: ['pageup', 'ctrl+u'], scope: 'table', group: 'Navigation', description: 'move up one page' },
  { command: 'pane.next', keys: ['tab'], scope: 'table', group: 'Panes', description: 'focus the next pane', short: 'pane' },
  { command: 'pane.prev', keys: ['shift+tab'], scope: 'table', group: 'Panes', description: 'focus the previous pane' },
  { command: 'pane.clusters', keys: ['1'], scope: 'table', group: 'Panes', description: 'show clusters' },
  { command: 'pane.gateways', keys: ['2'], scope: 'table', group: 'Panes', description: 'show gateways' },
  { command: 'pane.workloads', keys: ['3'], scope: 'table', group: 'Panes', description: 'show workloads' },
  { command: 'pane.services', keys: ['5'], scope: 'table', group: 'Panes', description: 'show services across clusters (:svc; Enter draws the routing tree)' },
  { command: 'pane.findings', keys: ['4'], scope: 'table', group: 'Panes', description: 'show the doctor findings (Enter jumps to the object)' },
  { command: 'item.details', keys: ['enter'], scope: 'table', group: 'Views', description: 'details of the selected row (YAML and Istio facts)', short: 'details' },
  { command: 'logs.open', keys: ['l'], scope: 'table', group: 'Views', description: 'follow the istio-proxy logs of the selected workload or gateway, in every cluster', short: 'logs' },
  { command: 'gateway.ports', keys: ['p'], scope: 'table', group: 'Views', description: "gateways: edit the selected gateway's Service ports, checked as you type (plan, then y)", short: 'ports' },
  { command: 'workload.inject', keys: ['i'], scope: 'table', group: 'Views', description: "workloads: turn automatic injection on or off for the selected workload's namespace (plan, then y)", short: 'inject' },
  { command: 'workload.restart', keys: ['r'], scope: 'table', group: 'Views', description: 'workloads: restart the selected workload so it gets or loses its sidecar (plan, then y)', short: 'restart' },
  { command: 'workload.restartMissing', keys: ['R'], scope: 'table', group: 'Views', description: "workloads: restart every workload of the namespace still missing its sidecar, in every cluster (plan, then y)" },
  { command: 'filter.start', keys: ['/'], scope: 'table', group: 'Views', description: 'filter rows: text, a regex, ! to invert', short: 'filter' },
  { command: 'command.start', keys: [':'], scope: 'table', group: 'Views', description: 'command mode (:gw, :wl, :ctx NAME, :all, :q)', short: 'cmd' },
  { command: 'app.back', keys: ['escape'], scope: 'global', group: 'General', description: 'back: close details or help, clear the filter' },
  { command: 'app.help', keys: ['?'], scope: 'global', group: 'General', description: 'show all keys', short: 'help' },
  { command: 'app.quit', keys: ['q', 'ctrl+c'], scope: 'global', group: 'General', description: 'quit meshdeck', short: 'quit' },
  { command: 'nav.down', keys: ['j', 'down'], scope: 'detail', group: 'Navigation', description: 'scroll down' },
  { command: 'nav.up', keys: ['k', 'up'], scope: 'detail', group: 'Navigation', description: 'scroll up' },
  { command: 'nav.pageDown', keys: ['pagedown', 'ctrl+d', 'space'], scope: 'detail', group: 'Navigation', description: 'scroll down one page' },
  { command: 'nav.pageUp', keys: ['pageup', 'ctrl+u'], scope: 'detail', group: 'Navigation', description: 'scroll up one page' },
  { command: 'nav.top', keys: ['g', 'home'], scope: 'detail', group: 'Navigation', description: 'scroll to the top' },
  { command: 'nav.bottom', keys: ['G', 'end'], scope: 'detail', group: 'Navigation', description: 'scroll to the end' },
  { command: 'app.back', keys: ['escape', 'q'], scope: 'detail', group: 'General', description: 'close the details' },
  { command: 'app.quit', keys: ['ctrl+c'], scope: 'detail', group: 'General', description: 'quit meshdeck' },
  { command: 'app.back', keys: ['escape', '?', 'q'], scope: 'help', group: 'General', description: 'close help' },
  { command: 'app.quit', keys: ['ctrl+c'], scope: 'help', group: 'General', description: 'quit meshdeck' },
  { command: 'nav.down', keys: ['j', 'down'], scope: 'logs', group: 'Logs', description: 'select the next line (stops following)' },
  { command: 'nav.up', keys: ['k', 'up'], scope: 'logs', group: 'Logs', description: 'select the previous line (stops following)' },
  { command: 'nav.pageDown', keys: ['pagedown', 'ctrl+d'], scope: 'logs', group: 'Logs', description: 'down one page' },
  { command: 'nav.pageUp', keys: ['pageup', 'ctrl+u'], scope: 'logs', group: 'Logs', description: 'up one page' },
  { command: 'nav.top', keys: ['g', 'home'], scope: 'logs', group: 'Logs', description: 'oldest line in the buffer' },
  { command: 'nav.bottom', keys: ['G', 'end'], scope: 'logs', group: 'Logs', description: 'newest line, and follow again' },
  { command: 'logs.pause', keys: ['space'], scope: 'logs', group: 'Logs', description: 'pause or resume (lines keep arriving and are counted)', short: 'pause' },
  { command: 'logs.follow', keys: ['f'], scope: 'logs', group: 'Logs', description: 'follow the newest line on or off', short: 'follow' },
  { command: 'logs.wrap', keys: ['w'], scope: 'logs', group: 'Logs', description: 'wrap long lines on or off', short: 'wrap' },
  { command: 'logs.save', keys: ['s'], scope: 'logs', group: 'Logs', description: 'save the lines shown to a file (asks for a path, never overwrites)', short: 'save' },
  { command: 'item.details', keys: ['enter'], scope: 'logs', group: 'Logs', description: 'all fields of the line and what its response flags mean', short: 'details' },
  { command: 'filter.start', keys: ['/'], scope: 'logs', group: 'Logs', description: 'filter lines: text, a regex, ! to invert', short: 'filter' },
  { command: 'command.start', keys: [':'], scope: 'logs', group: 'Logs', description: 'narrow: :5xx :4xx :flag UF :cluster east :pod NAME :all', short: 'narrow' },
  { command: 'app.back', keys: ['escape', 'q'], scope: 'logs', group: 'Logs', description: 'close the details, or the log view', short: 'back' },
  { command: 'app.help', keys: ['?'], scope: 'logs', group: 'Logs', description: 'show all keys', short: 'help' },
  { command: 'app.quit', keys: ['ctrl+c'], scope: 'logs', group: 'Logs', description: 'quit meshdeck' },
  { command: 'nav.down', keys: ['down', 'tab'], scope: 'wizard', group: 'Wizard', description: 'next field or cluster' },
  { command: 'nav.up', keys: ['up', 'shift+tab'], scope: 'wizard', group: 'Wizard', description: 'previous field or cluster' },
  { command: 'nav.pageDown', keys: ['pagedown'], scope: 'wizard', group: 'Wizard', description: 'scroll the plan or results down' },
  { command: 'nav.pageUp', keys: ['pageup'], scope: 'wizard', group: 'Wizard', description: 'scroll the plan or results up' },
  { command: 'wizard.toggle', keys: ['space'], scope: 'wizard', group: 'Wizard', description: 'switch a choice, or select a cluster (in text fields: a space)', short: 'select' },
  { command: 'wizard.next', keys: ['enter'], scope: 'wizard', group: 'Wizard', description: 'next step (after the intermediates: make the keys and plan, changing nothing)', short: 'next' },
  { command: 'wizard.confirm', keys: ['y'], scope: 'wizard', group: 'Wizard', description: 'on the review: apply the plan shown (the only key that changes a cluster)', short: 'apply' },
  { command: 'ports.saveValues', keys: ['s'], scope: 'wizard', group: 'Wizard', description: "port editor, on the plan or result: save the Helm values or IstioOperator overlay that keep the ports across upgrades (asks for a path, Tab switches the format; an existing file is overwritten only after y)" },
  { command: 'app.back', keys: ['escape'], scope: 'wizard', group: 'Wizard', description: 'back one step, keeping what was typed', short: 'back' },
  { command: 'app.quit', keys: ['ctrl+c'], scope: 'wizard', group: 'Wizard', description: 'quit meshdeck' },
  { command: 'prompt.submit', keys: ['enter'], scope: 'prompt', group: 'Prompt', description: 'run the command or keep the filter', short: 'apply' },
  { command: 'prompt.cancel', keys: ['escape', 'ctrl+c'], scope: 'prompt', group: 'Prompt', description: 'cancel (a filter is cleared)', short: 'cancel' },
  { command: 'prompt.complete', keys: ['tab'], scope: 'prompt', group: 'Prompt', description: 'complete the command', short: 'complete' },
  { command: 'prompt.backspace', keys: ['backspace'], scope: 'prompt', group: 'Prompt', description: 'delete the last character' },
];

/**
 * The scopes searched for a key, innermost first. Only the tables fall through to the global keys; the
 * other scopes bind what they need themselves (the log view's q and Esc mean back, its ? help and Ctrl+C
 * quit), so no key is bound both in a scope and in a scope it falls through to.
 */
function chainOf(scope: Scope): Scope[] {
  return scope === 'table' ? ['table', 'global'] : [scope];
}

/** The first binding for `keyName` in `scope`; modal scopes (prompt, help, detail, logs) do not fall through to table keys. */
export function lookup(scope: Scope, keyName: string): Command | undefined {
  const chain = chainOf(scope);
  for (const s of chain) {
    const found = KEYMAP.find((b) => b.scope === s && b.keys.includes(keyName));
    if (found) return found.command;
  }
  return undefined;
}

/** The footer hints for a scope, from the same table that dispatches. */
export function footerHints(scope: Scope): { keys: string; label: string }[] {
  const chain = chainOf(scope);
  return KEYMAP.filter((b) => chain.includes(b.scope) && b.short).map((b) => ({ keys: b.keys.slice(0, 2).join('/'), label: b.short! }));
}
