import type { SimCluster } from '../cluster/sim-cluster.js';
import type { JsonObject, KubeObject } from '../objects.js';
import type { ResourceDef } from '../resources/types.js';
import { K } from '../controllers/kinds.js';
import { namespacedKey } from '../controllers/controller.js';
import {
  CACERTS_SECRET,
  CONTROL_PLANE_CLUSTERS_ANNOTATION,
  DEFAULT_REVISION,
  DEFAULT_TRUST_DOMAIN,
  IK,
  ISTIO_NAMESPACE,
  NETWORK_LABEL,
  READER_SERVICE_ACCOUNT,
} from './constants.js';
import type { CaBundle } from './ca.js';
import { injectorConfigMap, meshConfigMap, type InstallIdentity } from './mesh-config.js';
import { injectorWebhookConfiguration, istiodDeployment, istiodName, istiodService, readerRbac, remoteIstiodEndpoints, serviceAccount } from './control-plane-manifests.js';
import { gatewayDeployment, gatewayService, gatewayServiceAccount, type GatewayKind } from './gateway-manifests.js';
import { IstioMember, type IstioMesh, type IstioRole } from './istio-mesh.js';
import { IstiodCaController, isIstiodPod } from './istiod-ca-controller.js';
import { RootCertPublisher } from './root-cert-publisher.js';
import { TrustController } from './trust-controller.js';
import { RemoteSecretController, type SecretControllerOptions } from './multicluster/secret-controller.js';
import { sidecarInjector } from './injector.js';
import { istiodDebugHandler } from './debug-endpoints.js';
import { proxyTrustProblem } from './trust.js';

export interface IstioInstallOptions {
  mesh: IstioMesh;
  network: string;
  /** CLUSTER_ID / global.multiCluster.clusterName; defaults to the cluster's name. */
  clusterId?: string;
  meshId?: string;
  trustDomain?: string;
  accessLogEncoding?: 'TEXT' | 'JSON';
  /** Gateways to install (default: both). */
  gateways?: GatewayKind[];
  /** A plugged-in CA, stored as the `cacerts` secret before istiod starts. */
  cacerts?: CaBundle;
  /** Remote secret checks (defaults: 2 s timeout, every 5 s). */
  multicluster?: Partial<SecretControllerOptions>;
}

export interface RemoteInstallOptions extends IstioInstallOptions {
  /** The primary whose istiod serves this remote, reached through its east-west gateway. */
  primary: IstioMember;
}

/** Istio as `istioctl install` leaves a primary cluster: istiod, its config, the injector, gateways. */
export function installPrimary(cluster: SimCluster, options: IstioInstallOptions): IstioMember {
  const identity = identityOf(cluster, options);
  installBase(cluster, identity, options, {});
  create(cluster, K.serviceAccounts, serviceAccount(istiodName(identity.revision), { app: 'istiod', release: 'istiod' }));
  create(cluster, K.deployments, istiodDeployment(identity));
  create(cluster, K.services, istiodService(identity));
  create(cluster, IK.mutatingWebhooks, injectorWebhookConfiguration(identity, { service: { name: istiodName(identity.revision), namespace: ISTIO_NAMESPACE, path: '/inject', port: 443 } }));
  installGateways(cluster, identity, options.gateways);
  return wire(cluster, 'primary', identity, options, undefined);
}

/**
 * A remote (istioctl's `remote` profile): no istiod; the injector and the `istiod` Service point at
 * the primary's east-west gateway, and istio-system names the primary in
 * `topology.istio.io/controlPlaneClusters`. Joining (the remote secret in the primary) is separate.
 */
export function installRemote(cluster: SimCluster, options: RemoteInstallOptions): IstioMember {
  const primary = options.primary;
  const address = eastWestAddress(primary.cluster);
  const identity = { ...identityOf(cluster, options), remotePilotAddress: address };
  installBase(cluster, identity, options, { [CONTROL_PLANE_CLUSTERS_ANNOTATION]: primary.clusterId });
  create(cluster, K.services, istiodService(identity, false));
  create(cluster, K.endpoints, remoteIstiodEndpoints(identity, address));
  const injectionUrl = `https://${address}:15017/inject/cluster/${identity.clusterId}/net/${identity.network}`;
  create(cluster, IK.mutatingWebhooks, injectorWebhookConfiguration(identity, { url: injectionUrl }));
  installGateways(cluster, identity, options.gateways);
  return wire(cluster, 'remote', identity, options, primary.clusterId);
}

function identityOf(cluster: SimCluster, options: IstioInstallOptions): InstallIdentity {
  return {
    clusterId: options.clusterId ?? cluster.name,
    network: options.network,
    meshId: options.meshId ?? 'mesh1',
    trustDomain: options.trustDomain ?? DEFAULT_TRUST_DOMAIN,
    revision: DEFAULT_REVISION,
    accessLogEncoding: options.accessLogEncoding ?? 'TEXT',
  };
}

function installBase(cluster: SimCluster, identity: InstallIdentity, options: IstioInstallOptions, annotations: Record<string, string>): void {
  const existing = cluster.store.get(K.namespaces, undefined, ISTIO_NAMESPACE);
  const labels = { ...existing?.metadata.labels, [NETWORK_LABEL]: identity.network };
  if (existing) {
    cluster.api.update(K.namespaces, undefined, ISTIO_NAMESPACE, { ...existing, metadata: { ...existing.metadata, labels, annotations: { ...existing.metadata.annotations, ...annotations } } });
  } else {
    cluster.api.create(K.namespaces, undefined, { metadata: { name: ISTIO_NAMESPACE, labels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) } });
  }
  if (options.cacerts) create(cluster, K.secrets, cacertsSecret(options.cacerts));
  create(cluster, K.serviceAccounts, serviceAccount(READER_SERVICE_ACCOUNT, { app: 'istio-reader', release: 'istio' }));
  const reader = readerRbac();
  create(cluster, K.clusterRoles, reader.clusterRole);
  create(cluster, K.clusterRoleBindings, reader.binding);
  create(cluster, K.configMaps, meshConfigMap(identity));
  create(cluster, K.configMaps, injectorConfigMap(identity));
}

