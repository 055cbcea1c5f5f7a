import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderKeysMarkdown } from '../../source/ui/keys-doc.js';

describe('docs/keys.md', () => {
  it('matches the keymap (run npm run docs:keys after changing a binding)', () => {
    const onDisk = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'keys.md'), 'utf8');
    expect(onDisk).toBe(renderKeysMarkdown());
  });
});
