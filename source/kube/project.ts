import type { KubeObject, ObjectMeta } from './types.js';

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

// Pods are most of what the cockpit holds (tens of thousands): keep only the fields the mesh model reads.
function trimPod(pod: KubeObject): KubeObject {
  const spec = (pod['spec'] ?? {}) as Json;
  const status = (pod['status'] ?? {}) as Json;
  const meta = pod.metadata;
  const metadata: ObjectMeta = { name: meta.name, ...(meta.namespace ? { namespace: meta.namespace } : {}) };
  if (meta.deletionTimestamp) metadata.deletionTimestamp = meta.deletionTimestamp;
  if (meta.labels) metadata.labels = meta.labels;
  const inject = meta.annotations?.['sidecar.istio.io/inject'];
  if (inject !== undefined) metadata.annotations = { 'sidecar.istio.io/inject': inject };
  if (meta.ownerReferences) metadata.ownerReferences = meta.ownerReferences.map(({ kind, name, controller }) => ({ kind, name, uid: '', ...(controller ? { controller } : {}) }));
  const ready = ((status['conditions'] as Json[] | undefined) ?? []).find((c) => c['type'] === 'Ready');
  return {
    metadata,
    spec: {
      nodeName: spec['nodeName'],
      containers: ((spec['containers'] as Json[] | undefined) ?? []).map(trimContainer),
      ...(spec['initContainers'] ? { initContainers: (spec['initContainers'] as Json[]).map(trimContainer) } : {}),
    },
    status: {
      phase: status['phase'],
      podIP: status['podIP'],
      conditions: ready ? [{ type: 'Ready', status: ready['status'] }] : [],
      containerStatuses: ((status['containerStatuses'] as Json[] | undefined) ?? []).map((s) => ({ name: s['name'], ready: s['ready'], restartCount: s['restartCount'] })),
    },
  };
}

// Secret values never enter meshdeck's memory: only which keys exist (remote secrets name clusters by key).
function trimSecret(secret: KubeObject): KubeObject {
  const keys = Object.keys({ ...((secret['data'] as Json | undefined) ?? {}), ...((secret['stringData'] as Json | undefined) ?? {}) });
  return { metadata: trimMeta(secret.metadata), type: secret['type'], dataKeys: keys };
}

/** Per-kind trimming applied before objects are cached, by watched-kind id (see watched-kinds.ts). */
export const PROJECTIONS: Record<string, (object: KubeObject) => KubeObject> = {
  pods: trimPod,
  remoteSecrets: trimSecret,
  secrets: trimSecret,
};

export function projectFor(kindId: string): (object: KubeObject) => KubeObject {
  return PROJECTIONS[kindId] ?? ((object) => ({ ...object, metadata: trimMeta(object.metadata) }));
}