function installGateways(cluster: SimCluster, identity: InstallIdentity, kinds: GatewayKind[] = ['ingressgateway', 'eastwestgateway']): void {
  for (const kind of kinds) {
    create(cluster, K.serviceAccounts, gatewayServiceAccount(kind, identity));
    create(cluster, K.deployments, gatewayDeployment(kind, identity));
    create(cluster, K.services, gatewayService(kind, identity));
  }
}

/** The `cacerts` secret of a plugged-in CA, with the four keys istiod reads. */
export function cacertsSecret(bundle: CaBundle): KubeObject {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  return {
    metadata: { name: CACERTS_SECRET, namespace: ISTIO_NAMESPACE },
    type: 'Opaque',
    data: { 'ca-cert.pem': b64(bundle.caCertPem), 'ca-key.pem': b64(bundle.caKeyPem), 'cert-chain.pem': b64(bundle.certChainPem), 'root-cert.pem': b64(bundle.rootCertPem) },
  };
}

/** The load-balancer address of a cluster's east-west gateway (settling the cluster if it has none yet). */
export function eastWestAddress(cluster: SimCluster): string {
  const read = () => {
    const service = cluster.store.get(K.services, ISTIO_NAMESPACE, 'istio-eastwestgateway');
    const ingress = (((service?.['status'] as JsonObject | undefined)?.['loadBalancer'] as JsonObject | undefined)?.['ingress'] as JsonObject[] | undefined) ?? [];
    return ingress[0]?.['ip'] as string | undefined;
  };
  let address = read();
  if (!address) {
    cluster.settle();
    address = read();
  }
  if (!address) throw new Error(`cluster ${cluster.name} has no east-west gateway address`);
  return address;
}

function wire(cluster: SimCluster, role: IstioRole, identity: InstallIdentity, options: IstioInstallOptions, primaryClusterId: string | undefined): IstioMember {
  let ca: IstiodCaController | undefined;
  let trust: TrustController | undefined;
  const member = new IstioMember(cluster, options.mesh, role, identity, primaryClusterId, {
    trustChanged: () => trust?.recheck(),
    activeCa: () => ca?.activeCa(),
  });
  const publisher = cluster.addController((ctx) => new RootCertPublisher(ctx, () => member.mesh.trust(member).bundlePem));
  trust = cluster.addController(
    (ctx) =>
      new TrustController(
        ctx,
        () => member,
        (podKeys) => {
          for (const key of podKeys) cluster.kubelet.queue.add(key);
          publisher.requeueAll();
        },
      ),
  );
  if (role === 'primary') {
    ca = cluster.addController(
      (ctx) =>
        new IstiodCaController(ctx, identity.trustDomain, {
          activeChanged: () => member.mesh.invalidate(),
          podChanged: (key) => cluster.kubelet.queue.add(key),
        }),
    );
    const secrets = cluster.addController((ctx) => new RemoteSecretController(ctx, identity.clusterId, { timeoutMs: 2000, recheckMs: 5000, ...options.multicluster }));
    remoteStatuses.set(cluster, () => secrets.statuses());
    const handler = istiodDebugHandler(member, () => secrets.statuses(), () => secrets.registries());
    cluster.setServiceProxy(ISTIO_NAMESPACE, istiodName(identity.revision), '15014', handler);
    cluster.setServiceProxy(ISTIO_NAMESPACE, istiodName(identity.revision), 'http-monitoring', handler);
    // The same port on istiod's pods, through pods/portforward: requests arrive on the pod's loopback.
    cluster.setPodPort(isIstiodPod, 15014, handler);
    const caController = ca;
    cluster.kubelet.addBehaviour((pod, container) => (container === 'discovery' && isIstiodPod(pod) && caController.loadError(pod) ? { ready: false, waitingReason: 'CrashLoopBackOff', restartCount: 3 } : undefined));
  }
  cluster.kubelet.addBehaviour((pod, container) => (container === 'istio-proxy' && proxyTrustProblem(cluster, pod) ? { ready: false } : undefined));
  cluster.api.addMutator(sidecarInjector(cluster.store));
  options.mesh.add(member);
  // Pods created before the behaviours were added (none when installing at seed time) are re-evaluated.
  for (const pod of cluster.store.list(K.pods, ISTIO_NAMESPACE)) cluster.kubelet.queue.add(namespacedKey(pod.metadata.namespace, pod.metadata.name));
  return member;
}

const remoteStatuses = new WeakMap<SimCluster, () => ReturnType<RemoteSecretController['statuses']>>();

/** What a primary's simulated istiod knows about its remote clusters (empty for clusters without istiod). */
export function remoteClusterStatuses(cluster: SimCluster): ReturnType<RemoteSecretController['statuses']> {
  return remoteStatuses.get(cluster)?.() ?? [];
}

function create(cluster: SimCluster, def: ResourceDef, object: KubeObject): KubeObject {
  const namespace = def.namespaced ? (object.metadata.namespace ?? ISTIO_NAMESPACE) : undefined;
  return cluster.api.create(def, namespace, object);
}
