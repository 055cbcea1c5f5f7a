import type { JsonObject, KubeObject } from '../objects.js';
import { INJECT_ANNOTATION, ISTIO_NAMESPACE, NETWORK_LABEL, PROXY_IMAGE } from './constants.js';
import type { InstallIdentity } from './mesh-config.js';

export type GatewayKind = 'ingressgateway' | 'eastwestgateway';

interface ServicePort {
  name: string;
  port: number;
  targetPort: number;
}

// Port layouts of Istio's charts: the istio-ingress chart (plus the tls port of the default profile)
// and samples/multicluster/gen-eastwest-gateway.sh.
export const GATEWAY_PORTS: Record<GatewayKind, ServicePort[]> = {
  ingressgateway: [
    { name: 'status-port', port: 15021, targetPort: 15021 },
    { name: 'http2', port: 80, targetPort: 8080 },
    { name: 'https', port: 443, targetPort: 8443 },
    { name: 'tls', port: 15443, targetPort: 15443 },
  ],
  eastwestgateway: [
    { name: 'status-port', port: 15021, targetPort: 15021 },
    { name: 'tls', port: 15443, targetPort: 15443 },
    { name: 'tls-istiod', port: 15012, targetPort: 15012 },
    { name: 'tls-webhook', port: 15017, targetPort: 15017 },
  ],
};

export function gatewayName(kind: GatewayKind): string {
  return `istio-${kind}`;
}

function gatewayLabels(kind: GatewayKind, identity: InstallIdentity): Record<string, string> {
  const name = gatewayName(kind);
  return {
    app: name,
    istio: kind,
    'istio.io/rev': identity.revision,
    'install.operator.istio.io/owning-resource': 'unknown',
    'operator.istio.io/component': 'IngressGateways',
    release: 'istio',
    ...(identity.network ? { [NETWORK_LABEL]: identity.network } : {}),
  };
}

export function gatewayServiceAccount(kind: GatewayKind, identity: InstallIdentity): KubeObject {
  return { metadata: { name: `${gatewayName(kind)}-service-account`, namespace: ISTIO_NAMESPACE, labels: gatewayLabels(kind, identity) } };
}

export function gatewayService(kind: GatewayKind, identity: InstallIdentity): KubeObject {
  const labels = gatewayLabels(kind, identity);
  return {
    metadata: { name: gatewayName(kind), namespace: ISTIO_NAMESPACE, labels },
    spec: {
      type: 'LoadBalancer',
      selector: { app: labels['app']!, istio: kind },
      ports: GATEWAY_PORTS[kind].map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: 'TCP' })),
    },
  };
}

export function gatewayDeployment(kind: GatewayKind, identity: InstallIdentity): KubeObject {
  const name = gatewayName(kind);
  const labels = gatewayLabels(kind, identity);
  const podLabels = { ...labels, chart: 'gateways', heritage: 'Tiller', 'service.istio.io/canonical-name': name, 'service.istio.io/canonical-revision': 'latest', [INJECT_ANNOTATION]: 'false' };
  const fieldRef = (fieldPath: string) => ({ valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
  const env: JsonObject[] = [
    { name: 'PILOT_CERT_PROVIDER', value: 'istiod' },
    { name: 'CA_ADDR', value: `istiod.${ISTIO_NAMESPACE}.svc:15012` },
    { name: 'NODE_NAME', ...fieldRef('spec.nodeName') },
    { name: 'POD_NAME', ...fieldRef('metadata.name') },
    { name: 'POD_NAMESPACE', ...fieldRef('metadata.namespace') },
    { name: 'INSTANCE_IP', ...fieldRef('status.podIP') },
    { name: 'HOST_IP', ...fieldRef('status.hostIP') },
    { name: 'ISTIO_CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '0' } } },
    { name: 'SERVICE_ACCOUNT', ...fieldRef('spec.serviceAccountName') },
    { name: 'ISTIO_META_WORKLOAD_NAME', value: name },
    { name: 'ISTIO_META_OWNER', value: `kubernetes://apis/apps/v1/namespaces/${ISTIO_NAMESPACE}/deployments/${name}` },
    { name: 'ISTIO_META_MESH_ID', value: identity.meshId },
    { name: 'TRUST_DOMAIN', value: identity.trustDomain },
    { name: 'ISTIO_META_UNPRIVILEGED_POD', value: 'true' },
    { name: 'ISTIO_META_CLUSTER_ID', value: identity.clusterId },
    { name: 'ISTIO_META_NODE_NAME', ...fieldRef('spec.nodeName') },
    ...(identity.network ? [{ name: 'ISTIO_META_NETWORK', value: identity.network }] : []),
    ...(kind === 'eastwestgateway' && identity.network ? [{ name: 'ISTIO_META_REQUESTED_NETWORK_VIEW', value: identity.network }] : []),
  ];
  const containerPorts = [
    ...GATEWAY_PORTS[kind].map((p) => ({ containerPort: p.targetPort, protocol: 'TCP' })),
    { containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' },
  ];
  return {
    metadata: { name, namespace: ISTIO_NAMESPACE, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name, istio: kind } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '100%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: podLabels, annotations: { 'prometheus.io/path': '/stats/prometheus', 'prometheus.io/port': '15020', 'prometheus.io/scrape': 'true', [INJECT_ANNOTATION]: 'false' } },
        spec: {
          serviceAccountName: `${name}-service-account`,
          securityContext: { runAsUser: 1337, runAsGroup: 1337, runAsNonRoot: true, fsGroup: 1337 },
          containers: [
            {
              name: 'istio-proxy',
              image: PROXY_IMAGE,
              args: ['proxy', 'router', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info'],
              ports: containerPorts,
              readinessProbe: { httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' }, failureThreshold: 30, initialDelaySeconds: 1, periodSeconds: 2, successThreshold: 1, timeoutSeconds: 1 },
              env,
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
              volumeMounts: [
                { name: 'workload-socket', mountPath: '/var/run/secrets/workload-spiffe-uds' },
                { name: 'credential-socket', mountPath: '/var/run/secrets/credential-uds' },
                { name: 'workload-certs', mountPath: '/var/run/secrets/workload-spiffe-credentials' },
                { name: 'istio-envoy', mountPath: '/etc/istio/proxy' },
                { name: 'config-volume', mountPath: '/etc/istio/config' },
                { name: 'istiod-ca-cert', mountPath: '/var/run/secrets/istio' },
                { name: 'istio-token', mountPath: '/var/run/secrets/tokens', readOnly: true },
                { name: 'istio-data', mountPath: '/var/lib/istio/data' },
                { name: 'podinfo', mountPath: '/etc/istio/pod' },
              ],
            },
          ],
          volumes: [
            { name: 'workload-socket', emptyDir: {} },
            { name: 'credential-socket', emptyDir: {} },
            { name: 'workload-certs', emptyDir: {} },
            { name: 'istiod-ca-cert', configMap: { name: 'istio-ca-root-cert' } },
            { name: 'podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } }] } },
            { name: 'istio-envoy', emptyDir: {} },
            { name: 'istio-data', emptyDir: {} },
            { name: 'istio-token', projected: { sources: [{ serviceAccountToken: { audience: 'istio-ca', expirationSeconds: 43200, path: 'istio-token' } }] } },
            { name: 'config-volume', configMap: { name: 'istio', optional: true } },
          ],
        },
      },
    },
  };
}
