import type { CertificateSummary } from '../../source/pki/fingerprint.js';
import type { ExtraKindId, KindId } from '../../source/kube/watched-kinds.js';
import type { KubeObject } from '../../source/kube/types.js';
import type { RemoteClusterStatus } from '../../source/kube/cluster-session.js';
import { objectKey } from '../../source/kube/resource-cache.js';
import { projectFor } from '../../source/kube/project.js';
import { DerivationCache, deriveMeshModel } from '../../source/mesh/model.js';
import { runDoctor, type Check, type DoctorSnapshot, type Finding, type ProxyLogEvidence } from '../../source/mesh/doctor/index.js';
import { configMap, deployment, namespace, NOW, service, snapshot, type SnapshotInput } from './snapshot.js';

// Builders for the mesh doctor's tests: small Istio installations as the API returns them, on top of
// test/helpers/snapshot.ts, plus the kinds the doctor added (projected like the reflector does).

export { NOW };

export const ISTIO_VERSION = '1.27.3';

/** The API server address snapshot() gives a cluster (what a remote secret's kubeconfig names). */
export const serverOf = (name: string) => `https://${name}.example:6443`;

export interface ClusterSpec {
  name: string;
  role?: 'primary' | 'remote' | 'none';
  clusterId?: string;
  network?: string;
  /** Whether istio-system carries topology.istio.io/network (default: when there is a network). */
  networkLabel?: boolean;
  meshId?: string;
  trustDomain?: string;
  /** istiod's version (pilot image tag). */
  version?: string;
  /** For remotes: the cluster IDs in topology.istio.io/controlPlaneClusters. */
  controlPlanes?: string[];
  /** Remote secrets this cluster holds: cluster ID → server (default: the cluster of that name). */
  remoteSecrets?: { clusterId: string; server?: string; secretName?: string }[];
  /** What istiod reports in /debug/clusterz (its own entry is added). */
  clusterz?: Record<string, string>;
  /** cacerts as the projection keeps it (certificate summaries per key); undefined: no cacerts. */
  cacerts?: Record<string, CertificateSummary[]>;
  /** istio-ca-secret (istiod's self-signed CA). */
  selfSigned?: Record<string, CertificateSummary[]>;
  rootCertificate?: CertificateSummary;
  gateways?: ('ingress' | 'eastwest')[];
  /** expose-services.yaml's cross-network-gateway (15443 AUTO_PASSTHROUGH). */
  crossNetwork?: boolean;
  objects?: Partial<Record<KindId | ExtraKindId, KubeObject[]>>;
  proxyLogs?: ProxyLogEvidence[];
  snapshot?: Omit<SnapshotInput, 'name' | 'objects'>;
}

