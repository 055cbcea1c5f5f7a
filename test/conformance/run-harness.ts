// `npx vite-node test/conformance/run-harness.ts -- --clusters 3`: the real control plane of the conformance
// tier, by hand, until Ctrl-C (point meshdeck or kubectl at the kubeconfig it prints).
import { startControlPlane } from './harness.js';

const flag = process.argv.indexOf('--clusters');
const clusters = flag > 0 ? Number(process.argv[flag + 1]) : 2;
const plane = await startControlPlane({ clusters, log: (line) => console.log(line) });
console.log(`KUBECONFIG=${plane.kubeconfigPath}  (contexts: ${plane.clusters.map((c) => c.name).join(', ')}; Ctrl-C stops everything)`);
const shutdown = () => {
  void plane.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
