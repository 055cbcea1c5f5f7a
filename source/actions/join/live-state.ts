import { parse } from 'yaml';
import { describeError, KubeRequestError } from '../../kube/errors.js';
import { readCaState, type CaLiveState } from '../ca/live-state.js';
import { collectionPath, CROSS_NETWORK_REF, ISTIOD_GATEWAY_REF, ISTIOD_VS_REF, objectPath, READER_ACCOUNT_REF, READER_BINDING_REF, READER_ROLE_REF, READER_TOKEN_REF } from './objects.js';
import { remoteSecretEntries, type RemoteSecretEntry } from './remote-secret.js';
import { EASTWEST_SERVICE, ISTIO_NAMESPACE, MULTICLUSTER_SECRET_LABEL, NETWORK_LABEL, type KubeApi, type ObjectRef } from './types.js';

/** An object's identity and marks, as read before planning. */
export interface LiveObject {
  name: string;
  namespace?: string;
  resourceVersion: string;
  uid?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** A token Secret: its values are kept in memory for comparing, never put into a plan. */
export interface LiveTokenSecret extends LiveObject {
  type?: string;
  token?: string;
  caPem?: string;
}

export interface LiveRemoteSecret extends LiveObject {
  entries: RemoteSecretEntry[];
}

/** What one cluster says about everything a join depends on. */
export interface ClusterFacts {
  cluster: string;
  /** The API server address the kubeconfig uses. */
  server: string;
  /** Why the cluster could not be read (then nothing else is known). */
  error?: string;
  version?: { major: number; minor: number; gitVersion: string };
  namespace?: LiveObject;
  istiod?: { name: string; pods: number; readyPods: number; env: Record<string, string> };
  identity: { clusterId?: string; network?: string; meshId?: string; trustDomain?: string };
  eastWest?: { ports: number[]; address?: string };
  readerAccount?: LiveObject & { secrets: string[] };
  readerRole?: LiveObject;
  readerBinding?: LiveObject;
  readerToken?: LiveTokenSecret;
  /** istiod-gateway, istiod-vs and cross-network-gateway, by `Kind/name`. */
  exposure: Record<string, LiveObject>;
  /** Secrets labelled istio/multiCluster=true in istio-system. */
  remoteSecrets: LiveRemoteSecret[];
  ca?: CaLiveState;
  /** Istio's networking API is served (its CRDs are installed), so Gateways can be created. */
  istioApi: boolean;
}

export interface JoinState {
  primary: ClusterFacts;
  remote: ClusterFacts;
}

type Json = Record<string, unknown>;
interface KubeObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string; labels?: Record<string, string>; annotations?: Record<string, string>; deletionTimestamp?: string };
  [key: string]: unknown;
}

export const exposureKey = (ref: ObjectRef) => `${ref.kind}/${ref.name}`;
const EXPOSURE_REFS = [ISTIOD_GATEWAY_REF, ISTIOD_VS_REF, CROSS_NETWORK_REF];

export function liveObject(object: KubeObject): LiveObject {
  const m = object.metadata;
  return { name: m.name, ...(m.namespace ? { namespace: m.namespace } : {}), resourceVersion: m.resourceVersion ?? '', ...(m.uid ? { uid: m.uid } : {}), labels: m.labels ?? {}, annotations: m.annotations ?? {} };
}

async function getOptional(api: KubeApi, path: string): Promise<KubeObject | undefined> {
  try {
    return await api.requestJson<KubeObject>(path);
  } catch (error) {
    if (error instanceof KubeRequestError && error.status === 404) return undefined;
    throw error;
  }
}

const decode = (value: unknown) => (typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : undefined);

/** Reads both clusters side by side; a cluster that cannot be read is reported in its facts, not thrown. */
export async function readJoinState(primary: { cluster: string; server: string; api: KubeApi }, remote: { cluster: string; server: string; api: KubeApi }): Promise<JoinState> {
  const [p, r] = await Promise.all([readClusterFacts(primary.cluster, primary.server, primary.api), readClusterFacts(remote.cluster, remote.server, remote.api)]);
  return { primary: p, remote: r };
}