/** A certificate summary as the projection keeps it; self-signed unless an issuer subject is given. */
export function cert(name: string, notAfter = '2035-01-01T00:00:00.000Z', issuer = `O=Istio, CN=${name}`): CertificateSummary {
  const hex = [...name].map((c) => c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
  const fingerprint = Array.from({ length: 32 }, (_, i) => hex[i % hex.length]!).join(':');
  return { fingerprint, subject: `O=Istio, CN=${name}`, issuer, notAfter };
}

/** cacerts of a plugged-in CA: an intermediate for `cluster` under `root`. */
export function cacerts(root: CertificateSummary, cluster: string, intermediateNotAfter?: string): Record<string, CertificateSummary[]> {
  const intermediate = cert(`Intermediate CA ${cluster}`, intermediateNotAfter, root.subject);
  return { 'ca-cert.pem': [intermediate], 'cert-chain.pem': [intermediate, root], 'root-cert.pem': [root] };
}

function istiod(spec: ClusterSpec): KubeObject {
  return deployment({
    name: 'istiod',
    namespace: 'istio-system',
    labels: { app: 'istiod', istio: 'pilot' },
    podLabels: { app: 'istiod', istio: 'pilot' },
    containers: [{ name: 'discovery', image: `docker.io/istio/pilot:${spec.version ?? ISTIO_VERSION}`, env: [{ name: 'CLUSTER_ID', value: spec.clusterId ?? spec.name }] }],
  });
}

function injector(spec: ClusterSpec): KubeObject {
  const global = { meshID: spec.meshId ?? 'mesh1', multiCluster: { clusterName: spec.clusterId ?? spec.name }, ...(spec.network ? { network: spec.network } : {}) };
  return configMap('istio-sidecar-injector', 'istio-system', { config: 'policy: enabled\n', values: JSON.stringify({ global }) });
}

function meshConfig(spec: ClusterSpec): KubeObject {
  return configMap('istio', 'istio-system', { mesh: `defaultConfig:\n  meshId: ${spec.meshId ?? 'mesh1'}\ntrustDomain: ${spec.trustDomain ?? 'cluster.local'}\n` });
}

const GATEWAY_PORTS = {
  ingress: [
    { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP' },
    { name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP' },
    { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
  ],
  eastwest: [
    { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP' },
    { name: 'tls', port: 15443, targetPort: 15443, protocol: 'TCP' },
    { name: 'tls-istiod', port: 15012, targetPort: 15012, protocol: 'TCP' },
    { name: 'tls-webhook', port: 15017, targetPort: 15017, protocol: 'TCP' },
  ],
};

/** A gateway Deployment, its Service (ports as Istio's charts lay them out) and one Running pod. */
export function gateway(kind: 'ingress' | 'eastwest', options: { ports?: number[]; ready?: boolean; version?: string } = {}): { deployment: KubeObject; service: KubeObject; pod: KubeObject } {
  const name = kind === 'ingress' ? 'istio-ingressgateway' : 'istio-eastwestgateway';
  const labels = { app: name, istio: kind === 'ingress' ? 'ingressgateway' : 'eastwestgateway' };
  const ports = GATEWAY_PORTS[kind].filter((p) => !options.ports || options.ports.includes(p.port));
  const ready = options.ready ?? true;
  const image = `docker.io/istio/proxyv2:${options.version ?? ISTIO_VERSION}`;
  return {
    deployment: deployment({ name, namespace: 'istio-system', podLabels: labels, readyReplicas: ready ? 1 : 0, containers: [{ name: 'istio-proxy', image }] }),
    service: service(name, 'istio-system', { type: 'LoadBalancer', selector: labels, ports }),
    pod: proxyPod({ name: `${name}-7d4b9c8f6d-aaaaa`, namespace: 'istio-system', owner: name, labels, ready, sidecarOnly: true, version: options.version }),
  };
}

/** A Running pod of a Deployment's ReplicaSet, with or without an istio-proxy container. */
export function proxyPod(input: { name: string; namespace: string; owner: string; labels?: Record<string, string>; ready?: boolean; sidecar?: boolean; sidecarOnly?: boolean; version?: string }): KubeObject {
  const { ready = true, sidecar = true, sidecarOnly = false } = input;
  const hash = '7d4b9c8f6d';
  const containers = sidecarOnly ? ['istio-proxy'] : sidecar ? ['app', 'istio-proxy'] : ['app'];
  const image = (c: string) => (c === 'istio-proxy' ? `docker.io/istio/proxyv2:${input.version ?? ISTIO_VERSION}` : 'example/app:1');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      labels: { ...input.labels, 'pod-template-hash': hash },
      ownerReferences: [{ kind: 'ReplicaSet', name: `${input.owner}-${hash}`, uid: `uid-rs-${input.owner}`, controller: true }],
    },
    spec: { nodeName: 'node-1', containers: containers.map((c) => ({ name: c, image: image(c) })) },
    status: {
      phase: 'Running',
      podIP: '10.244.1.2',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: containers.map((c) => ({ name: c, ready: c === 'istio-proxy' ? ready : true, restartCount: 0 })),
    },
  };
}

/** An Istio remote secret as istioctl writes it, whose kubeconfig points at `server`. */
export function remoteSecretFor(clusterId: string, server: string, secretName = `istio-remote-secret-${clusterId}`): KubeObject {
  const kubeconfig = `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: Q0EK\n    server: ${server}\n  name: ${clusterId}\ncontexts:\n- context:\n    cluster: ${clusterId}\n    user: ${clusterId}\n  name: ${clusterId}\ncurrent-context: ${clusterId}\nusers:\n- name: ${clusterId}\n  user:\n    token: s3cr3t-${clusterId}\n`;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName, namespace: 'istio-system', labels: { 'istio/multiCluster': 'true' }, annotations: { 'networking.istio.io/cluster': clusterId } },
    type: 'Opaque',
    data: { [clusterId]: Buffer.from(kubeconfig).toString('base64') },
  };
}

/** A Secret already in the shape the projection caches (certificate summaries, no data). */
function projectedCaSecret(name: string, certificates: Record<string, CertificateSummary[]>): KubeObject {
  return { metadata: { name, namespace: 'istio-system' }, type: 'Opaque', dataKeys: [...Object.keys(certificates), 'ca-key.pem'], certificates };
}

/** One cluster of a test mesh. */
export function meshCluster(spec: ClusterSpec): DoctorSnapshot {
  const role = spec.role ?? 'primary';
  const objects: Partial<Record<KindId | ExtraKindId, KubeObject[]>> = {};
  const add = (kind: KindId | ExtraKindId, ...items: KubeObject[]) => (objects[kind] = [...(objects[kind] ?? []), ...items]);
  const nsLabels: Record<string, string> = spec.network && spec.networkLabel !== false ? { 'topology.istio.io/network': spec.network } : {};
  const annotations = role === 'remote' ? { 'topology.istio.io/controlPlaneClusters': (spec.controlPlanes ?? ['east']).join(',') } : undefined;
  add('namespaces', namespace('default'), namespace('kube-system'));
  if (role !== 'none') {
    add('namespaces', namespace('istio-system', nsLabels, annotations));
    add('istioConfigMaps', injector(spec), meshConfig(spec));
    if (role === 'primary') add('deployments', istiod(spec));
    for (const kind of spec.gateways ?? []) {
      const gw = gateway(kind, { ...(spec.version ? { version: spec.version } : {}) });
      add('deployments', gw.deployment);
      add('services', gw.service);
      add('pods', gw.pod);
    }
    if (spec.crossNetwork) add('gateways', crossNetworkGateway());
    for (const entry of spec.remoteSecrets ?? []) add('remoteSecrets', remoteSecretFor(entry.clusterId, entry.server ?? serverOf(entry.clusterId), entry.secretName));
  }
  for (const [kind, items] of Object.entries(spec.objects ?? {})) add(kind as KindId, ...(items ?? []));
  const base = snapshot({ name: spec.name, objects: objects as SnapshotInput['objects'], ...spec.snapshot });
  const extra: Partial<Record<ExtraKindId, KubeObject[]>> = {
    istioSecrets: [
      ...(spec.cacerts ? [projectedCaSecret('cacerts', spec.cacerts)] : []),
      ...(spec.selfSigned ? [projectedCaSecret('istio-ca-secret', spec.selfSigned)] : []),
      ...(objects.remoteSecrets ?? []),
      ...(objects.istioSecrets ?? []),
    ],
    virtualServices: objects.virtualServices ?? [],
    destinationRules: objects.destinationRules ?? [],
    serviceEntries: objects.serviceEntries ?? [],
  };
  const kinds = { ...base.kinds } as DoctorSnapshot['kinds'];
  for (const [id, items] of Object.entries(extra) as [ExtraKindId, KubeObject[]][]) {
    const project = projectFor(id);
    // Objects already in the cached shape (dataKeys) are kept as they are.
    kinds[id] = { version: 1, items: new Map(items.map((o) => [objectKey(o), o['dataKeys'] ? o : project(structuredClone(o))])) };
  }
  const clusterz: RemoteClusterStatus[] | undefined =
    role === 'primary' && spec.clusterz ? [{ id: spec.clusterId ?? spec.name, syncStatus: 'synced', secretName: '' }, ...Object.entries(spec.clusterz).map(([id, syncStatus]) => ({ id, syncStatus, secretName: `istio-system/istio-remote-secret-${id}` }))] : undefined;
  return {
    ...base,
    kinds,
    ...(spec.rootCertificate ? { rootCertificate: spec.rootCertificate } : {}),
    ...(clusterz ? { istiodClusters: clusterz } : {}),
    ...(spec.proxyLogs ? { proxyLogs: spec.proxyLogs } : {}),
  };
}

export function crossNetworkGateway(options: { mode?: string; port?: number } = {}): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'cross-network-gateway', namespace: 'istio-system' },
    spec: { selector: { istio: 'eastwestgateway' }, servers: [{ port: { number: options.port ?? 15443, name: 'tls', protocol: 'TLS' }, tls: { mode: options.mode ?? 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }] },
  };
}

