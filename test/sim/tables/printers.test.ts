import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../source/sim/objects.js';
import { DAY, HOUR, MINUTE, ago, cells, headers, table } from './fixtures.js';

const meta = (name: string, created: number, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: 'bookinfo',
  creationTimestamp: ago(created),
  ...extra,
});

interface Case {
  title: string;
  group: string;
  kind: string;
  item: KubeObject;
  headers: string[];
  wideHeaders: string[];
  cells: unknown[];
}

const cases: Case[] = [
  {
    title: 'deployment with 2 of 3 replicas ready',
    group: 'apps',
    kind: 'Deployment',
    item: {
      metadata: meta('reviews-v1', 10 * HOUR),
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'reviews', version: 'v1' } },
        template: { spec: { containers: [{ name: 'reviews', image: 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.2' }] } },
      },
      status: { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 },
    },
    headers: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
    wideHeaders: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
    cells: ['reviews-v1', '2/3', 3, 2, '10h', 'reviews', 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.2', 'app=reviews,version=v1'],
  },
  {
    title: 'replica set',
    group: 'apps',
    kind: 'ReplicaSet',
    item: {
      metadata: meta('reviews-v1-7d8f9c6b5', 10 * HOUR),
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'reviews', 'pod-template-hash': '7d8f9c6b5' } },
        template: { spec: { containers: [{ name: 'reviews', image: 'reviews:1' }, { name: 'istio-proxy', image: 'proxyv2:1.24.2' }] } },
      },
      status: { replicas: 3, readyReplicas: 2 },
    },
    headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
    wideHeaders: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
    cells: ['reviews-v1-7d8f9c6b5', 3, 3, 2, '10h', 'reviews,istio-proxy', 'reviews:1,proxyv2:1.24.2', 'app=reviews,pod-template-hash=7d8f9c6b5'],
  },
  {
    title: 'LoadBalancer service with node ports, address pending',
    group: '',
    kind: 'Service',
    item: {
      metadata: meta('istio-ingressgateway', 3 * MINUTE + 20, { namespace: 'istio-system' }),
      spec: {
        type: 'LoadBalancer',
        clusterIP: '10.96.88.10',
        clusterIPs: ['10.96.88.10'],
        ports: [
          { name: 'http2', port: 80, targetPort: 8080, nodePort: 31380, protocol: 'TCP' },
          { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
        ],
        selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
      },
      status: { loadBalancer: {} },
    },
    headers: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    wideHeaders: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'],
    cells: ['istio-ingressgateway', 'LoadBalancer', '10.96.88.10', '<pending>', '80:31380/TCP,443/TCP', '3m20s', 'app=istio-ingressgateway,istio=ingressgateway'],
  },
  {
    title: 'LoadBalancer service with addresses',
    group: '',
    kind: 'Service',
    item: {
      metadata: meta('east-west', 45 * DAY),
      spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.20'], ports: [{ port: 15443, nodePort: 30443 }], externalIPs: ['192.0.2.9'] },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }, { hostname: 'lb.example.com' }, { ip: '203.0.113.7' }] } },
    },
    headers: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    wideHeaders: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'],
    cells: ['east-west', 'LoadBalancer', '10.96.0.20', '203.0.113.7,lb.example.com,192.0.2.9', '15443:30443/TCP', '45d', '<none>'],
  },
  {
    title: 'headless ClusterIP service',
    group: '',
    kind: 'Service',
    item: {
      metadata: meta('ratings-headless', 5),
      spec: { clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'http', port: 9080, protocol: 'TCP' }], selector: { app: 'ratings' } },
    },
    headers: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    wideHeaders: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'],
    cells: ['ratings-headless', 'ClusterIP', 'None', '<none>', '9080/TCP', '5s', 'app=ratings'],
  },
  {
    title: 'ExternalName service without ports',
    group: '',
    kind: 'Service',
    item: { metadata: meta('httpbin-ext', 2 * DAY), spec: { type: 'ExternalName', externalName: 'httpbin.org' } },
    headers: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    wideHeaders: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'],
    cells: ['httpbin-ext', 'ExternalName', '<none>', 'httpbin.org', '<none>', '2d', '<none>'],
  },
  {
    title: 'endpoints with more than three addresses',
    group: '',
    kind: 'Endpoints',
    item: {
      metadata: meta('reviews', HOUR),
      subsets: [
        {
          addresses: [{ ip: '10.244.1.7' }, { ip: '10.244.2.8' }, { ip: '10.244.3.9' }],
          notReadyAddresses: [{ ip: '10.244.4.1' }],
          ports: [{ name: 'http', port: 9080, protocol: 'TCP' }, { name: 'metrics', port: 15090 }],
        },
      ],
    },
    headers: ['NAME', 'ENDPOINTS', 'AGE'],
    wideHeaders: ['NAME', 'ENDPOINTS', 'AGE'],
    cells: ['reviews', '10.244.1.7:9080,10.244.2.8:9080,10.244.3.9:9080 + 3 more...', '60m'],
  },
  {
    title: 'endpoint slice',
    group: 'discovery.k8s.io',
    kind: 'EndpointSlice',
    item: {
      metadata: meta('reviews-abc12', HOUR),
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 9080, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.244.1.7'] }, { addresses: ['10.244.2.8'] }],
    },
    headers: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
    wideHeaders: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
    cells: ['reviews-abc12', 'IPv4', '9080', '10.244.1.7,10.244.2.8', '60m'],
  },
  {
    title: 'namespace',
    group: '',
    kind: 'Namespace',
    item: { metadata: { name: 'bookinfo', creationTimestamp: ago(45 * DAY), labels: { 'istio-injection': 'enabled' } }, status: { phase: 'Active' } },
    headers: ['NAME', 'STATUS', 'AGE'],
    wideHeaders: ['NAME', 'STATUS', 'AGE'],
    cells: ['bookinfo', 'Active', '45d'],
  },
  {
    title: 'cordoned control-plane node',
    group: '',
    kind: 'Node',
    item: {
      metadata: { name: 'kind-control-plane', creationTimestamp: ago(7 * DAY), labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': 'kind-control-plane' } },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'kind-control-plane' }],
        nodeInfo: { kubeletVersion: 'v1.32.2', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.8.0-51-generic', containerRuntimeVersion: 'containerd://2.0.2' },
      },
    },
    headers: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
    wideHeaders: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
    cells: ['kind-control-plane', 'Ready,SchedulingDisabled', 'control-plane', '7d', 'v1.32.2', '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.8.0-51-generic', 'containerd://2.0.2'],
  },
  {
    title: 'config map counts data and binaryData',
    group: '',
    kind: 'ConfigMap',
    item: { metadata: meta('istio-ca-root-cert', DAY), data: { 'root-cert.pem': '...' }, binaryData: { 'x.bin': 'AA==' } },
    headers: ['NAME', 'DATA', 'AGE'],
    wideHeaders: ['NAME', 'DATA', 'AGE'],
    cells: ['istio-ca-root-cert', 2, '24h'],
  },
  {
    title: 'TLS secret',
    group: '',
    kind: 'Secret',
    item: { metadata: meta('bookinfo-cert', DAY), type: 'kubernetes.io/tls', data: { 'tls.crt': 'Zm9v', 'tls.key': 'YmFy' } },
    headers: ['NAME', 'TYPE', 'DATA', 'AGE'],
    wideHeaders: ['NAME', 'TYPE', 'DATA', 'AGE'],
    cells: ['bookinfo-cert', 'kubernetes.io/tls', 2, '24h'],
  },
  {
    title: 'service account',
    group: '',
    kind: 'ServiceAccount',
    item: { metadata: meta('bookinfo-reviews', DAY) },
    headers: ['NAME', 'SECRETS', 'AGE'],
    wideHeaders: ['NAME', 'SECRETS', 'AGE'],
    cells: ['bookinfo-reviews', 0, '24h'],
  },
  {
    title: 'warning event',
    group: '',
    kind: 'Event',
    item: {
      metadata: meta('ratings-v1-5b8f9c7d4-qq7zt.17f3a', 2 * HOUR),
      involvedObject: { kind: 'Pod', name: 'ratings-v1-5b8f9c7d4-qq7zt', namespace: 'bookinfo', fieldPath: 'spec.containers{ratings}' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container ratings in pod ratings-v1-5b8f9c7d4-qq7zt\n',
      source: { component: 'kubelet', host: 'worker-1' },
      firstTimestamp: ago(2 * HOUR),
      lastTimestamp: ago(40),
      count: 27,
      type: 'Warning',
    },
    headers: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
    wideHeaders: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME'],
    cells: [
      '40s', 'Warning', 'BackOff', 'pod/ratings-v1-5b8f9c7d4-qq7zt', 'spec.containers{ratings}', 'kubelet, worker-1',
      'Back-off restarting failed container ratings in pod ratings-v1-5b8f9c7d4-qq7zt', '120m', 27, 'ratings-v1-5b8f9c7d4-qq7zt.17f3a',
    ],
  },
  {
    title: 'event written through events.k8s.io',
    group: '',
    kind: 'Event',
    item: {
      metadata: meta('reviews.1', 10 * MINUTE),
      involvedObject: { kind: 'Deployment', name: 'reviews-v1' },
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set reviews-v1-7d8f9c6b5 to 3',
      eventTime: '2025-03-01T11:50:00.000000Z',
      reportingComponent: 'deployment-controller',
      type: 'Normal',
    },
    headers: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
    wideHeaders: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME'],
    cells: ['10m', 'Normal', 'ScalingReplicaSet', 'deployment/reviews-v1', '', 'deployment-controller', 'Scaled up replica set reviews-v1-7d8f9c6b5 to 3', '10m', 1, 'reviews.1'],
  },
  {
    title: 'cluster role binding',
    group: 'rbac.authorization.k8s.io',
    kind: 'ClusterRoleBinding',
    item: {
      metadata: { name: 'istiod-clusterrole-istio-system', creationTimestamp: ago(3 * HOUR) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'istiod-clusterrole-istio-system' },
      subjects: [
        { kind: 'ServiceAccount', name: 'istiod', namespace: 'istio-system' },
        { kind: 'User', name: 'alice' },
        { kind: 'Group', name: 'system:masters' },
        { kind: 'User', name: 'bob' },
      ],
    },
    headers: ['NAME', 'ROLE', 'AGE'],
    wideHeaders: ['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS'],
    cells: ['istiod-clusterrole-istio-system', 'ClusterRole/istiod-clusterrole-istio-system', '3h', 'alice, bob', 'system:masters', 'istio-system/istiod'],
  },
  {
    title: 'cluster role falls back to NAME and CREATED AT',
    group: 'rbac.authorization.k8s.io',
    kind: 'ClusterRole',
    item: { metadata: { name: 'istio-reader-clusterrole-istio-system', creationTimestamp: '2025-02-27T09:30:15Z' }, rules: [] },
    headers: ['NAME', 'CREATED AT'],
    wideHeaders: ['NAME', 'CREATED AT'],
    cells: ['istio-reader-clusterrole-istio-system', '2025-02-27T09:30:15Z'],
  },
  {
    title: 'mutating webhook configuration',
    group: 'admissionregistration.k8s.io',
    kind: 'MutatingWebhookConfiguration',
    item: {
      metadata: { name: 'istio-sidecar-injector', creationTimestamp: ago(45 * DAY) },
      webhooks: [{ name: 'rev.namespace.sidecar-injector.istio.io' }, { name: 'rev.object.sidecar-injector.istio.io' }, { name: 'namespace.sidecar-injector.istio.io' }, { name: 'object.sidecar-injector.istio.io' }],
    },
    headers: ['NAME', 'WEBHOOKS', 'AGE'],
    wideHeaders: ['NAME', 'WEBHOOKS', 'AGE'],
    cells: ['istio-sidecar-injector', 4, '45d'],
  },
];

describe('built-in printers', () => {
  it.each(cases)('$title', ({ group, kind, item, headers: plain, wideHeaders, cells: expected }) => {
    const result = table(group, kind, [item]);
    expect(headers(result)).toEqual(plain);
    expect(headers(result, true)).toEqual(wideHeaders);
    expect(cells(result)).toEqual(expected);
  });

  it('marks the deployment name column for kubectl', () => {
    const result = table('apps', 'Deployment', []);
    expect((result.columnDefinitions as unknown as Array<{ format: string }>)[0]!.format).toBe('name');
  });
});
