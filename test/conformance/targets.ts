/**
 * The two things every contract test runs against: the simulator (in-process, as test/helpers/sim.ts
 * starts it) and a real kube-apiserver (started once for the run by global-setup.ts). Both are reached
 * the same way, over HTTPS with a bearer token and through kubectl, so a test cannot tell them apart
 * except where it asks `target.kind`.
 */
import { inject } from 'vitest';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { kubectl, type KubectlResult } from '../helpers/kubectl.js';
import { httpRequest, watchStream, type Endpoint, type HttpResult, type RequestInit, type WatchEvent, type WatchStream } from './http.js';

export type TargetKind = 'simulator' | 'kube-apiserver';

export interface Target extends Endpoint {
  kind: TargetKind;
  kubeconfigPath: string;
  /** The context of the cluster under test (the first one). */
  context: string;
  request(path: string, init?: RequestInit): Promise<HttpResult>;
  watch(path: string, init?: RequestInit, onEvent?: (event: WatchEvent) => void): WatchStream;
  kubectl(args: string[], input?: string): Promise<KubectlResult>;
  /**
   * Makes every resourceVersion handed out so far too old to watch from. The real API server's watch
   * cache already keeps only a short window (a version from before its start is too old); the simulator
   * keeps 100,000 events, so its history is compacted, as its fault injection does.
   */
  expireHistory(): Promise<void>;
  stop(): Promise<void>;
}

export interface RealPlaneInfo {
  kubeconfigPath: string;
  clusters: { name: string; server: string; token: string }[];
  caPem: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    realPlane: RealPlaneInfo | { error: string };
  }
}

function endpointTarget(kind: TargetKind, endpoint: Endpoint, kubeconfigPath: string, context: string, extra: { expireHistory(): Promise<void>; stop(): Promise<void> }): Target {
  return {
    kind,
    ...endpoint,
    kubeconfigPath,
    context,
    request: (path, init) => httpRequest(endpoint, path, init),
    watch: (path, init, onEvent) => watchStream(endpoint, path, init, onEvent),
    kubectl: (args, input) => kubectl(kubeconfigPath, ['--context', context, ...args], input),
    ...extra,
  };
}

export async function startSimulatorTarget(): Promise<Target> {
  const test: TestSim = await startTestSim({ clusters: 1, podsPerCluster: 0, podStartDelayMs: 50 });
  const cluster = test.sim.clusters[0]!;
  return endpointTarget('simulator', { server: cluster.address(), caPem: test.sim.certificate.caCertPem, token: cluster.adminToken }, test.kubeconfigPath, cluster.name, {
    expireHistory: async () => cluster.store.compact(),
    stop: () => test.stop(),
  });
}

/** The real control plane global-setup.ts started; its first cluster. */
export async function realTarget(): Promise<Target> {
  const plane = inject('realPlane');
  if ('error' in plane) throw new Error(plane.error);
  const cluster = plane.clusters[0]!;
  return endpointTarget('kube-apiserver', { server: cluster.server, caPem: plane.caPem, token: cluster.token }, plane.kubeconfigPath, cluster.name, {
    expireHistory: async () => {},
    stop: async () => {},
  });
}

/** Both targets, for `describe.each`. */
export const TARGETS: { kind: TargetKind; start: () => Promise<Target> }[] = [
  { kind: 'simulator', start: startSimulatorTarget },
  { kind: 'kube-apiserver', start: realTarget },
];

let counter = 0;
/**
 * A namespace of its own for a test, ready for pods: its `default` ServiceAccount and `kube-root-ca.crt`
 * exist (controllers add both a moment after the namespace, on a real cluster too).
 */
export async function freshNamespace(target: Target, prefix: string): Promise<string> {
  const name = `${prefix}-${process.pid}-${++counter}`;
  const created = await target.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  if (created.status !== 201) throw new Error(`creating namespace ${name}: ${created.status} ${created.body}`);
  await until(async () => (await target.request(`/api/v1/namespaces/${name}/serviceaccounts/default`)).status === 200, `the default ServiceAccount of ${name}`);
  await until(async () => (await target.request(`/api/v1/namespaces/${name}/configmaps/kube-root-ca.crt`)).status === 200, `kube-root-ca.crt in ${name}`);
  return name;
}

export async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function configMap(name: string, data: Record<string, string> = {}, labels?: Record<string, string>): object {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data };
}