/**
 * The healthy reference mesh: primary east (network1) and remote west (network2), one root, west joined
 * and synced, east-west gateways passing 15443 through. Checks must find nothing here.
 */
export function healthyMesh(overrides: { east?: Partial<ClusterSpec>; west?: Partial<ClusterSpec> } = {}): DoctorSnapshot[] {
  const root = cert('Root CA');
  return [
    meshCluster({ name: 'east', network: 'network1', gateways: ['ingress', 'eastwest'], crossNetwork: true, remoteSecrets: [{ clusterId: 'west' }], clusterz: { west: 'synced' }, cacerts: cacerts(root, 'east'), rootCertificate: root, ...overrides.east }),
    meshCluster({ name: 'west', role: 'remote', network: 'network2', controlPlanes: ['east'], gateways: ['ingress', 'eastwest'], crossNetwork: true, cacerts: cacerts(root, 'west'), rootCertificate: root, ...overrides.west }),
  ];
}

/** Runs one family of checks (or all of them) the way runDoctor does. */
export function check(snapshots: DoctorSnapshot[], family?: Check, now = NOW): Finding[] {
  const model = deriveMeshModel(snapshots, now, new DerivationCache());
  return family ? family(snapshots, model, now) : runDoctor(snapshots, model, now);
}

/** `code cluster object` of each finding, for compact assertions. */
export function summary(findings: Finding[]): string[] {
  return findings.map((f) => `${f.code} ${f.cluster} ${f.object}`);
}
