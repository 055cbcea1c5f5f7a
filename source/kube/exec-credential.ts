import { spawn, type ChildProcess } from 'node:child_process';
import { KubeRequestError } from './errors.js';

/** `users[].user.exec` of a kubeconfig (client.authentication.k8s.io). */
export interface ExecConfig {
  command: string;
  args?: unknown;
  env?: unknown;
}

/** What a plugin prints: an ExecCredential, of which meshdeck uses the status. */
export interface ExecCredentialStatus {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: string;
}

/** How long a plugin may take by default; `MESHDECK_EXEC_TIMEOUT` (seconds) overrides it. */
export const DEFAULT_EXEC_TIMEOUT_MS = 30_000;

/** The timeout in force: MESHDECK_EXEC_TIMEOUT seconds when it is a positive number, else 30 s. */
export function execTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env['MESHDECK_EXEC_TIMEOUT']);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_EXEC_TIMEOUT_MS;
}

// After SIGTERM a plugin gets this long before SIGKILL.
const KILL_GRACE_MS = 2_000;

const inFlight = new Map<string, Promise<ExecCredentialStatus>>();
const cached = new Map<string, ExecCredentialStatus>();
const running = new Set<ChildProcess>();
let exitHook = false;

/**
 * Runs a kubeconfig's exec credential plugin (as client-node would), with two differences that keep
 * the cockpit healthy: a plugin that has not answered within `timeoutMs` (waiting for a login, hung)
 * is killed with its whole process group, and only one runs at a time per `key` (a context): callers
 * asking while one runs share its answer, so retries never pile up plugins. A credential with an
 * `expirationTimestamp` is reused until then.
 */
export function execCredential(key: string, exec: ExecConfig, timeoutMs: number, label: string): Promise<ExecCredentialStatus> {
  const hit = cached.get(key);
  if (hit?.expirationTimestamp && Date.parse(hit.expirationTimestamp) > Date.now()) return Promise.resolve(hit);
  cached.delete(key);
  const pending = inFlight.get(key);
  if (pending) return pending;
  const run = runPlugin(exec, timeoutMs, label).then((status) => {
    if (status.expirationTimestamp) cached.set(key, status);
    return status;
  });
  inFlight.set(key, run);
  // The entry goes only once the plugin has exited: until then a retry waits for this one.
  const clear = () => {
    if (inFlight.get(key) === run) inFlight.delete(key);
  };
  run.then(clear, clear);
  return run;
}

/** How many plugins meshdeck has running now (for tests and diagnostics). */
export function runningPlugins(): number {
  return running.size;
}

function runPlugin(exec: ExecConfig, timeoutMs: number, label: string): Promise<ExecCredentialStatus> {
  const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
  const env = { ...process.env };
  if (Array.isArray(exec.env)) for (const entry of exec.env as { name?: unknown; value?: unknown }[]) if (typeof entry?.name === 'string') env[entry.name] = String(entry.value ?? '');
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      // Its own process group, so a plugin that started children of its own is stopped as a whole;
      // no stdin: the cockpit owns the terminal, and a plugin must not wait for typing there.
      child = spawn(exec.command, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      reject(error);
      return;
    }
    running.add(child);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => {
        for (const plugin of running) signalGroup(plugin, 'SIGKILL');
      });
    }
    let stdout = '';
    let stderr = '';
    let spawnError: Error | undefined;
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => (spawnError = error));
    let killer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup(child, 'SIGTERM');
      killer = setTimeout(() => signalGroup(child, 'SIGKILL'), KILL_GRACE_MS);
      killer.unref?.();
    }, timeoutMs);
    timer.unref?.();
    child.on('close', (code) => {
      clearTimeout(timer);
      if (killer) clearTimeout(killer);
      running.delete(child);
      if (timedOut) return reject(new KubeRequestError(`the credential plugin ${label} did not answer within ${formatSeconds(timeoutMs)} s`));
      if (spawnError) return reject(spawnError);
      if (code !== 0) return reject(new Error(stderr));
      let parsed: unknown;
      try {
        parsed = JSON.parse(stdout);
      } catch (error) {
        return reject(error);
      }
      const status = (parsed as { status?: unknown } | null)?.status;
      if (!status || typeof status !== 'object') return reject(new Error('it printed an ExecCredential without a status'));
      resolve(status as ExecCredentialStatus);
    });
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function formatSeconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
