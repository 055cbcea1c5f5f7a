import type { SimCluster } from '../cluster/sim-cluster.js';
import type { JsonObject, KubeObject } from '../objects.js';
import { istioOf } from './istio-mesh.js';
import type { TrustProblem } from './trust-model.js';

export { UNKNOWN_AUTHORITY, type TrustProblem } from './trust-model.js';

/** Whether a pod runs an Istio proxy (an injected sidecar or a gateway). */
export function hasIstioProxy(pod: KubeObject): boolean {
  const containers = ((pod['spec'] as JsonObject | undefined)?.['containers'] as JsonObject[] | undefined) ?? [];
  return containers.some((c) => c['name'] === 'istio-proxy');
}

/**
 * Why this pod's istio-proxy cannot get or verify certificates, as the error text the proxy would
 * log (root mismatches contain `x509: certificate signed by unknown authority`); undefined when it
 * is fine, when the pod has no proxy, or when the cluster has no Istio. Cheap: safe per log line.
 */
export function proxyTrustProblem(cluster: SimCluster, pod: KubeObject): string | undefined {
  return proxyTrustDetail(cluster, pod)?.message;
}

/** The same, with the reason and the cluster on the other side of the failing handshake. */
export function proxyTrustDetail(cluster: SimCluster, pod: KubeObject): TrustProblem | undefined {
  const member = istioOf(cluster);
  if (!member || !hasIstioProxy(pod)) return undefined;
  const trust = member.mesh.trust(member);
  return pod.metadata.labels?.['istio'] === 'eastwestgateway' ? trust.eastwest : trust.sidecar;
}

/** The root bundle the cluster's istio-ca-root-cert ConfigMaps hold now (undefined before istiod has a CA). */
export function clusterRootBundle(cluster: SimCluster): string | undefined {
  const member = istioOf(cluster);
  return member ? member.mesh.trust(member).bundlePem : undefined;
}
