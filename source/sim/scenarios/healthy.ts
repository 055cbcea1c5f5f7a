import type { Scenario } from './scenarios.js';
import { IstioMesh } from '../istio/istio-mesh.js';
import { installPrimary, installRemote } from '../istio/install.js';
import { makeIntermediateCa, makeRootCa } from '../istio/ca.js';
import { joinCluster } from '../istio/multicluster/remote-secret.js';
import { deployHttpbinGateway, deploySamples, exposeIstiod, exposeServices } from '../istio/samples.js';
import { seedBase, seedMeshWorkloads, settleAll } from './mesh-seeding.js';

/**
 * Primary `east` (network1) and remote `west` (network2), one shared root with an intermediate per
 * cluster, west joined to east with a working remote secret, Istio's sample apps in an injected
 * `sample` namespace, and the plain workloads of `shop` and `payments` injected too.
 */
export const healthy: Scenario = {
  name: 'healthy',
  description: 'primary east and remote west on two networks, shared root, joined and synced, sample apps injected',
  clusterCount: 2,
  seed(clusters, { podsPerCluster, replicasPerWorkload }) {
    const [east, west] = clusters as [(typeof clusters)[0], (typeof clusters)[0]];
    for (const cluster of clusters) seedBase(cluster, podsPerCluster);
    const mesh = new IstioMesh();
    const root = makeRootCa();
    const primary = installPrimary(east, { mesh, network: 'network1', cacerts: makeIntermediateCa(root, east.name) });
    exposeIstiod(east);
    exposeServices(east);
    installRemote(west, { mesh, network: 'network2', primary, cacerts: makeIntermediateCa(root, west.name) });
    exposeServices(west);
    joinCluster(east, west);
    deploySamples(east, 'sample', ['helloworld-v1', 'httpbin', 'sleep']);
    deployHttpbinGateway(east, 'sample');
    deploySamples(west, 'sample', ['helloworld-v2', 'sleep']);
    for (const cluster of clusters) seedMeshWorkloads(cluster, podsPerCluster, ['shop', 'payments'], replicasPerWorkload);
    settleAll(clusters);
  },
};
