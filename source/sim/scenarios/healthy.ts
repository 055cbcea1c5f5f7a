import { findResource } from '../resources/registry.js';
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
    // Istio's helloworld routing (samples/helloworld/helloworld-gateway.yaml's subsets): v1 lives in east, v2 in west.
    east.api.create(findResource('networking.istio.io', 'destinationrules')!, 'sample', {
      metadata: { name: 'helloworld', namespace: 'sample' },
      spec: { host: 'helloworld', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } }, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] },
    });
    east.api.create(findResource('networking.istio.io', 'virtualservices')!, 'sample', {
      metadata: { name: 'helloworld', namespace: 'sample' },
      spec: { hosts: ['helloworld'], http: [{ route: [{ destination: { host: 'helloworld', subset: 'v1' }, weight: 50 }, { destination: { host: 'helloworld', subset: 'v2' }, weight: 50 }] }] },
    });
    for (const cluster of clusters) seedMeshWorkloads(cluster, podsPerCluster, ['shop', 'payments'], replicasPerWorkload);
    settleAll(clusters);
  },
};
