import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeshSim, type MeshSimOptions } from '../../source/sim/mesh-sim.js';

export interface TestSim {
  sim: MeshSim;
  kubeconfigPath: string;
  dir: string;
  stop(): Promise<void>;
}

/** Starts an in-process simulator and writes its kubeconfig to a fresh temporary directory. */
export async function startTestSim(options: Partial<MeshSimOptions> = {}): Promise<TestSim> {
  const sim = await MeshSim.start({ clusters: 1, podsPerCluster: 10, podStartDelayMs: 50, ...options });
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-test-'));
  const kubeconfigPath = join(dir, 'kubeconfig.yaml');
  sim.writeKubeconfig(kubeconfigPath);
  return {
    sim,
    kubeconfigPath,
    dir,
    async stop() {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = async () => {
      try {
        const value = await probe();
        if (value) return resolve(value);
      } catch {
        // keep trying until the deadline
      }
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(attempt, 50);
    };
    void attempt();
  });
}
