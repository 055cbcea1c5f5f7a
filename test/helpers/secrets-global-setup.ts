import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One registry for the whole run: every simulator (in the test processes, in `meshdeck sim` and
 * `meshdeck demo` processes they start, which inherit the environment) appends the tokens and keys it
 * makes there (source/sim/secret-registry.ts).
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-secrets-'));
  process.env['MESHDECK_SIM_SECRETS'] = join(dir, 'issued');
  return () => rmSync(dir, { recursive: true, force: true });
}
