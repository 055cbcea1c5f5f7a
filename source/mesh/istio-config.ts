import { parse } from 'yaml';
import type { ClusterSnapshot, KubeObject } from './types.js';

export interface IstioIdentity {
  meshId?: string;
  clusterId?: string;
  network?: string;
  trustDomain?: string;
}

type Json = Record<string, unknown>;

/**
 * Where Istio keeps a cluster's identity: the injector values (global.meshID,
 * global.multiCluster.clusterName, global.network), istiod's CLUSTER_ID env, the mesh config's
 * defaultConfig.meshId and trustDomain, and the istio-system namespace's network label.
 */
export function istioIdentity(snapshot: ClusterSnapshot): IstioIdentity {
  const configMaps = snapshot.kinds.istioConfigMaps.items;
  const values = parseJson((configMaps.get('istio-system/istio-sidecar-injector')?.['data'] as Json | undefined)?.['values']);
  const global = (values?.['global'] as Json | undefined) ?? {};
  const mesh = parseYaml((configMaps.get('istio-system/istio')?.['data'] as Json | undefined)?.['mesh']);
  const istiod = snapshot.kinds.deployments.items.get('istio-system/istiod');
  const env = istiodEnv(istiod);
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

/** The Istio version from istiod's (or a proxy's) image tag, e.g. docker.io/istio/pilot:1.24.2 → 1.24.2. */
export function istioVersion(snapshot: ClusterSnapshot): string | undefined {
  const istiod = snapshot.kinds.deployments.items.get('istio-system/istiod');
  const images: string[] = [];
  const containers = (((istiod?.['spec'] as Json | undefined)?.['template'] as Json | undefined)?.['spec'] as Json | undefined)?.['containers'] as Json[] | undefined;
  for (const c of containers ?? []) if (typeof c['image'] === 'string') images.push(c['image']);
  if (images.length === 0) {
    for (const pod of snapshot.kinds.pods.items.values()) {
      const proxy = (((pod['spec'] as Json | undefined)?.['containers'] as Json[] | undefined) ?? []).find((c) => c['name'] === 'istio-proxy');
      if (typeof proxy?.['image'] === 'string') {
        images.push(proxy['image']);
        break;
      }
    }
  }
  const tag = images[0]?.split('@')[0]?.split('/').pop()?.split(':')[1];
  return tag || undefined;
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
    const value = parse(text);
    return typeof value === 'object' && value !== null ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}
