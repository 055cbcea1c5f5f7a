import type { JsonObject, KubeObject } from '../objects.js';
import { ISTIO_NAMESPACE, SIDECAR_STATUS_ANNOTATION } from './constants.js';
import type { InjectorValues } from './mesh-config.js';

const VOLUMES = ['workload-socket', 'credential-socket', 'workload-certs', 'istio-envoy', 'istio-data', 'istio-podinfo', 'istio-token', 'istiod-ca-cert'];

/** The pod after Istio's `sidecar` injection template: istio-init, istio-proxy, volumes, labels, annotations. */
export function sidecarPatch(pod: KubeObject, values: InjectorValues): KubeObject {
  const spec = (pod['spec'] as JsonObject | undefined) ?? {};
  const containers = ((spec['containers'] as JsonObject[] | undefined) ?? []).slice();
  const labels = pod.metadata.labels ?? {};
  const workload = workloadOf(pod);
  const image = `${values.hub}/proxyv2:${values.tag}`;
  const canonicalName = labels['service.istio.io/canonical-name'] ?? labels['app.kubernetes.io/name'] ?? labels['app'] ?? workload.name;
  const canonicalRevision = labels['service.istio.io/canonical-revision'] ?? labels['app.kubernetes.io/version'] ?? labels['version'] ?? 'latest';
  const firstApp = String(containers[0]?.['name'] ?? '');
  const status = { initContainers: ['istio-init'], containers: ['istio-proxy'], volumes: VOLUMES, imagePullSecrets: null, revision: values.revision };
  const annotations = {
    ...(firstApp ? { 'kubectl.kubernetes.io/default-container': firstApp, 'kubectl.kubernetes.io/default-logs-container': firstApp } : {}),
    'prometheus.io/path': '/stats/prometheus',
    'prometheus.io/port': '15020',
    'prometheus.io/scrape': 'true',
    'istio.io/rev': values.revision,
    ...pod.metadata.annotations,
    [SIDECAR_STATUS_ANNOTATION]: JSON.stringify(status),
  };
  const podPorts = containers.flatMap((c) => ((c['ports'] as JsonObject[] | undefined) ?? []).map((p) => ({ ...p })));
  containers.push(proxyContainer(pod, values, image, workload, containers, podPorts));
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      labels: { ...labels, 'security.istio.io/tlsMode': 'istio', 'service.istio.io/canonical-name': canonicalName, 'service.istio.io/canonical-revision': canonicalRevision },
      annotations,
    },
    spec: {
      ...spec,
      initContainers: [...((spec['initContainers'] as JsonObject[] | undefined) ?? []), initContainer(image)],
      containers,
      volumes: [...((spec['volumes'] as JsonObject[] | undefined) ?? []), ...volumes()],
    },
  };
}

function initContainer(image: string): JsonObject {
  return {
    name: 'istio-init',
    image,
    args: ['istio-iptables', '-p', '15001', '-z', '15006', '-u', '1337', '-m', 'REDIRECT', '-i', '*', '-x', '', '-b', '*', '-d', '15090,15021,15020', '--log_output_level=default:info'],
    resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '10m', memory: '40Mi' } },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: false, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0 },
  };
}

