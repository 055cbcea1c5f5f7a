import type { TestProject } from 'vitest/node';
import { startControlPlane, type RealControlPlane } from './harness.js';

let plane: RealControlPlane | undefined;

/** Starts the real control plane once for the whole run; the test files reach it over loopback. */
export async function setup(project: TestProject): Promise<void> {
  const started = performance.now();
  try {
    plane = await startControlPlane({ clusters: Number(process.env['CONFORMANCE_CLUSTERS'] ?? 2), log: (line) => console.log(`conformance: ${line}`) });
    project.provide('realPlane', {
      kubeconfigPath: plane.kubeconfigPath,
      clusters: plane.clusters.map(({ name, server, token }) => ({ name, server, token })),
      caPem: plane.caPem,
    });
    console.log(`conformance: real control plane up in ${((performance.now() - started) / 1000).toFixed(1)} s (kubeconfig ${plane.kubeconfigPath})`);
  } catch (error) {
    // Every test against the real server then fails with this reason; the simulator's half still runs.
    project.provide('realPlane', { error: `the real control plane did not start: ${(error as Error).message}` });
  }
}

export async function teardown(): Promise<void> {
  await plane?.stop();
}
