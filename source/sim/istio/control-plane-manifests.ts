import type { JsonObject, KubeObject } from '../objects.js';
import { DEFAULT_REVISION, INJECT_ANNOTATION, ISTIO_NAMESPACE, PILOT_IMAGE, READER_SERVICE_ACCOUNT } from './constants.js';
import { installLabels, type InstallIdentity } from './mesh-config.js';

// The objects istioctl / the istio-discovery and base charts create, in the shape they have there.

export function istiodName(revision: string): string {
  return revision === DEFAULT_REVISION ? 'istiod' : `istiod-${revision}`;
}

export function istiodDeployment(identity: InstallIdentity): KubeObject {
  const name = istiodName(identity.revision);
  const selector: Record<string, string> = identity.revision === DEFAULT_REVISION ? { istio: 'pilot' } : { app: 'istiod', 'istio.io/rev': identity.revision };
  const podLabels = { app: 'istiod', 'istio.io/rev': identity.revision, 'install.operator.istio.io/owning-resource': 'unknown', [INJECT_ANNOTATION]: 'false', 'operator.istio.io/component': 'Pilot', istio: identity.revision === DEFAULT_REVISION ? 'pilot' : 'istiod' };
  const fieldRef = (fieldPath: string) => ({ valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
  const env: JsonObject[] = [
    { name: 'REVISION', value: identity.revision },
    { name: 'PILOT_CERT_PROVIDER', value: 'istiod' },
    { name: 'POD_NAME', ...fieldRef('metadata.name') },
    { name: 'POD_NAMESPACE', ...fieldRef('metadata.namespace') },
    { name: 'SERVICE_ACCOUNT', ...fieldRef('spec.serviceAccountName') },
    { name: 'KUBECONFIG', value: '/var/run/secrets/remote/config' },
    { name: 'CA_TRUSTED_NODE_ACCOUNTS', value: 'istio-system/ztunnel,kube-system/ztunnel' },
    { name: 'PILOT_TRACE_SAMPLING', value: '1' },
    { name: 'PILOT_ENABLE_ANALYSIS', value: 'false' },
    { name: 'CLUSTER_ID', value: identity.clusterId },
    { name: 'GOMEMLIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1' } } },
    { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1' } } },
    { name: 'PLATFORM', value: '' },
    { name: 'ISTIOD_ADDR', value: `${name}.${ISTIO_NAMESPACE}.svc:15012` },
    { name: 'PILOT_ENABLE_PROTOCOL_SNIFFING_FOR_OUTBOUND', value: 'true' },
    { name: 'PILOT_ENABLE_PROTOCOL_SNIFFING_FOR_INBOUND', value: 'true' },
  ];
  return {
    metadata: { name, namespace: ISTIO_NAMESPACE, labels: { app: 'istiod', ...installLabels(identity.revision), istio: 'pilot' } },
    spec: {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '100%', maxUnavailable: '25%' } },
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: podLabels, annotations: { 'prometheus.io/port': '15014', 'prometheus.io/scrape': 'true', [INJECT_ANNOTATION]: 'false' } },
        spec: {
          serviceAccountName: name,
          securityContext: { fsGroup: 1337 },
          containers: [
            {
              name: 'discovery',
              image: PILOT_IMAGE,
              args: ['discovery', '--monitoringAddr=:15014', '--log_output_level=default:info', '--domain', 'cluster.local', '--keepaliveMaxServerConnectionAge', '30m'],
              ports: [
                { containerPort: 8080, protocol: 'TCP', name: 'http-debug' },
                { containerPort: 15010, protocol: 'TCP', name: 'grpc-xds' },
                { containerPort: 15012, protocol: 'TCP', name: 'tls-xds' },
                { containerPort: 15017, protocol: 'TCP', name: 'https-webhooks' },
                { containerPort: 15014, protocol: 'TCP', name: 'http-monitoring' },
              ],
              readinessProbe: { httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 1, periodSeconds: 3, timeoutSeconds: 5 },
              env,
              resources: { requests: { cpu: '500m', memory: '2048Mi' } },
              volumeMounts: [
                { name: 'istio-token', mountPath: '/var/run/secrets/tokens', readOnly: true },
                { name: 'local-certs', mountPath: '/var/run/secrets/istio-dns' },
                { name: 'cacerts', mountPath: '/etc/cacerts', readOnly: true },
                { name: 'istio-kubeconfig', mountPath: '/var/run/secrets/remote', readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'local-certs', emptyDir: { medium: 'Memory' } },
            { name: 'istio-token', projected: { sources: [{ serviceAccountToken: { audience: 'istio-ca', expirationSeconds: 43200, path: 'istio-token' } }] } },
            { name: 'cacerts', secret: { secretName: 'cacerts', optional: true } },
            { name: 'istio-kubeconfig', secret: { secretName: 'istio-kubeconfig', optional: true } },
          ],
        },
      },
    },
  };
}

