import { parse } from 'yaml';
import type { ClusterSnapshot, KubeObject } from './types.js';

export interface IstioIdentity {
  meshId?: string;
  clusterId?: string;
  network?: string;
  trustDomain?: string;
}

type Json = Record<string, unknown>;

export interface ControlPlane {
  /** `default` for istiod, `<rev>` for istiod-<rev>. */
  revision: string;
  istiod?: KubeObject;
  injector?: KubeObject;
  meshConfig?: KubeObject;
}

const INJECTOR = 'istio-system/istio-sidecar-injector';

/**
 * The control plane whose settings describe this cluster. Istio names a revision's objects with a suffix
 * (istiod-<rev>, istio-sidecar-injector-<rev>, istio-<rev>); the default revision has none. When several
 * revisions run (a canary upgrade), the default one is preferred, then the first revision by name.
 * Undefined when the cluster has neither istiod nor an injector ConfigMap.
 */
export function controlPlane(snapshot: ClusterSnapshot): ControlPlane | undefined {
  const deployments = snapshot.kinds.deployments.items;
  const configMaps = snapshot.kinds.istioConfigMaps.items;
  let istiod = deployments.get('istio-system/istiod');
  let revision = 'default';
  if (!istiod) {
    for (const [key, deployment] of deployments) {
      if (!key.startsWith('istio-system/istiod-') || deployment.metadata.labels?.['app'] !== 'istiod') continue;
      if (!istiod || deployment.metadata.name < istiod.metadata.name) istiod = deployment;
    }
    if (istiod) revision = istiod.metadata.labels?.['istio.io/rev'] ?? istiod.metadata.name.slice('istiod-'.length);
  }
  let injector = configMaps.get(suffixed(INJECTOR, revision));
  if (!istiod && !injector) {
    // A remote cluster: no istiod, but the injector (of some revision) is installed.
    for (const [key, configMap] of configMaps) {
      if (!key.startsWith(`${INJECTOR}-`)) continue;
      if (!injector || configMap.metadata.name < injector.metadata.name) injector = configMap;
    }
    if (!injector) return undefined;
    revision = injector.metadata.name.slice('istio-sidecar-injector-'.length);
  }
  const meshConfig = configMaps.get(suffixed('istio-system/istio', revision));
  return { revision, ...(istiod ? { istiod } : {}), ...(injector ? { injector } : {}), ...(meshConfig ? { meshConfig } : {}) };
}

function suffixed(key: string, revision: string): string {
  return revision === 'default' ? key : `${key}-${revision}`;
}

/**
 * Where Istio keeps a cluster's identity: the injector values (global.meshID,
 * global.multiCluster.clusterName, global.network), istiod's CLUSTER_ID env, the mesh config's
 * defaultConfig.meshId and trustDomain, and the istio-system namespace's network label.
 */
export function istioIdentity(snapshot: ClusterSnapshot): IstioIdentity {
  const plane = controlPlane(snapshot);
  const values = parseJson((plane?.injector?.['data'] as Json | undefined)?.['values']);
  const global = (values?.['global'] as Json | undefined) ?? {};
  const mesh = parseYaml((plane?.meshConfig?.['data'] as Json | undefined)?.['mesh']);
  const env = istiodEnv(plane?.istiod);
  const namespaceLabels = snapshot.kinds.namespaces.items.get('istio-system')?.metadata.labels ?? {};
  const identity: IstioIdentity = {};
  const meshId = str(global['meshID']) ?? str((mesh?.['defaultConfig'] as Json | undefined)?.['meshId']);
  const clusterId = str((global['multiCluster'] as Json | undefined)?.['clusterName']) ?? env['CLUSTER_ID'];
  const network = str(global['network']) ?? namespaceLabels['topology.istio.io/network'];
  const trustDomain = str(mesh?.['trustDomain']);
  if (meshId) identity.meshId = meshId;
  if (clusterId) identity.clusterId = clusterId;
  if (network) identity.network = network;
  if (trustDomain) identity.trustDomain = trustDomain;
  return identity;
}

function istiodEnv(deployment: KubeObject | undefined): Record<string, string> {
  const containers = (((deployment?.['spec'] as Json | undefined)?.['template'] as Json | undefined)?.['spec'] as Json | undefined)?.['containers'] as Json[] | undefined;
  const env: Record<string, string> = {};
  for (const container of containers ?? []) {
    for (const entry of (container['env'] as Json[] | undefined) ?? []) {
      if (typeof entry['name'] === 'string' && typeof entry['value'] === 'string') env[entry['name']] = entry['value'];
    }
  }
  return env;
}

/**
 * The Istio version from istiod's image tag (docker.io/istio/pilot:1.24.2 → 1.24.2), else from a
 * gateway's proxy image. Deployments only: scanning pods here would cost a pass over every pod per frame.
 */
export function istioVersion(snapshot: ClusterSnapshot): string | undefined {
  const deployments = snapshot.kinds.deployments.items;
  const candidates: KubeObject[] = [];
  const istiod = deployments.get('istio-system/istiod');
  if (istiod) candidates.push(istiod);
  else for (const deployment of deployments.values()) if (deployment.metadata.namespace === 'istio-system') candidates.push(deployment);
  for (const deployment of candidates) {
    const containers = (((deployment['spec'] as Json | undefined)?.['template'] as Json | undefined)?.['spec'] as Json | undefined)?.['containers'] as Json[] | undefined;
    for (const c of containers ?? []) {
      const image = typeof c['image'] === 'string' ? c['image'] : '';
      if (!/\/(pilot|proxyv2)(:|@)/.test(image)) continue;
      const tag = image.split('@')[0]!.split('/').pop()!.split(':')[1];
      if (tag) return tag;
    }
  }
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseJson(text: unknown): Json | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Json) : undefined;
  } catch {
    return parseYaml(text);
  }
}

function parseYaml(text: unknown): Json | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const value = parse(text, { logLevel: 'error' });
    return typeof value === 'object' && value !== null ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}
