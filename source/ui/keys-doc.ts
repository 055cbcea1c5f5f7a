import { KEYMAP, type Scope } from './keymap.js';

const SCOPE_TITLES: Record<Scope, string> = {
  table: 'Tables (clusters, gateways, workloads)',
  global: 'Everywhere',
  prompt: 'Filter and command prompt',
  detail: 'Details view',
  help: 'Help',
  logs: 'Log view',
  wizard: 'CA wizard (:ca)',
};

/** docs/keys.md, generated from the keymap that dispatches, so the document cannot drift. */
export function renderKeysMarkdown(): string {
  const lines = ['# meshdeck keys', '', 'Generated from `source/ui/keymap.ts` by `npm run docs:keys`; a test fails when this file is out of date.', ''];
  for (const scope of ['table', 'global', 'logs', 'wizard', 'prompt', 'detail', 'help'] as const) {
    lines.push(`## ${SCOPE_TITLES[scope]}`, '', '| Keys | Command | What it does |', '| --- | --- | --- |');
    for (const binding of KEYMAP.filter((b) => b.scope === scope)) {
      lines.push(`| ${binding.keys.map((k) => `\`${k}\``).join(', ')} | \`${binding.command}\` | ${binding.description} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
