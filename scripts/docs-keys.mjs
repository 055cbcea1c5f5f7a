// Writes docs/keys.md from the keymap (run after `npm run build`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { renderKeysMarkdown } from '../dist/ui/keys-doc.js';

mkdirSync(new URL('../docs/', import.meta.url), { recursive: true });
writeFileSync(new URL('../docs/keys.md', import.meta.url), renderKeysMarkdown());
console.log('wrote docs/keys.md');
