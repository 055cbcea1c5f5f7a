// Realistic objects as the simulator stores them. Each call returns a fresh copy, so a test can
// build its expected value by editing one without affecting the input of another.
import type { JsonObject, JsonValue, KubeObject } from '../../../source/sim/objects.js';

export function deployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'api',
      namespace: 'shop',
      uid: '6f1c2a7e-3b0d-4e8e-9a51-0c2d7b9e4f10',
      resourceVersion: '4711',
      generation: 3,
      labels: { app: 'api', tier: 'backend' },
      annotations: { 'deployment.kubernetes.io/revision': '3' },
      finalizers: ['shop.example.com/drain', 'shop.example.com/audit'],
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'api' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'api' }, annotations: { 'sidecar.istio.io/inject': 'true' } },
        spec: {
          containers: [
            {
              name: 'api',
              image: 'nginx:1.25',
              ports: [
                { name: 'http', containerPort: 8080, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
              ],
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'DB_HOST', value: 'db.shop.svc.cluster.local' },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              volumeMounts: [
                { name: 'config', mountPath: '/etc/api', readOnly: true },
                { name: 'cache', mountPath: '/var/cache/api' },
              ],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            },
            {
              name: 'istio-proxy',
              image: 'docker.io/istio/proxyv2:1.22.0',
              args: ['proxy', 'sidecar'],
              ports: [{ name: 'http-envoy-prom', containerPort: 15090, protocol: 'TCP' }],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: 'api-config' } },
            { name: 'cache', emptyDir: {} },
          ],
          imagePullSecrets: [{ name: 'regcred' }],
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'shop', effect: 'NoSchedule' }],
        },
      },
    },
    status: {
      observedGeneration: 3,
      replicas: 2,
      readyReplicas: 2,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    },
  };
}

export function service(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: 'shop', uid: 'b8a0f7d2-5c1e-4f3a-8d6b-2e9c4a1f7b30', resourceVersion: '812' },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.12.34',
      selector: { app: 'api' },
      ports: [
        { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: 'grpc', port: 9000, targetPort: 9000, protocol: 'TCP' },
        { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
      ],
    },
  };
}

export function pod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'api-7d9f8b6c5-x2k4p',
      namespace: 'shop',
      uid: '0e7d4c3b-2a19-4f8e-b7d6-c5a4f3e2d1c0',
      labels: { app: 'api', 'pod-template-hash': '7d9f8b6c5' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'api-7d9f8b6c5',
          uid: 'rs-uid-1',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      nodeName: 'worker-1',
      containers: [
        {
          name: 'api',
          image: 'nginx:1.25',
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
        },
      ],
      hostAliases: [{ ip: '10.0.0.5', hostnames: ['db.local'] }],
      volumes: [{ name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }],
    },
    status: {
      phase: 'Running',
      podIP: '10.244.1.17',
      podIPs: [{ ip: '10.244.1.17' }],
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ],
    },
  };
}

export function node(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'worker-1', uid: 'node-uid-1', labels: { 'kubernetes.io/hostname': 'worker-1' } },
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
    status: {
      addresses: [
        { type: 'InternalIP', address: '172.18.0.3' },
        { type: 'Hostname', address: 'worker-1' },
      ],
      conditions: [
        { type: 'MemoryPressure', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
    },
  };
}

export function endpoints(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'api', namespace: 'shop' },
    subsets: [
      {
        addresses: [{ ip: '10.244.1.17' }, { ip: '10.244.2.9' }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ],
  };
}

export function virtualService(): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'api', namespace: 'shop', resourceVersion: '99' },
    spec: {
      hosts: ['api.shop.svc.cluster.local'],
      http: [
        { name: 'canary', match: [{ headers: { 'x-canary': { exact: 'true' } } }], route: [{ destination: { host: 'api', subset: 'v2' } }] },
        { name: 'default', route: [{ destination: { host: 'api', subset: 'v1' }, weight: 100 }] },
      ],
    },
  };
}

/** A fresh fixture changed by hand: the way tests spell out the whole object they expect. */
export function edited<T extends KubeObject>(fixture: T, change: (object: T) => void): T {
  change(fixture);
  return fixture;
}

/** Freezes a value recursively, so any attempt by the code under test to mutate it throws. */
export function deepFreeze<T extends JsonValue | KubeObject>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value as JsonObject)) {
      if (member !== undefined) deepFreeze(member);
    }
    Object.freeze(value);
  }
  return value;
}

/** Narrowing helpers so tests can edit nested fixture members without casts at every step. */
export function at(object: JsonValue | undefined, ...path: (string | number)[]): JsonObject {
  let current: JsonValue | undefined = object;
  for (const step of path) {
    current = Array.isArray(current) ? current[step as number] : (current as JsonObject | undefined)?.[step as string];
  }
  if (typeof current !== 'object' || current === null || Array.isArray(current)) {
    throw new Error(`no object at ${path.join('.')}`);
  }
  return current;
}
