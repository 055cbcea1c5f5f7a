import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The directory of meshdeck's own package.json. Found by walking up from this module because the same code
 * runs from two depths: the compiled tree (dist/cli/…) and the bundle (dist/bundle/chunks/…).
 */
export function packageRoot(): string {
  if (cached) return cached;
  // fileURLToPath, not URL.pathname: the pathname keeps %20 for a space ("/Users/Jane Doe").
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && isOurs(candidate)) return (cached = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find meshdeck\'s package.json above its code; reinstall meshdeck');
    dir = parent;
  }
}

function isOurs(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name === 'meshdeck';
  } catch {
    return false;
  }
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