export async function readClusterFacts(cluster: string, server: string, api: KubeApi): Promise<ClusterFacts> {
  const facts: ClusterFacts = { cluster, server, identity: {}, exposure: {}, remoteSecrets: [], istioApi: false };
  try {
    const version = await api.requestJson<{ major?: string; minor?: string; gitVersion?: string }>('/version');
    facts.version = { major: parseInt(version.major ?? '0', 10) || 0, minor: parseInt(version.minor ?? '0', 10) || 0, gitVersion: version.gitVersion ?? '' };
    const namespace = await getOptional(api, `/api/v1/namespaces/${ISTIO_NAMESPACE}`);
    if (namespace) facts.namespace = liveObject(namespace);
    if (!namespace) return facts;
    const selector = (s: string) => `?labelSelector=${encodeURIComponent(s)}`;
    const exposed = Promise.all(EXPOSURE_REFS.map((ref) => getOptional(api, objectPath(ref))));
    const [istioApi, deployments, pods, injector, mesh, eastWest, account, role, binding, token, secrets, ca] = await Promise.all([
      getOptional(api, '/apis/networking.istio.io/v1'),
      api.requestJson<{ items: KubeObject[] }>(`/apis/apps/v1/namespaces/${ISTIO_NAMESPACE}/deployments${selector('app=istiod')}`),
      api.requestJson<{ items: KubeObject[] }>(`/api/v1/namespaces/${ISTIO_NAMESPACE}/pods${selector('app=istiod')}`),
      getOptional(api, `/api/v1/namespaces/${ISTIO_NAMESPACE}/configmaps/istio-sidecar-injector`),
      getOptional(api, `/api/v1/namespaces/${ISTIO_NAMESPACE}/configmaps/istio`),
      getOptional(api, `/api/v1/namespaces/${ISTIO_NAMESPACE}/services/${EASTWEST_SERVICE}`),
      getOptional(api, objectPath(READER_ACCOUNT_REF)),
      getOptional(api, objectPath(READER_ROLE_REF)),
      getOptional(api, objectPath(READER_BINDING_REF)),
      getOptional(api, objectPath(READER_TOKEN_REF)),
      api.requestJson<{ items: KubeObject[] }>(`${collectionPath({ kind: 'Secret', namespace: ISTIO_NAMESPACE })}${selector(`${MULTICLUSTER_SECRET_LABEL}=true`)}`),
      readCaState(cluster, api),
    ]);
    const exposure = await exposed;
    const istiod = deployments.items.find((d) => d.metadata.name === 'istiod') ?? [...deployments.items].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
    if (istiod) {
      const live = pods.items.filter((pod) => !pod.metadata.deletionTimestamp);
      const ready = live.filter((pod) => ((pod['status'] as Json | undefined)?.['conditions'] as { type: string; status: string }[] | undefined)?.some((c) => c.type === 'Ready' && c.status === 'True'));
      facts.istiod = { name: istiod.metadata.name, pods: live.length, readyPods: ready.length, env: containerEnv(istiod) };
    }
    facts.identity = identity(facts, injector, mesh);
    if (eastWest) facts.eastWest = gatewayFacts(eastWest);
    if (account) facts.readerAccount = { ...liveObject(account), secrets: ((account['secrets'] as { name?: string }[] | undefined) ?? []).map((s) => s.name ?? '').filter(Boolean) };
    if (role) facts.readerRole = liveObject(role);
    if (binding) facts.readerBinding = liveObject(binding);
    if (token) {
      const data = (token['data'] as Record<string, string> | undefined) ?? {};
      const value = decode(data['token']);
      const caPem = decode(data['ca.crt']);
      facts.readerToken = { ...liveObject(token), ...(typeof token['type'] === 'string' ? { type: token['type'] } : {}), ...(value ? { token: value } : {}), ...(caPem ? { caPem } : {}) };
    }
    for (const object of secrets.items) {
      const data = Object.fromEntries(Object.entries((object['data'] as Record<string, string> | undefined) ?? {}).map(([k, v]) => [k, decode(v) ?? '']));
      facts.remoteSecrets.push({ ...liveObject(object), entries: remoteSecretEntries(data) });
    }
    facts.ca = ca;
    facts.istioApi = istioApi !== undefined;
    EXPOSURE_REFS.forEach((ref, index) => {
      const object = exposure[index];
      if (object) facts.exposure[exposureKey(ref)] = liveObject(object);
    });
  } catch (error) {
    facts.error = describeError(error);
  }
  return facts;
}

function containerEnv(deployment: KubeObject): Record<string, string> {
  const containers = (((deployment['spec'] as Json | undefined)?.['template'] as Json | undefined)?.['spec'] as Json | undefined)?.['containers'] as Json[] | undefined;
  const env: Record<string, string> = {};
  for (const container of containers ?? []) {
    for (const entry of (container['env'] as Json[] | undefined) ?? []) if (typeof entry['name'] === 'string' && typeof entry['value'] === 'string') env[entry['name']] = entry['value'];
  }
  return env;
}

/** Where Istio keeps a cluster's identity: injector values, istiod's CLUSTER_ID, mesh config, the namespace label. */
function identity(facts: ClusterFacts, injector: KubeObject | undefined, mesh: KubeObject | undefined): ClusterFacts['identity'] {
  const parseText = (text: unknown): Json | undefined => {
    if (typeof text !== 'string') return undefined;
    try {
      const value = parse(text) as unknown;
      return value && typeof value === 'object' ? (value as Json) : undefined;
    } catch {
      return undefined;
    }
  };
  const values = parseText((injector?.['data'] as Json | undefined)?.['values']);
  const global = (values?.['global'] as Json | undefined) ?? {};
  const meshConfig = parseText((mesh?.['data'] as Json | undefined)?.['mesh']) ?? {};
  const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const out: ClusterFacts['identity'] = {};
  const clusterId = facts.istiod?.env['CLUSTER_ID'] ?? str((global['multiCluster'] as Json | undefined)?.['clusterName']);
  const network = facts.namespace?.labels[NETWORK_LABEL] ?? str(global['network']);
  const meshId = str(global['meshID']) ?? str((meshConfig['defaultConfig'] as Json | undefined)?.['meshId']);
  const trustDomain = str(meshConfig['trustDomain']);
  if (clusterId) out.clusterId = clusterId;
  if (network) out.network = network;
  if (meshId) out.meshId = meshId;
  if (trustDomain) out.trustDomain = trustDomain;
  return out;
}

function gatewayFacts(service: KubeObject): { ports: number[]; address?: string } {
  const spec = (service['spec'] as { ports?: { port?: number }[] } | undefined) ?? {};
  const ingress = ((service['status'] as Json | undefined)?.['loadBalancer'] as { ingress?: { ip?: string; hostname?: string }[] } | undefined)?.ingress ?? [];
  const address = ingress[0]?.ip ?? ingress[0]?.hostname;
  return { ports: (spec.ports ?? []).map((p) => p.port ?? 0), ...(address ? { address } : {}) };
}
