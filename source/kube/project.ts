import { parse } from 'yaml';
import type { KubeObject, ObjectMeta } from './types.js';
import { SharedParts } from './shared-parts.js';
import { summarizePem, type CertificateSummary } from '../pki/fingerprint.js';

// Annotations meshdeck reads; the rest (last-applied-configuration above all) is dropped to keep
// tens of thousands of cached pods small.
const KEPT_ANNOTATIONS = ['sidecar.istio.io/inject', 'sidecar.istio.io/status', 'networking.istio.io/cluster', 'topology.istio.io/controlPlaneClusters', 'deployment.kubernetes.io/revision'];

function trimMeta(meta: ObjectMeta): ObjectMeta {
  const out: ObjectMeta = { name: meta.name };
  if (meta.namespace) out.namespace = meta.namespace;
  if (meta.uid) out.uid = meta.uid;
  if (meta.resourceVersion) out.resourceVersion = meta.resourceVersion;
  if (meta.creationTimestamp) out.creationTimestamp = meta.creationTimestamp;
  if (meta.deletionTimestamp) out.deletionTimestamp = meta.deletionTimestamp;
  if (meta.labels) out.labels = meta.labels;
  if (meta.annotations) {
    const kept: Record<string, string> = {};
    for (const key of KEPT_ANNOTATIONS) if (meta.annotations[key] !== undefined) kept[key] = meta.annotations[key];
    if (Object.keys(kept).length > 0) out.annotations = kept;
  }
  if (meta.ownerReferences) out.ownerReferences = meta.ownerReferences.map(({ kind, name, uid, controller }) => ({ kind, name, uid, ...(controller ? { controller } : {}) }));
  return out;
}

type Json = Record<string, unknown>;

function trimContainer(container: Json): Json {
  // Only the proxy's image matters (its tag is the data-plane version); other images stay in the API server.
  return container['name'] === 'istio-proxy' ? { name: container['name'], image: container['image'] } : { name: container['name'] };
}

// Pods are most of what the cockpit holds (tens of thousands): keep only the fields the mesh model reads,
// with every part that pods repeat (labels, containers, owner, node, conditions) shared between them.
const shared = new SharedParts();

function trimPod(pod: KubeObject): KubeObject {
  const spec = (pod['spec'] ?? {}) as Json;
  const status = (pod['status'] ?? {}) as Json;
  const meta = pod.metadata;
  const metadata: ObjectMeta = { name: meta.name, ...(meta.namespace ? { namespace: shared.text(meta.namespace) } : {}) };
  if (meta.deletionTimestamp) metadata.deletionTimestamp = meta.deletionTimestamp;
  if (meta.labels) metadata.labels = shared.of(meta.labels);
  const inject = meta.annotations?.['sidecar.istio.io/inject'];
  if (inject !== undefined) metadata.annotations = shared.of({ 'sidecar.istio.io/inject': inject });
  if (meta.ownerReferences) metadata.ownerReferences = shared.of(meta.ownerReferences.map(({ kind, name, controller }) => ({ kind, name, uid: '', ...(controller ? { controller } : {}) })));
  const ready = ((status['conditions'] as Json[] | undefined) ?? []).find((c) => c['type'] === 'Ready');
  return {
    metadata,
    spec: shared.of({
      nodeName: spec['nodeName'],
      containers: ((spec['containers'] as Json[] | undefined) ?? []).map(trimContainer),
      ...(spec['initContainers'] ? { initContainers: (spec['initContainers'] as Json[]).map(trimContainer) } : {}),
    }),
    status: {
      phase: shared.text(status['phase'] as string | undefined),
      podIP: status['podIP'],
      conditions: shared.of(ready ? [{ type: 'Ready', status: ready['status'] }] : []),
      containerStatuses: shared.of(((status['containerStatuses'] as Json[] | undefined) ?? []).map((s) => ({ name: s['name'], ready: s['ready'], restartCount: s['restartCount'] }))),
    },
  };
}

