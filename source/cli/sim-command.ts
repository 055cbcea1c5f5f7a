import { join } from 'node:path';
import type { Command, CommandContext } from './command.js';
import { UserError } from './command.js';
import type { ParsedOptions } from './args.js';
import { cacheDir } from './paths.js';
import { waitForShutdown } from './shutdown.js';

export const simOptions = [
  { name: 'clusters', kind: 'integer', description: 'how many clusters to simulate', default: 3, value: 'N', min: 1, max: 50 },
  { name: 'pods-per-cluster', kind: 'integer', description: 'application pods in each cluster', default: 30, value: 'M', min: 0, max: 100_000 },
  { name: 'scenario', kind: 'string', description: 'what the clusters hold (see README: scenarios)', default: 'plain', value: 'NAME' },
  { name: 'kubeconfig-out', kind: 'string', description: 'where to write the kubeconfig (mode 0600)', value: 'FILE' },
  { name: 'latency-ms', kind: 'integer', description: 'delay added to every API request', default: 0, value: 'MS', min: 0, max: 60_000 },
] as const satisfies Command['options'];

const proxyDebugOption = { name: 'istiod-debug-through-proxy', kind: 'boolean', description: "istiod answers /debug through the API server's service proxy without authentication (a real istiod answers 401 there; see README: The simulator)" } as const satisfies Command['options'][number];

const adminPortOption = { name: 'admin-port', kind: 'integer', description: 'loopback port of the fault-injection endpoint (0: a free port; see README: Fault injection)', default: 0, value: 'PORT', min: 0, max: 65535 } as const satisfies Command['options'][number];

export const simCommand: Command = {
  name: 'sim',
  summary: 'run simulated Kubernetes API servers on 127.0.0.1 until interrupted',
  usage: 'meshdeck sim [--clusters N] [--pods-per-cluster M] [--scenario NAME] [--kubeconfig-out FILE] [--latency-ms MS] [--admin-port PORT] [--istiod-debug-through-proxy]',
  options: [...simOptions, adminPortOption, proxyDebugOption],
  async run(options, _positionals, ctx) {
    const sim = await startSim(options, ctx);
    const kubeconfigPath = String(options['kubeconfig-out'] ?? join(cacheDir(ctx.env), 'sim-kubeconfig.yaml'));
    try {
      sim.writeKubeconfig(kubeconfigPath);
    } catch (error) {
      await sim.stop();
      throw new UserError(`cannot write the kubeconfig to ${kubeconfigPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; pass --kubeconfig-out FILE with a writable path`);
    }
    const first = sim.clusters[0]!.name;
    ctx.stdout.write(
      [
        `meshdeck sim: ${sim.clusters.length} cluster(s), scenario "${sim.scenario.name}"`,
        ...sim.clusters.map((c) => `  ${c.name.padEnd(12)} ${c.address()}`),
        `kubeconfig: ${kubeconfigPath}`,
        ...(sim.adminAddress() ? [`faults: ${sim.adminAddress()}  (e.g. curl -X POST ${sim.adminAddress()}/clusters/${first}/down)`] : []),
        `try: kubectl --kubeconfig ${kubeconfigPath} --context ${first} get pods -A`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    const signal = await waitForShutdown();
    await sim.stop();
    ctx.stdout.write(`meshdeck sim: stopped (${signal}); the kubeconfig was at ${kubeconfigPath}\n`);
    return 0;
  },
};

export async function startSim(options: ParsedOptions, ctx: CommandContext) {
  const { MeshSim } = await import('../sim/mesh-sim.js');
  const { UnknownScenarioError } = await import('../sim/scenarios/scenarios.js');
  try {
    return await MeshSim.start({
      clusters: Number(options['clusters']),
      podsPerCluster: Number(options['pods-per-cluster']),
      scenario: String(options['scenario']),
      latencyMs: Number(options['latency-ms']),
      ...(options['admin-port'] !== undefined ? { adminPort: Number(options['admin-port']) } : {}),
      ...(options['istiod-debug-through-proxy'] === true ? { istiodDebugThroughProxy: true } : {}),
      warn: (message) => ctx.stderr.write(`meshdeck sim: ${message}\n`),
    });
  } catch (error) {
    if (error instanceof UnknownScenarioError) throw new UserError(`${error.message}; pick one with --scenario NAME`);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && options['admin-port'] !== undefined) {
      throw new UserError(`cannot serve the fault-injection endpoint on 127.0.0.1:${String(options['admin-port'])}: the port is in use; pick another with --admin-port PORT (0 picks a free one)`);
    }
    throw error;
  }
}
