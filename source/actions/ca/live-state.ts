import { KubeRequestError } from '../../kube/errors.js';
import { CACERTS_SECRET, ISTIO_NAMESPACE, ROOT_CONFIGMAP, SELF_SIGNED_SECRET, type KubeApi } from './types.js';

/** A secret as read for checking: its metadata and decoded values. Never put into a plan or a log. */
export interface LiveSecret {
  resourceVersion: string;
  creationTimestamp?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  type?: string;
  /** Decoded values (UTF-8 text). */
  data: Record<string, string>;
}

export interface IstiodDeployment {
  name: string;
  generation: number;
  restartedAt?: string;
  replicas: number;
}

export interface IstiodPod {
  name: string;
  createdAt: string;
  ready: boolean;
}

/** What a cluster holds of its Istio CA, read once before planning or verifying. */
export interface CaLiveState {
  cluster: string;
  istioNamespace: boolean;
  cacerts?: LiveSecret | 'forbidden';
  selfSigned?: LiveSecret | 'forbidden';
  /** istio-system/istio-ca-root-cert: the root bundle istiod distributes. */
  rootConfigMap?: { resourceVersion: string; rootCertPem: string };
  istiods: IstiodDeployment[];
  istiodPods: IstiodPod[];
}

interface KubeObject {
  metadata: { name: string; resourceVersion?: string; creationTimestamp?: string; deletionTimestamp?: string; generation?: number; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

const notFound = (error: unknown) => error instanceof KubeRequestError && error.status === 404;
const forbidden = (error: unknown) => error instanceof KubeRequestError && error.status === 403;

async function getOptional<T>(api: KubeApi, path: string): Promise<T | undefined> {
  try {
    return await api.requestJson<T>(path);
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}

export const secretPath = (name: string) => `/api/v1/namespaces/${ISTIO_NAMESPACE}/secrets/${name}`;
export const configMapPath = (name: string) => `/api/v1/namespaces/${ISTIO_NAMESPACE}/configmaps/${name}`;
export const deploymentPath = (name: string) => `/apis/apps/v1/namespaces/${ISTIO_NAMESPACE}/deployments/${name}`;

export function decodeSecret(object: KubeObject): LiveSecret {
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries((object['data'] as Record<string, string> | undefined) ?? {})) data[key] = Buffer.from(value, 'base64').toString('utf8');
  return {
    resourceVersion: object.metadata.resourceVersion ?? '',
    ...(object.metadata.creationTimestamp ? { creationTimestamp: object.metadata.creationTimestamp } : {}),
    labels: object.metadata.labels ?? {},
    annotations: object.metadata.annotations ?? {},
    ...(typeof object['type'] === 'string' ? { type: object['type'] } : {}),
    data,
  };
}

async function readSecret(api: KubeApi, name: string): Promise<LiveSecret | 'forbidden' | undefined> {
  try {
    const object = await getOptional<KubeObject>(api, secretPath(name));
    return object ? decodeSecret(object) : undefined;
  } catch (error) {
    if (forbidden(error)) return 'forbidden';
    throw error;
  }
}

/**
 * Reads istio-system's CA objects: `cacerts`, istiod's self-signed `istio-ca-secret`, the
 * `istio-ca-root-cert` ConfigMap, and istiod's Deployments and pods. Network failures throw
 * (KubeRequestError or a Node error); describeError turns them into one line.
 */
export async function readCaState(cluster: string, api: KubeApi): Promise<CaLiveState> {
  const namespace = await getOptional<KubeObject>(api, `/api/v1/namespaces/${ISTIO_NAMESPACE}`).catch((error: unknown) => {
    // Without namespace access, the objects inside may still be readable.
    if (forbidden(error)) return { metadata: { name: ISTIO_NAMESPACE } } as KubeObject;
    throw error;
  });
  if (!namespace) return { cluster, istioNamespace: false, istiods: [], istiodPods: [] };
  const selector = `?labelSelector=${encodeURIComponent('app=istiod')}`;
  const [cacerts, selfSigned, configMap, deployments, pods] = await Promise.all([
    readSecret(api, CACERTS_SECRET),
    readSecret(api, SELF_SIGNED_SECRET),
    getOptional<KubeObject>(api, configMapPath(ROOT_CONFIGMAP)).catch((error: unknown) => (forbidden(error) ? undefined : Promise.reject(error))),
    api.requestJson<{ items: KubeObject[] }>(`/apis/apps/v1/namespaces/${ISTIO_NAMESPACE}/deployments${selector}`).catch((error: unknown) => (forbidden(error) ? { items: [] } : Promise.reject(error))),
    api.requestJson<{ items: KubeObject[] }>(`/api/v1/namespaces/${ISTIO_NAMESPACE}/pods${selector}`).catch((error: unknown) => (forbidden(error) ? { items: [] } : Promise.reject(error))),
  ]);
  const rootCertPem = (configMap?.['data'] as Record<string, string> | undefined)?.['root-cert.pem'];
  return {
    cluster,
    istioNamespace: true,
    ...(cacerts ? { cacerts } : {}),
    ...(selfSigned ? { selfSigned } : {}),
    ...(configMap && rootCertPem !== undefined ? { rootConfigMap: { resourceVersion: configMap.metadata.resourceVersion ?? '', rootCertPem } } : {}),
    istiods: deployments.items.map(istiodDeployment).sort((a, b) => a.name.localeCompare(b.name)),
    istiodPods: pods.items.filter((p) => !p.metadata.deletionTimestamp).map(istiodPod).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

function istiodDeployment(object: KubeObject): IstiodDeployment {
  const spec = (object['spec'] ?? {}) as { replicas?: number; template?: { metadata?: { annotations?: Record<string, string> } } };
  const restartedAt = spec.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];
  return { name: object.metadata.name, generation: object.metadata.generation ?? 0, replicas: spec.replicas ?? 1, ...(restartedAt ? { restartedAt } : {}) };
}

function istiodPod(object: KubeObject): IstiodPod {
  const status = (object['status'] ?? {}) as { conditions?: { type: string; status: string }[] };
  const ready = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  return { name: object.metadata.name, createdAt: object.metadata.creationTimestamp ?? '', ready };
}
