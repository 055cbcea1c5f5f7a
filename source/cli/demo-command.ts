import { join } from 'node:path';
import type { Command } from './command.js';
import { simOptions, startSim } from './sim-command.js';
import { themeOption, openCockpit } from './cockpit-command.js';
import { cacheDir } from './paths.js';
import { loadKubeconfig } from '../kube/kubeconfig.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'open the cockpit on an embedded simulated multi-cluster mesh (no cluster needed)',
  usage: 'meshdeck demo [--scenario NAME] [--clusters N] [--pods-per-cluster M] [--theme NAME]',
  // The demo shows a working mesh unless asked for another scenario.
  options: [...simOptions.filter((o) => o.name !== 'latency-ms' && o.name !== 'kubeconfig-out').map((o) => (o.name === 'scenario' ? { ...o, default: 'healthy' } : o)), themeOption],
  async run(options, _positionals, ctx) {
    const sim = await startSim({ ...options, 'latency-ms': 0 }, ctx);
    try {
      // The cockpit reaches the simulator exactly as it reaches real clusters: through a kubeconfig.
      const kubeconfigPath = join(cacheDir(ctx.env), 'demo-kubeconfig.yaml');
      sim.writeKubeconfig(kubeconfigPath);
      const config = loadKubeconfig([kubeconfigPath]);
      return await openCockpit(config.contexts, options, ctx);
    } finally {
      await sim.stop();
    }
  },
};
