import type { JsonObject, KubeObject } from '../objects.js';
import type { ResourceDef } from '../resources/types.js';
import type { AdmissionContext, Operation } from './context.js';
import { defaultPodSpec } from './pod-defaults.js';
import { defaultService } from './service-defaults.js';

/** The API server's built-in defaulting, per kind. */
export function applyDefaults(op: Operation, def: ResourceDef, object: KubeObject, old: KubeObject | undefined, ctx: AdmissionContext): KubeObject {
  if (def.group === '' && def.kind === 'Pod') return defaultPod(op, object);
  if (def.group === '' && def.kind === 'Service') return defaultService(object, old, ctx);
  if (def.group === '' && def.kind === 'Namespace') return defaultNamespace(object);
  if (def.group === '' && def.kind === 'Secret') return defaultSecret(object);
  if (def.group === 'apps' && (def.kind === 'Deployment' || def.kind === 'ReplicaSet')) return defaultWorkload(def, object);
  return object;
}

function defaultPod(op: Operation, pod: KubeObject): KubeObject {
  const spec = defaultPodSpec((pod['spec'] as JsonObject | undefined) ?? {});
  const status = op === 'CREATE' ? { phase: 'Pending', qosClass: 'BestEffort' } : pod['status'];
  return { ...pod, spec, ...(status ? { status } : {}) };
}

function defaultNamespace(namespace: KubeObject): KubeObject {
  const name = namespace.metadata.name ?? '';
  return {
    ...namespace,
    metadata: { ...namespace.metadata, labels: { ...namespace.metadata.labels, 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'], ...(namespace['spec'] as JsonObject | undefined) },
    status: { phase: 'Active', ...(namespace['status'] as JsonObject | undefined) },
  };
}

// stringData is write-only: the API server folds it into data (base64) and never returns it.
function defaultSecret(secret: KubeObject): KubeObject {
  const { stringData, ...rest } = secret;
  const data: Record<string, string> = { ...((secret['data'] as Record<string, string> | undefined) ?? {}) };
  if (stringData && typeof stringData === 'object') {
    for (const [key, value] of Object.entries(stringData as Record<string, string>)) data[key] = Buffer.from(String(value)).toString('base64');
  }
  const out: KubeObject = { ...rest, type: (secret['type'] as string | undefined) ?? 'Opaque' };
  if (Object.keys(data).length > 0) out['data'] = data;
  return out;
}

function defaultWorkload(def: ResourceDef, workload: KubeObject): KubeObject {
  const spec = { ...((workload['spec'] as JsonObject | undefined) ?? {}) };
  if (spec['replicas'] === undefined) spec['replicas'] = 1;
  if (def.kind === 'Deployment') {
    spec['strategy'] ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
    spec['revisionHistoryLimit'] ??= 10;
    spec['progressDeadlineSeconds'] ??= 600;
  }
  const template = spec['template'] as JsonObject | undefined;
  if (template) {
    spec['template'] = {
      ...template,
      metadata: { creationTimestamp: null, ...((template['metadata'] as JsonObject | undefined) ?? {}) },
      spec: defaultPodSpec((template['spec'] as JsonObject | undefined) ?? {}),
    };
  }
  return { ...workload, spec };
}
