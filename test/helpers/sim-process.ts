import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './sim.js';
import { kubectl } from './kubectl.js';
import { meshdeckMain } from './meshdeck-bin.js';
import { recordOutput } from './output-scan.js';

const main = meshdeckMain;

export interface SimProcess {
  child: ChildProcess;
  kubeconfig: string;
  /** http://127.0.0.1:PORT of the fault endpoint. */
  admin: string;
  /** Calls the fault endpoint as curl would; rejects on an answer other than 200. */
  fault(method: string, path: string): Promise<Record<string, unknown>>;
  /** What a cluster was asked since the counts were last reset (GET /requests), by meshdeck alone unless `agent` says otherwise. */
  requests(cluster: string, agent?: string): Promise<RequestCounts>;
  stop(): void;
}

export interface RequestCounts {
  total: number;
  injected: number;
  held: number;
  byRoute: Record<string, number>;
}

/** `meshdeck sim` as its own process, as a user runs it, with the fault endpoint on a free port. */
export async function startSimProcess(args: string[]): Promise<SimProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-sim-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  const child = spawn(process.execPath, [main, 'sim', '--kubeconfig-out', kubeconfig, '--admin-port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => recordOutput('meshdeck sim (stdout)', chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => recordOutput('meshdeck sim (stderr)', chunk.toString()));
  const admin = await waitFor(() => /faults: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1], 'the simulator to start', 30_000);
  const fault = async (method: string, path: string) => {
    const response = await fetch(`${admin}${path}`, { method });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    child,
    kubeconfig,
    admin,
    fault,
    requests: async (cluster, agent = 'meshdeck') => ((await fault('GET', `/requests?cluster=${cluster}&agent=${agent}`))['clusters'] as RequestCounts[])[0]!,
    stop: () => child.kill('SIGTERM'),
  };
}

/** `cluster/namespace/name` → `ready/total` of every Deployment, as kubectl sees them. */
export async function kubectlWorkloads(kubeconfig: string, clusters: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const cluster of clusters) {
    const result = await kubectl(kubeconfig, ['--context', cluster, 'get', 'deployments', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.namespace} {.metadata.name} {.status.readyReplicas} {.spec.replicas}{"\\n"}{end}']);
    if (result.code !== 0) throw new Error(`kubectl --context ${cluster} get deployments: ${result.stderr}`);
    for (const line of result.stdout.split('\n').filter(Boolean)) {
      const [namespace, name, ready, replicas] = line.split(' ');
      out.set(`${cluster}/${namespace}/${name}`, `${ready || 0}/${replicas}`);
    }
  }
  return out;
}

/**
 * The workload rows of the cockpit's screen (`cluster/namespace/name` → `ready/total`), and the keys
 * seen more than once. Rows are matched anywhere in a line: side by side, the workloads pane is on the right.
 */
export function screenWorkloads(screen: string, clusters: string[]): { rows: Map<string, string>; duplicates: string[] } {
  const rows = new Map<string, string>();
  const duplicates: string[] = [];
  const pattern = new RegExp(`(?:^|\\s)(${clusters.join('|')})\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\d+)/(\\d+)\\s`, 'g');
  for (const line of screen.split('\n')) {
    for (const match of line.matchAll(pattern)) {
      const key = `${match[1]}/${match[2]}/${match[3]}`;
      if (rows.has(key)) duplicates.push(key);
      rows.set(key, `${match[5]}/${match[6]}`);
    }
  }
  return { rows, duplicates };
}
