import type { Command } from './command.js';
import { simOptions, startSim } from './sim-command.js';
import { waitForShutdown } from './shutdown.js';
import { join } from 'node:path';
import { cacheDir } from './paths.js';

// Until the cockpit lands, the demo runs the simulator and explains how to look at it.
export const demoCommand: Command = {
  name: 'demo',
  summary: 'open meshdeck on an embedded simulated multi-cluster mesh (no cluster needed)',
  usage: 'meshdeck demo [--scenario NAME] [--clusters N] [--pods-per-cluster M]',
  options: simOptions.filter((o) => o.name !== 'latency-ms' && o.name !== 'kubeconfig-out'),
  async run(options, _positionals, ctx) {
    const sim = await startSim({ ...options, 'latency-ms': 0 }, ctx);
    const kubeconfigPath = join(cacheDir(ctx.env), 'demo-kubeconfig.yaml');
    sim.writeKubeconfig(kubeconfigPath);
    ctx.stdout.write(
      [
        `meshdeck demo: ${sim.clusters.length} simulated clusters are running (scenario "${sim.scenario.name}").`,
        ...sim.clusters.map((c) => `  ${c.name.padEnd(12)} ${c.address()}`),
        '',
        'The cockpit is not built yet; meanwhile the simulated clusters answer real kubectl:',
        `  export KUBECONFIG=${kubeconfigPath}`,
        `  kubectl --context ${sim.clusters[0]!.name} get deployments,pods -A`,
        `  kubectl --context ${sim.clusters[0]!.name} scale deployment/frontend -n shop --replicas=5`,
        '',
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    await waitForShutdown();
    await sim.stop();
    return 0;
  },
};
