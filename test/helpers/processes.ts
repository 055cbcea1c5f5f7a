import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a process runs (a zombie waiting to be reaped does not). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** A credential plugin that never answers: it starts a child of its own and waits; each run appends "its pid, its child's pid". */
export function hangingPlugin(dir: string): { path: string; runs: () => number[][] } {
  const pids = join(dir, 'plugin-pids');
  const path = join(dir, 'hangs');
  writeFileSync(path, `#!/bin/sh\nsleep 1000 &\necho "$$ $!" >> ${pids}\nwait\n`);
  chmodSync(path, 0o755);
  return { path, runs: () => (existsSync(pids) ? readFileSync(pids, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(' ').map(Number)) : []) };
}
