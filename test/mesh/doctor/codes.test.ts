import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCTOR_CODES } from '../../../source/mesh/doctor/codes.js';

describe('doctor codes', () => {
  it('are documented in the README, each once, with its usual severity', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Doctor checks'), readme.indexOf('\n## ', readme.indexOf('## Doctor checks') + 1));
    const rows = [...section.matchAll(/^\| `(MD-[A-Z]+-\d{3})` \| ([a-z /]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim()] as const);
    expect(rows.map(([code]) => code)).toEqual(Object.keys(DOCTOR_CODES));
    for (const [code, severity] of rows) expect(severity.split(' / ')).toContain(DOCTOR_CODES[code as keyof typeof DOCTOR_CODES].severity);
  });
});
