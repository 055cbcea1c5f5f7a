import { homedir } from 'node:os';
import { join } from 'node:path';

/** The user's cache directory for meshdeck, following XDG. */
export function cacheDir(env: NodeJS.ProcessEnv): string {
  const base = env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'meshdeck');
}