// Deployments of the control plane and of gateways are read in depth (istiod's env, the gateway's
// containers); every other Deployment only for its name, labels, replicas and pod template's labels.
function trimDeployment(deployment: KubeObject): KubeObject {
  const metadata = trimMeta(deployment.metadata);
  const spec = (deployment['spec'] ?? {}) as Json;
  const template = (spec['template'] ?? {}) as Json;
  const templateMeta = (template['metadata'] ?? {}) as Json;
  const labels = templateMeta['labels'] as Record<string, string> | undefined;
  if (metadata.namespace === 'istio-system' || labels?.['istio'] !== undefined || metadata.labels?.['istio'] !== undefined) return { ...deployment, metadata };
  const status = (deployment['status'] ?? {}) as Json;
  const podSpec = (template['spec'] ?? {}) as Json;
  const annotations = templateMeta['annotations'] as Record<string, string> | undefined;
  const inject = annotations?.['sidecar.istio.io/inject'];
  return {
    metadata,
    spec: {
      replicas: spec['replicas'],
      selector: shared.of(spec['selector']),
      template: {
        metadata: { ...(labels ? { labels: shared.of(labels) } : {}), ...(inject !== undefined ? { annotations: shared.of({ 'sidecar.istio.io/inject': inject }) } : {}) },
        spec: shared.of({ containers: ((podSpec['containers'] as Json[] | undefined) ?? []).map(trimContainer) }),
      },
    },
    status: { replicas: status['replicas'], readyReplicas: status['readyReplicas'], availableReplicas: status['availableReplicas'], updatedReplicas: status['updatedReplicas'] },
  };
}

// Secret values never enter meshdeck's memory: only which keys exist (remote secrets name clusters by key),
// where each remote secret's kubeconfig points (its server, never its credentials), and summaries of the
// public certificates of Istio's CA secrets (subject, fingerprint, expiry; never a key).
function trimSecret(secret: KubeObject): KubeObject {
  const data = (secret['data'] as Record<string, unknown> | undefined) ?? {};
  const stringData = (secret['stringData'] as Record<string, unknown> | undefined) ?? {};
  const keys = Object.keys({ ...data, ...stringData });
  const out: KubeObject = { metadata: trimMeta(secret.metadata), type: secret['type'], dataKeys: keys };
  const text = (key: string): string | undefined => {
    if (typeof stringData[key] === 'string') return stringData[key] as string;
    return typeof data[key] === 'string' ? Buffer.from(data[key] as string, 'base64').toString('utf8') : undefined;
  };
  if (secret.metadata.labels?.['istio/multiCluster'] === 'true') {
    const servers: Record<string, string> = {};
    for (const key of keys) {
      const server = kubeconfigServer(text(key));
      if (server) servers[key] = server;
    }
    if (Object.keys(servers).length > 0) out['servers'] = servers;
  }
  if (CA_SECRETS.has(secret.metadata.name)) {
    const certificates: Record<string, CertificateSummary[]> = {};
    for (const key of PUBLIC_CA_KEYS) {
      const pem = text(key);
      if (pem) certificates[key] = summarizePem(pem);
    }
    out['certificates'] = certificates;
  }
  return out;
}

/** Istio's CA secrets: a plugged-in CA (`cacerts`) and istiod's self-signed one (`istio-ca-secret`). */
const CA_SECRETS = new Set(['cacerts', 'istio-ca-secret']);
/** Their public parts; ca-key.pem (and any other key) is never read. */
const PUBLIC_CA_KEYS = ['ca-cert.pem', 'root-cert.pem', 'cert-chain.pem'];

/** The API server a kubeconfig's current context points at (else its first cluster's); undefined if unreadable. */
export function kubeconfigServer(text: string | undefined): string | undefined {
  if (!text) return undefined;
  let config: Json;
  try {
    config = parse(text, { logLevel: 'error' }) as Json;
  } catch {
    return undefined;
  }
  if (!config || typeof config !== 'object') return undefined;
  const list = (field: string): Json[] => (Array.isArray(config[field]) ? (config[field] as Json[]).filter((e) => e && typeof e === 'object') : []);
  const context = list('contexts').find((c) => c['name'] === config['current-context'])?.['context'] as Json | undefined;
  const clusters = list('clusters');
  const cluster = (context ? clusters.find((c) => c['name'] === context['cluster']) : undefined) ?? clusters[0];
  const server = (cluster?.['cluster'] as Json | undefined)?.['server'];
  return typeof server === 'string' && server !== '' ? server : undefined;
}

/** Per-kind trimming applied before objects are cached, by watched-kind id (see watched-kinds.ts). */
export const PROJECTIONS: Record<string, (object: KubeObject) => KubeObject> = {
  pods: trimPod,
  deployments: trimDeployment,
  remoteSecrets: trimSecret,
  istioSecrets: trimSecret,
  secrets: trimSecret,
};

export function projectFor(kindId: string): (object: KubeObject) => KubeObject {
  return PROJECTIONS[kindId] ?? ((object) => ({ ...object, metadata: trimMeta(object.metadata) }));
}
