// Starts bench/sim-host.mjs (the simulator in its own process) and talks to it.
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HOST = new URL('./sim-host.mjs', import.meta.url).pathname;

/**
 * options: MeshSimOptions (clusters, podsPerCluster, scenario, replicasPerWorkload, proxyLogLinesPerSecond)
 * plus barePods (bare pods per cluster, in namespace bench-rows, that `churn` labels). Resolves once the simulator serves.
 */
export async function startSim(options, { timeoutMs = 300_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-bench-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  // A larger young generation: seeding 200,000 pods otherwise spends most of its time in scavenges.
  const child = fork(HOST, [JSON.stringify(options), kubeconfig], { execArgv: ['--max-semi-space-size=64', '--max-old-space-size=16384'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 1;
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`simulator ${JSON.stringify(options)} did not start within ${timeoutMs} ms`))), timeoutMs);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`simulator exited (${code}) before it was ready`))));
    child.on('message', (message) => {
      if (message.ready) {
        clearTimeout(timer);
        resolve(message);
        return;
      }
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.ok) waiter.resolve(message);
      else waiter.reject(new Error(message.error));
    });
  });
  child.removeAllListeners('exit');
  child.on('exit', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('simulator exited'));
    pending.clear();
  });
  const call = (cmd, args, callTimeoutMs = 120_000) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => (pending.delete(id), reject(new Error(`simulator ${cmd} timed out`))), callTimeoutMs);
      pending.set(id, { resolve: (v) => (clearTimeout(timer), resolve(v)), reject: (e) => (clearTimeout(timer), reject(e)) });
      child.send({ id, cmd, args });
    });
  return {
    kubeconfig,
    dir,
    contexts: ready.contexts,
    startMs: ready.startMs,
    rssMb: ready.rssMb,
    pid: child.pid,
    churn: (args) => call('churn', args, args.durationMs + 60_000),
    scale: (args) => call('scale', args),
    rss: () => call('rss'),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await call('stop', {}, 30_000).catch(() => child.kill('SIGKILL'));
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
