import {
  CROSS_NETWORK_GATEWAY,
  ISTIOD_GATEWAY,
  ISTIOD_VIRTUAL_SERVICE,
  ISTIO_NAMESPACE,
  JOIN_CLUSTER_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  READER_CLUSTER_ROLE,
  READER_SERVICE_ACCOUNT,
  READER_TOKEN_SECRET,
  type ObjectKind,
  type ObjectRef,
} from './types.js';

// The objects join creates, in the shape Istio's charts and samples give them, plus meshdeck's marks.

type Json = Record<string, unknown>;

const API: Record<ObjectKind, { apiVersion: string; base: string; plural: string; namespaced: boolean }> = {
  Namespace: { apiVersion: 'v1', base: '/api/v1', plural: 'namespaces', namespaced: false },
  ServiceAccount: { apiVersion: 'v1', base: '/api/v1', plural: 'serviceaccounts', namespaced: true },
  Secret: { apiVersion: 'v1', base: '/api/v1', plural: 'secrets', namespaced: true },
  ClusterRole: { apiVersion: 'rbac.authorization.k8s.io/v1', base: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterroles', namespaced: false },
  ClusterRoleBinding: { apiVersion: 'rbac.authorization.k8s.io/v1', base: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterrolebindings', namespaced: false },
  Gateway: { apiVersion: 'networking.istio.io/v1', base: '/apis/networking.istio.io/v1', plural: 'gateways', namespaced: true },
  VirtualService: { apiVersion: 'networking.istio.io/v1', base: '/apis/networking.istio.io/v1', plural: 'virtualservices', namespaced: true },
};

export function apiVersionOf(kind: ObjectKind): string {
  return API[kind].apiVersion;
}

/** The collection a kind is created in (namespaced kinds: in the ref's namespace). */
export function collectionPath(ref: Pick<ObjectRef, 'kind' | 'namespace'>): string {
  const api = API[ref.kind];
  return api.namespaced ? `${api.base}/namespaces/${ref.namespace ?? ISTIO_NAMESPACE}/${api.plural}` : `${api.base}/${api.plural}`;
}

export function objectPath(ref: ObjectRef): string {
  return `${collectionPath(ref)}/${ref.name}`;
}

/** `secret istio-system/cacerts`, `clusterrole istio-reader-clusterrole-istio-system` */
export function describeRef(ref: ObjectRef): string {
  return `${ref.kind.toLowerCase()} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** meshdeck's marks on an object it creates for the join of `clusterName`. */
export function marks(clusterName: string): { labels: Record<string, string>; annotations: Record<string, string> } {
  return { labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE }, annotations: { [JOIN_CLUSTER_ANNOTATION]: clusterName } };
}

function object(kind: ObjectKind, name: string, namespace: string | undefined, clusterName: string, extra: Json, labels: Record<string, string> = {}): Json {
  const m = marks(clusterName);
  return {
    apiVersion: apiVersionOf(kind),
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}), labels: { ...labels, ...m.labels }, annotations: m.annotations },
    ...extra,
  };
}

export const READER_ACCOUNT_REF: ObjectRef = { kind: 'ServiceAccount', name: READER_SERVICE_ACCOUNT, namespace: ISTIO_NAMESPACE };
export const READER_ROLE_REF: ObjectRef = { kind: 'ClusterRole', name: READER_CLUSTER_ROLE };
export const READER_BINDING_REF: ObjectRef = { kind: 'ClusterRoleBinding', name: READER_CLUSTER_ROLE };
export const READER_TOKEN_REF: ObjectRef = { kind: 'Secret', name: READER_TOKEN_SECRET, namespace: ISTIO_NAMESPACE };
export const ISTIOD_GATEWAY_REF: ObjectRef = { kind: 'Gateway', name: ISTIOD_GATEWAY, namespace: ISTIO_NAMESPACE };
export const ISTIOD_VS_REF: ObjectRef = { kind: 'VirtualService', name: ISTIOD_VIRTUAL_SERVICE, namespace: ISTIO_NAMESPACE };
export const CROSS_NETWORK_REF: ObjectRef = { kind: 'Gateway', name: CROSS_NETWORK_GATEWAY, namespace: ISTIO_NAMESPACE };

const READER_LABELS = { app: 'istio-reader', release: 'istio' };
const READ = ['get', 'list', 'watch'];

/** istio-reader-service-account, as Istio's base chart makes it. */
export function readerAccount(clusterName: string): Json {
  return object('ServiceAccount', READER_SERVICE_ACCOUNT, ISTIO_NAMESPACE, clusterName, {}, READER_LABELS);
}

/** What istiod reads in a remote cluster (Istio's reader-clusterrole.yaml). */
export function readerClusterRole(clusterName: string): Json {
  return object(
    'ClusterRole',
    READER_CLUSTER_ROLE,
    undefined,
    clusterName,
    {
      rules: [
        { apiGroups: ['config.istio.io', 'security.istio.io', 'networking.istio.io', 'authentication.istio.io', 'rbac.istio.io', 'telemetry.istio.io', 'extensions.istio.io'], resources: ['*'], verbs: READ },
        { apiGroups: [''], resources: ['endpoints', 'pods', 'services', 'nodes', 'replicationcontrollers', 'namespaces', 'secrets', 'configmaps'], verbs: READ },
        { apiGroups: ['networking.istio.io'], resources: ['workloadentries'], verbs: READ },
        { apiGroups: ['networking.x-k8s.io', 'gateway.networking.k8s.io'], resources: ['gateways'], verbs: READ },
        { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: READ },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
        { apiGroups: ['multicluster.x-k8s.io'], resources: ['serviceexports', 'serviceimports'], verbs: READ },
        { apiGroups: ['apps'], resources: ['replicasets'], verbs: READ },
        { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
        { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
      ],
    },
    READER_LABELS,
  );
}

export function readerBinding(clusterName: string): Json {
  return object(
    'ClusterRoleBinding',
    READER_CLUSTER_ROLE,
    undefined,
    clusterName,
    {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: READER_CLUSTER_ROLE },
      subjects: [{ kind: 'ServiceAccount', name: READER_SERVICE_ACCOUNT, namespace: ISTIO_NAMESPACE }],
    },
    READER_LABELS,
  );
}

/** A long-lived token Secret of the reader account: the API server fills in `token` and `ca.crt`. */
export function readerTokenSecret(clusterName: string): Json {
  const body = object('Secret', READER_TOKEN_SECRET, ISTIO_NAMESPACE, clusterName, { type: 'kubernetes.io/service-account-token' });
  const metadata = body['metadata'] as { annotations: Record<string, string> };
  metadata.annotations = { 'kubernetes.io/service-account.name': READER_SERVICE_ACCOUNT, ...metadata.annotations };
  return body;
}

/** samples/multicluster/expose-istiod.yaml: the Gateway, through the east-west gateway, to istiod. */
export function istiodGateway(clusterName: string): Json {
  const server = (name: string, number: number) => ({ port: { name, number, protocol: 'tls' }, tls: { mode: 'PASSTHROUGH' }, hosts: ['*'] });
  return object('Gateway', ISTIOD_GATEWAY, ISTIO_NAMESPACE, clusterName, {
    spec: { selector: { istio: 'eastwestgateway' }, servers: [server('tls-istiod', 15012), server('tls-istiodwebhook', 15017)] },
  });
}

/** samples/multicluster/expose-istiod.yaml: the VirtualService that routes 15012 and 15017 to istiod. */
export function istiodVirtualService(clusterName: string, istiodService = 'istiod'): Json {
  const route = (port: number, target: number) => ({ match: [{ port, sniHosts: ['*'] }], route: [{ destination: { host: `${istiodService}.${ISTIO_NAMESPACE}.svc.cluster.local`, port: { number: target } } }] });
  return object('VirtualService', ISTIOD_VIRTUAL_SERVICE, ISTIO_NAMESPACE, clusterName, {
    spec: { hosts: ['*'], gateways: [ISTIOD_GATEWAY], tls: [route(15012, 15012), route(15017, 443)] },
  });
}

/** samples/multicluster/expose-services.yaml: cross-network traffic on 15443 with AUTO_PASSTHROUGH. */
export function crossNetworkGateway(clusterName: string): Json {
  return object('Gateway', CROSS_NETWORK_GATEWAY, ISTIO_NAMESPACE, clusterName, {
    spec: { selector: { istio: 'eastwestgateway' }, servers: [{ port: { number: 15443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }] },
  });
}
