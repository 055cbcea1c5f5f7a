import type { ClusterSnapshot } from '../../source/kube/cluster-session.js';
import type { KindId } from '../../source/kube/watched-kinds.js';
import type { KubeObject } from '../../source/kube/types.js';
import { objectKey } from '../../source/kube/resource-cache.js';
import { projectFor } from '../../source/kube/project.js';

/** A fixed clock for every derivation test: 2025-06-01T12:00:00Z. */
export const NOW = Date.parse('2025-06-01T12:00:00Z');

const KIND_IDS: KindId[] = ['namespaces', 'pods', 'deployments', 'services', 'istioConfigMaps', 'remoteSecrets', 'gateways'];

export type SnapshotInput = Partial<Omit<ClusterSnapshot, 'kinds' | 'name'>> & {
  name?: string;
  objects?: Partial<Record<KindId, KubeObject[]>>;
  /** Per-kind cache versions (default 1), for tests of the derivation cache. */
  versions?: Partial<Record<KindId, number>>;
};

/**
 * A ClusterSnapshot as ClusterSession would hand it out: objects keyed namespace/name and trimmed by the
 * same projection the reflector applies, so tests see exactly what the derivations see in production.
 */
export function snapshot(input: SnapshotInput = {}): ClusterSnapshot {
  const { name = 'east', objects = {}, versions = {}, ...rest } = input;
  const kinds = {} as ClusterSnapshot['kinds'];
  for (const id of KIND_IDS) {
    const project = projectFor(id);
    const items = new Map<string, KubeObject>();
    for (const object of objects[id] ?? []) items.set(objectKey(object), project(structuredClone(object)));
    kinds[id] = { version: versions[id] ?? 1, items };
  }
  return { server: `https://${name}.example:6443`, state: 'synced', kubernetesVersion: 'v1.32.4', ...rest, name, kinds };
}

// ---- Kubernetes objects, shaped as an API server returns them ----

export function namespace(name: string, labels: Record<string, string> = {}, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, uid: `uid-ns-${name}`, resourceVersion: '10', creationTimestamp: '2025-05-01T00:00:00Z', labels: { 'kubernetes.io/metadata.name': name, ...labels }, ...(annotations ? { annotations } : {}) },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export interface PodInput {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** The controlling owner, e.g. { kind: 'ReplicaSet', name: 'reviews-v1-5d8f9c7b4' }. */
  owner?: { kind: string; name: string };
  containers?: string[];
  initContainers?: string[];
  ready?: boolean;
  restarts?: number[];
  phase?: string;
  image?: string;
}

export function pod(input: PodInput): KubeObject {
  const { name, namespace: ns = 'default', labels = {}, annotations, owner, containers = ['app'], initContainers, ready = true, restarts, phase = 'Running', image = 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.2' } = input;
  const container = (c: string) => ({
    name: c,
    image: c === 'istio-proxy' ? 'docker.io/istio/proxyv2:1.24.2' : image,
    ports: c === 'istio-proxy' ? [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }] : [{ containerPort: 9080, protocol: 'TCP' }],
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    imagePullPolicy: 'IfNotPresent',
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      uid: `uid-pod-${ns}-${name}`,
      resourceVersion: '4242',
      creationTimestamp: '2025-06-01T10:00:00Z',
      labels,
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-06-01T09:59:00Z', ...annotations },
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: `uid-${owner.name}`, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: {
      nodeName: 'east-node-1',
      serviceAccountName: 'default',
      containers: containers.map(container),
      ...(initContainers ? { initContainers: initContainers.map((c) => ({ ...container(c), ...(c === 'istio-proxy' ? { restartPolicy: 'Always' } : {}) })) } : {}),
    },
    status: {
      phase,
      podIP: '10.244.1.17',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: ready ? 'True' : 'False' },
        { type: 'ContainersReady', status: ready ? 'True' : 'False' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: containers.map((c, i) => ({ name: c, ready, restartCount: restarts?.[i] ?? 0, state: { running: { startedAt: '2025-06-01T10:00:05Z' } }, image: container(c).image })),
    },
  };
}

/** A pod made by a Deployment's ReplicaSet: owner `<deployment>-<hash>` and the matching pod-template-hash label. */
export function deploymentPod(deployment: string, suffix: string, input: Omit<PodInput, 'name' | 'owner'> = {}, hash = '7d4b9c8f6d'): KubeObject {
  return pod({ ...input, name: `${deployment}-${hash}-${suffix}`, labels: { ...input.labels, 'pod-template-hash': hash }, owner: { kind: 'ReplicaSet', name: `${deployment}-${hash}` } });
}

export interface DeploymentInput {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  podLabels: Record<string, string>;
  replicas?: number;
  readyReplicas?: number;
  containers?: { name: string; image: string; env?: { name: string; value: string }[] }[];
}

export function deployment(input: DeploymentInput): KubeObject {
  const { name, namespace: ns = 'default', labels = {}, podLabels, replicas = 1, readyReplicas = replicas, containers = [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.2' }] } = input;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, uid: `uid-deploy-${ns}-${name}`, resourceVersion: '777', generation: 1, labels, annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: {
      replicas,
      selector: { matchLabels: podLabels },
      template: { metadata: { labels: podLabels, annotations: { 'prometheus.io/port': '15020' } }, spec: { containers } },
    },
    status: { observedGeneration: 1, replicas, updatedReplicas: replicas, ...(readyReplicas > 0 ? { readyReplicas, availableReplicas: readyReplicas } : {}) },
  };
}

export function service(name: string, ns: string, spec: Record<string, unknown>, status: Record<string, unknown> = { loadBalancer: {} }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, uid: `uid-svc-${ns}-${name}`, resourceVersion: '900' },
    spec: { clusterIP: '10.96.12.34', clusterIPs: ['10.96.12.34'], sessionAffinity: 'None', ...spec },
    status,
  };
}

export function configMap(name: string, ns: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, uid: `uid-cm-${name}`, resourceVersion: '55' }, data };
}

/** An Istio remote secret as `istioctl create-remote-secret` writes it (label, annotation, one key per cluster). */
export function remoteSecret(clusterId: string, options: { annotate?: boolean; name?: string } = {}): KubeObject {
  const { annotate = true, name = `istio-remote-secret-${clusterId}` } = options;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace: 'istio-system',
      uid: `uid-secret-${clusterId}`,
      resourceVersion: '66',
      labels: { 'istio/multiCluster': 'true' },
      ...(annotate ? { annotations: { 'networking.istio.io/cluster': clusterId } } : {}),
    },
    type: 'Opaque',
    data: { [clusterId]: Buffer.from(`apiVersion: v1\nkind: Config\nusers:\n- name: ${clusterId}\n  user:\n    token: s3cr3t-token-${clusterId}\n`).toString('base64') },
  };
}

export function istioGateway(name: string, ns: string, selector: Record<string, string>, port = 443): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: ns, uid: `uid-gw-${ns}-${name}`, resourceVersion: '91' },
    spec: { selector, servers: [{ port: { number: port, name: 'https', protocol: 'HTTPS' }, hosts: ['*'], tls: { mode: 'SIMPLE', credentialName: 'cert' } }] },
  };
}