export function istiodService(identity: InstallIdentity, withSelector = true): KubeObject {
  const name = istiodName(identity.revision);
  return {
    metadata: { name, namespace: ISTIO_NAMESPACE, labels: { ...installLabels(identity.revision), app: 'istiod', istio: 'pilot' } },
    spec: {
      ports: [
        { port: 15010, name: 'grpc-xds', protocol: 'TCP' },
        { port: 15012, name: 'https-dns', protocol: 'TCP' },
        { port: 443, name: 'https-webhook', targetPort: 15017, protocol: 'TCP' },
        { port: 15014, name: 'http-monitoring', protocol: 'TCP' },
      ],
      ...(withSelector ? { selector: identity.revision === DEFAULT_REVISION ? { app: 'istiod', istio: 'pilot' } : { app: 'istiod', 'istio.io/rev': identity.revision } } : {}),
    },
  };
}

/** A remote's `istiod` Endpoints: the primary's east-west gateway stands in for the pods (remote-istiod-endpoints.yaml). */
export function remoteIstiodEndpoints(identity: InstallIdentity, address: string): KubeObject {
  return {
    metadata: { name: istiodName(identity.revision), namespace: ISTIO_NAMESPACE, labels: installLabels(identity.revision) },
    subsets: [{ addresses: [{ ip: address }], ports: [{ name: 'tcp-istiod', port: 15012, protocol: 'TCP' }, { name: 'tcp-webhook', port: 15017, protocol: 'TCP' }] }],
  };
}

type ClientConfig = { service: { name: string; namespace: string; path: string; port: number } } | { url: string };

/** The four webhooks Istio registers per revision (namespace/object × istio-injection/istio.io/rev). */
export function injectorWebhookConfiguration(identity: InstallIdentity, clientConfig: ClientConfig): KubeObject {
  const rev = identity.revision;
  const notOptedOut = { key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] };
  const webhook = (name: string, namespaceSelector: JsonObject, objectSelector: JsonObject): JsonObject => ({
    name,
    clientConfig: { ...clientConfig, caBundle: '' },
    rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: '*' }],
    failurePolicy: 'Fail',
    matchPolicy: 'Equivalent',
    reinvocationPolicy: 'Never',
    sideEffects: 'None',
    timeoutSeconds: 10,
    admissionReviewVersions: ['v1beta1', 'v1'],
    namespaceSelector,
    objectSelector,
  });
  const webhooks = [
    webhook('rev.namespace.sidecar-injector.istio.io', { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: [rev] }, { key: 'istio-injection', operator: 'DoesNotExist' }] }, { matchExpressions: [notOptedOut] }),
    webhook('rev.object.sidecar-injector.istio.io', { matchExpressions: [{ key: 'istio.io/rev', operator: 'DoesNotExist' }, { key: 'istio-injection', operator: 'DoesNotExist' }] }, { matchExpressions: [notOptedOut, { key: 'istio.io/rev', operator: 'In', values: [rev] }] }),
  ];
  if (rev === DEFAULT_REVISION) {
    webhooks.push(
      webhook('namespace.sidecar-injector.istio.io', { matchExpressions: [{ key: 'istio-injection', operator: 'In', values: ['enabled'] }] }, { matchExpressions: [notOptedOut] }),
      webhook('object.sidecar-injector.istio.io', { matchExpressions: [{ key: 'istio-injection', operator: 'DoesNotExist' }, { key: 'istio.io/rev', operator: 'DoesNotExist' }] }, { matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'In', values: ['true'] }, { key: 'istio.io/rev', operator: 'DoesNotExist' }] }),
    );
  }
  return {
    metadata: { name: rev === DEFAULT_REVISION ? 'istio-sidecar-injector' : `istio-sidecar-injector-${rev}`, labels: { ...installLabels(rev), app: 'sidecar-injector' } },
    webhooks,
  };
}

export function serviceAccount(name: string, labels: Record<string, string> = {}): KubeObject {
  return { metadata: { name, namespace: ISTIO_NAMESPACE, labels } };
}

/** istio-reader-service-account and what it may read (reader-clusterrole.yaml); remote secrets use its token. */
export function readerRbac(): { clusterRole: KubeObject; binding: KubeObject } {
  const name = `istio-reader-clusterrole-${ISTIO_NAMESPACE}`;
  const read = ['get', 'list', 'watch'];
  return {
    clusterRole: {
      metadata: { name, labels: { app: 'istio-reader', release: 'istio' } },
      rules: [
        { apiGroups: ['config.istio.io', 'security.istio.io', 'networking.istio.io', 'authentication.istio.io', 'rbac.istio.io', 'telemetry.istio.io', 'extensions.istio.io'], resources: ['*'], verbs: read },
        { apiGroups: [''], resources: ['endpoints', 'pods', 'services', 'nodes', 'replicationcontrollers', 'namespaces', 'secrets', 'configmaps'], verbs: read },
        { apiGroups: ['networking.istio.io'], resources: ['workloadentries'], verbs: read },
        { apiGroups: ['networking.x-k8s.io', 'gateway.networking.k8s.io'], resources: ['gateways'], verbs: read },
        { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: read },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: read },
        { apiGroups: ['multicluster.x-k8s.io'], resources: ['serviceexports', 'serviceimports'], verbs: read },
        { apiGroups: ['apps'], resources: ['replicasets'], verbs: read },
        { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
        { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
      ],
    },
    binding: {
      metadata: { name, labels: { app: 'istio-reader', release: 'istio' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: READER_SERVICE_ACCOUNT, namespace: ISTIO_NAMESPACE }],
    },
  };
}
