import type { Scenario } from './scenarios.js';
import type { SimCluster } from '../cluster/sim-cluster.js';
import { K } from '../controllers/kinds.js';
import { IstioMesh } from '../istio/istio-mesh.js';
import { installPrimary, installRemote } from '../istio/install.js';
import { makeIntermediateCa, makeRootCa } from '../istio/ca.js';
import { ISTIO_SAMPLE_CA } from '../istio/sample-ca.js';
import { INJECTION_LABEL, ISTIO_NAMESPACE } from '../istio/constants.js';
import { apiServerCa, joinCluster, readerToken, remoteSecret } from '../istio/multicluster/remote-secret.js';
import { deployHttpbinGateway, deploySamples, ensureNamespace, exposeIstiod, exposeServices } from '../istio/samples.js';
import { labelNamespace, seedBase, seedMeshWorkloads, settleAll } from './mesh-seeding.js';

/** The gateway port of the broken scenario that istio-ingressgateway's Service does not expose (IST0162). */
export const BROKEN_GATEWAY_PORT = 8088;

/**
 * The classic failures at once. east: primary (network1) whose istiod uses Istio's *sample* CA.
 * west: remote of east (network2) with its own, different root, so its proxies cannot verify
 * istiod and its gateways stay not-ready (x509: certificate signed by unknown authority).
 * central: a second primary (network1), joined to east under the wrong cluster ID `cluster3`.
 * east also holds a remote secret for a decommissioned `north` at 127.0.0.1:1 (connection
 * refused), a Gateway on port 8088 that istio-ingressgateway's Service lacks, and a `legacy`
 * namespace labelled for injection after its pods started (no sidecars).
 */
export const broken: Scenario = {
  name: 'broken',
  description: 'different roots, a mis-named and an unreachable remote secret, a gateway port the Service lacks, uninjected pods',
  clusterCount: 3,
  seed(clusters, { podsPerCluster, replicasPerWorkload }) {
    const [east, west, central] = clusters as [SimCluster, SimCluster, SimCluster];
    for (const cluster of clusters) seedBase(cluster, podsPerCluster);
    const mesh = new IstioMesh();
    const primary = installPrimary(east, { mesh, network: 'network1', cacerts: ISTIO_SAMPLE_CA });
    exposeIstiod(east);
    exposeServices(east);
    installRemote(west, { mesh, network: 'network2', primary, cacerts: makeIntermediateCa(makeRootCa(), west.name) });
    exposeServices(west);
    installPrimary(central, { mesh, network: 'network1' });
    joinCluster(east, west);
    joinCluster(east, central, { clusterId: 'cluster3' });
    east.api.create(K.secrets, ISTIO_NAMESPACE, remoteSecret({ clusterId: 'north', server: 'https://127.0.0.1:1', token: readerToken(central), caPem: apiServerCa(central) }));
    deploySamples(east, 'sample', ['helloworld-v1', 'httpbin', 'sleep']);
    deployHttpbinGateway(east, 'sample', BROKEN_GATEWAY_PORT);
    deploySamples(west, 'sample', ['helloworld-v2', 'sleep']);
    ensureNamespace(east, 'legacy', {});
    deploySamples(east, 'legacy', ['httpbin', 'sleep']);
    east.settle();
    labelNamespace(east, 'legacy', { [INJECTION_LABEL]: 'enabled' });
    for (const cluster of clusters) seedMeshWorkloads(cluster, podsPerCluster, [], replicasPerWorkload);
    settleAll(clusters);
  },
};