function proxyContainer(pod: KubeObject, values: InjectorValues, image: string, workload: { name: string; owner: string }, app: JsonObject[], podPorts: JsonObject[]): JsonObject {
  const fieldRef = (fieldPath: string) => ({ valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
  const proxyConfig = { discoveryAddress: `istiod.${ISTIO_NAMESPACE}.svc:15012`, meshId: values.meshId, tracing: {} };
  const env: JsonObject[] = [
    { name: 'PILOT_CERT_PROVIDER', value: 'istiod' },
    { name: 'CA_ADDR', value: `istiod.${ISTIO_NAMESPACE}.svc:15012` },
    { name: 'POD_NAME', ...fieldRef('metadata.name') },
    { name: 'POD_NAMESPACE', ...fieldRef('metadata.namespace') },
    { name: 'INSTANCE_IP', ...fieldRef('status.podIP') },
    { name: 'SERVICE_ACCOUNT', ...fieldRef('spec.serviceAccountName') },
    { name: 'HOST_IP', ...fieldRef('status.hostIP') },
    { name: 'ISTIO_CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '0' } } },
    { name: 'PROXY_CONFIG', value: `${JSON.stringify(proxyConfig)}\n` },
    { name: 'ISTIO_META_POD_PORTS', value: JSON.stringify(podPorts) },
    { name: 'ISTIO_META_APP_CONTAINERS', value: app.map((c) => c['name']).join(',') },
    { name: 'GOMEMLIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '0' } } },
    { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '0' } } },
    { name: 'ISTIO_META_CLUSTER_ID', value: values.clusterId },
    { name: 'ISTIO_META_NODE_NAME', ...fieldRef('spec.nodeName') },
    { name: 'ISTIO_META_INTERCEPTION_MODE', value: 'REDIRECT' },
    ...(values.network ? [{ name: 'ISTIO_META_NETWORK', value: values.network }] : []),
    { name: 'ISTIO_META_WORKLOAD_NAME', value: workload.name },
    { name: 'ISTIO_META_OWNER', value: workload.owner },
    { name: 'ISTIO_META_MESH_ID', value: values.meshId || values.trustDomain },
    { name: 'TRUST_DOMAIN', value: values.trustDomain },
  ];
  return {
    name: 'istio-proxy',
    image,
    args: ['proxy', 'sidecar', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info'],
    ports: [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
    env,
    readinessProbe: { httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' }, failureThreshold: 4, initialDelaySeconds: 0, periodSeconds: 15, successThreshold: 1, timeoutSeconds: 3 },
    startupProbe: { httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' }, failureThreshold: 600, initialDelaySeconds: 0, periodSeconds: 1, successThreshold: 1, timeoutSeconds: 3 },
    resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsGroup: 1337, runAsNonRoot: true, runAsUser: 1337 },
    volumeMounts: [
      { mountPath: '/var/run/secrets/workload-spiffe-uds', name: 'workload-socket' },
      { mountPath: '/var/run/secrets/credential-uds', name: 'credential-socket' },
      { mountPath: '/var/run/secrets/workload-spiffe-credentials', name: 'workload-certs' },
      { mountPath: '/var/run/secrets/istio', name: 'istiod-ca-cert' },
      { mountPath: '/var/lib/istio/data', name: 'istio-data' },
      { mountPath: '/etc/istio/proxy', name: 'istio-envoy' },
      { mountPath: '/var/run/secrets/tokens', name: 'istio-token' },
      { mountPath: '/etc/istio/pod', name: 'istio-podinfo' },
    ],
  };
}

function volumes(): JsonObject[] {
  return [
    { name: 'workload-socket', emptyDir: {} },
    { name: 'credential-socket', emptyDir: {} },
    { name: 'workload-certs', emptyDir: {} },
    { name: 'istio-envoy', emptyDir: { medium: 'Memory' } },
    { name: 'istio-data', emptyDir: {} },
    { name: 'istio-podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } }] } },
    { name: 'istio-token', projected: { sources: [{ serviceAccountToken: { audience: 'istio-ca', expirationSeconds: 43200, path: 'istio-token' } }] } },
    { name: 'istiod-ca-cert', configMap: { name: 'istio-ca-root-cert' } },
  ];
}

/** The workload a pod belongs to, as the injector names it (a ReplicaSet's pod → its Deployment). */
function workloadOf(pod: KubeObject): { name: string; owner: string } {
  const namespace = pod.metadata.namespace ?? 'default';
  const owner = pod.metadata.ownerReferences?.find((ref) => ref.controller);
  if (owner?.kind === 'ReplicaSet') {
    const hash = pod.metadata.labels?.['pod-template-hash'];
    const name = hash && owner.name.endsWith(`-${hash}`) ? owner.name.slice(0, -hash.length - 1) : owner.name;
    return { name, owner: `kubernetes://apis/apps/v1/namespaces/${namespace}/deployments/${name}` };
  }
  if (owner) return { name: owner.name, owner: `kubernetes://apis/${owner.apiVersion}/namespaces/${namespace}/${owner.kind.toLowerCase()}s/${owner.name}` };
  const name = pod.metadata.name ?? pod.metadata.generateName ?? 'istio-proxy';
  return { name, owner: `kubernetes://apis/v1/namespaces/${namespace}/pods/${name}` };
}
