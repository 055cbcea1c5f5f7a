import { findResource } from '../resources/registry.js';
import type { ResourceDef } from '../resources/types.js';

/** The Istio release the simulated installations report (images, sidecar status, syncz). */
export const ISTIO_VERSION = '1.27.3';
export const ISTIO_HUB = 'docker.io/istio';
export const PROXY_IMAGE = `${ISTIO_HUB}/proxyv2:${ISTIO_VERSION}`;
export const PILOT_IMAGE = `${ISTIO_HUB}/pilot:${ISTIO_VERSION}`;

export const ISTIO_NAMESPACE = 'istio-system';
export const DEFAULT_REVISION = 'default';
export const DEFAULT_TRUST_DOMAIN = 'cluster.local';

// Labels and annotations, with the keys Istio uses.
export const NETWORK_LABEL = 'topology.istio.io/network';
export const CONTROL_PLANE_CLUSTERS_ANNOTATION = 'topology.istio.io/controlPlaneClusters';
export const INJECTION_LABEL = 'istio-injection';
export const REVISION_LABEL = 'istio.io/rev';
export const INJECT_ANNOTATION = 'sidecar.istio.io/inject';
export const SIDECAR_STATUS_ANNOTATION = 'sidecar.istio.io/status';
export const MULTICLUSTER_SECRET_LABEL = 'istio/multiCluster';
export const CLUSTER_ANNOTATION = 'networking.istio.io/cluster';

// Names of the objects an installation owns.
export const CACERTS_SECRET = 'cacerts';
export const SELF_SIGNED_CA_SECRET = 'istio-ca-secret';
export const ROOT_CERT_CONFIGMAP = 'istio-ca-root-cert';
export const MESH_CONFIGMAP = 'istio';
export const INJECTOR_CONFIGMAP = 'istio-sidecar-injector';
export const READER_SERVICE_ACCOUNT = 'istio-reader-service-account';

/** Namespaces istiod never writes its root certificate into and never injects (Istio's ignored namespaces). */
export const IGNORED_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

function must(group: string, plural: string): ResourceDef {
  const def = findResource(group, plural);
  if (!def) throw new Error(`resource ${plural}.${group} is not registered`);
  return def;
}

/** Registry entries the Istio layer uses beyond the controllers' `K`. */
export const IK = {
  mutatingWebhooks: must('admissionregistration.k8s.io', 'mutatingwebhookconfigurations'),
  gateways: must('networking.istio.io', 'gateways'),
  virtualServices: must('networking.istio.io', 'virtualservices'),
} as const;
