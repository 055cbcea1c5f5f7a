import type { Scenario } from './scenarios.js';
import { IstioMesh } from '../istio/istio-mesh.js';
import { installPrimary } from '../istio/install.js';
import { deploySamples } from '../istio/samples.js';
import { seedBase, seedMeshWorkloads, settleAll } from './mesh-seeding.js';

/**
 * Every cluster a standalone primary on its own network (network1, network2, ...), each istiod with
 * its own self-signed root (istio-ca-secret), an ingress gateway but no east-west gateway, and
 * nothing joined: where the CA and join wizards start.
 */
export const fresh: Scenario = {
  name: 'fresh',
  description: 'standalone primaries with their own self-signed roots, nothing joined',
  seed(clusters, { podsPerCluster, replicasPerWorkload }) {
    const mesh = new IstioMesh();
    clusters.forEach((cluster, index) => {
      seedBase(cluster, podsPerCluster);
      installPrimary(cluster, { mesh, network: `network${index + 1}`, gateways: ['ingressgateway'] });
      deploySamples(cluster, 'sample', [index % 2 === 0 ? 'helloworld-v1' : 'helloworld-v2', 'sleep']);
      seedMeshWorkloads(cluster, podsPerCluster, [], replicasPerWorkload);
    });
    settleAll(clusters);
  },
};
