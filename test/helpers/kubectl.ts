import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

const CANDIDATES = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'];

/** The installed kubectl; a missing one fails the suite loudly rather than skipping it. */
export function kubectlPath(): string {
  const fromEnv = process.env['KUBECTL'];
  const found = fromEnv ?? CANDIDATES.find((path) => existsSync(path));
  if (!found || !existsSync(found)) {
    throw new Error('kubectl is required for the simulator tests but was not found; install kubectl 1.27+ or set KUBECTL=/path/to/kubectl');
  }
  return found;
}

/** Runs kubectl with its own discovery cache so no test sees another's (or a stale) cache. */
export function kubectl(kubeconfig: string, args: string[], input?: string, timeoutMs = 30_000): Promise<KubectlResult> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  return new Promise((resolve) => {
    const child = execFile(
      kubectlPath(),
      ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args],
      { timeout: timeoutMs, env: { ...process.env, KUBECONFIG: kubeconfig } },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** Starts a long-running kubectl (get -w, logs -f) and collects its output. */
export function kubectlStream(kubeconfig: string, args: string[]): { child: ChildProcess; output: () => string; stop: () => void } {
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  const child = spawn(kubectlPath(), ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { child, output: () => out, stop: () => child.kill('SIGTERM') };
}
