import { KubeRequestError } from '../../kube/errors.js';
import type { KubeObject } from '../../kube/types.js';
import { gatewaySelects, gatewaySelectorOf, labelsMatch, proxyContainerOf, servicePortsOf, serviceSelector, serviceType, templateLabels } from '../../mesh/gateway-ports/index.js';
import type { GatewayLiveState, GatewayRef, Json, KubeApi, LiveGateway, LiveService, LiveWorkload } from './types.js';

/** Istio's networking API versions, newest first: the first one the cluster serves is used. */
export const GATEWAY_API_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'] as const;
const ISTIO_NAMESPACE = 'istio-system';

/** The gateway named does not exist as a Service or Deployment. */
export class GatewayNotFoundError extends Error {}

const status = (error: unknown) => (error instanceof KubeRequestError ? error.status : undefined);
const enc = encodeURIComponent;

export const servicePath = (ns: string, name: string) => `/api/v1/namespaces/${enc(ns)}/services/${enc(name)}`;
export const gatewayPath = (apiVersion: string, ns: string, name: string) => `/apis/${apiVersion}/namespaces/${enc(ns)}/gateways/${enc(name)}`;
export const selectorQuery = (selector: Record<string, string>) => `labelSelector=${enc(Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(','))}`;

async function getOptional<T>(api: KubeApi, path: string): Promise<T | undefined> {
  try {
    return await api.requestJson<T>(path);
  } catch (error) {
    if (status(error) === 404) return undefined;
    throw error;
  }
}

async function list(api: KubeApi, path: string): Promise<KubeObject[]> {
  return (await api.requestJson<{ items?: KubeObject[] }>(path)).items ?? [];
}

export function liveService(object: KubeObject): LiveService {
  return {
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
    resourceVersion: object.metadata.resourceVersion ?? '',
    type: serviceType(object),
    selector: serviceSelector(object),
    labels: object.metadata.labels ?? {},
    annotations: object.metadata.annotations ?? {},
    ports: servicePortsOf(object),
  };
}

/**
 * Reads one gateway: its Service (named directly, or found through the Deployment of that name),
 * the Deployment and pods it selects, the Istio Gateways that select those pods (in any namespace),
 * the other Services on the same pods, and the node ports of every other Service of the cluster.
 * Network failures throw; kinds the credentials may not list are noted and skipped.
 */
export async function readGatewayState(cluster: string, api: KubeApi, ref: GatewayRef): Promise<GatewayLiveState> {
  const notes: string[] = [];
  const namespace = ref.namespace;
  const [serviceObjects, deployments] = await Promise.all([list(api, `/api/v1/namespaces/${enc(namespace)}/services`), list(api, `/apis/apps/v1/namespaces/${enc(namespace)}/deployments`)]);
  const service = findService(serviceObjects, deployments, ref);
  if (!service) {
    const gateways = serviceObjects.filter((s) => s.metadata.labels?.['istio'] !== undefined && s.metadata.labels['istio'] !== 'pilot').map((s) => `${namespace}/${s.metadata.name}`);
    throw new GatewayNotFoundError(`${cluster} has no Service or Deployment ${namespace}/${ref.name}${gateways.length > 0 ? ` (gateway Services in ${namespace}: ${gateways.join(', ')})` : ''}`);
  }
  const live = liveService(service);
  const selected = Object.keys(live.selector).length > 0;
  const workloads: LiveWorkload[] = selected ? deployments.filter((d) => labelsMatch(live.selector, templateLabels(d))).map(workload) : [];
  const pods = selected ? await list(api, `/api/v1/namespaces/${enc(namespace)}/pods?${selectorQuery(live.selector)}`) : [];
  const podLabelSets = [...workloads.map((w) => w.podLabels), ...pods.map((p) => p.metadata.labels ?? {})];
  if (podLabelSets.length === 0 && selected) podLabelSets.push(live.selector);
  const siblings = serviceObjects
    .filter((s) => s.metadata.name !== live.name)
    .filter((s) => {
      const selector = serviceSelector(s);
      return Object.keys(selector).length > 0 && podLabelSets.some((labels) => labelsMatch(selector, labels));
    })
    .map((s) => ({ name: s.metadata.name, ports: servicePortsOf(s) }));
  const [gatewayRead, nodePortsInUse, istiod] = await Promise.all([readGateways(api, podLabelSets, notes), readNodePorts(api, live, notes), readIstiod(api)]);
  return {
    cluster,
    service: live,
    workloads,
    pods: pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => ({ name: p.metadata.name, ready: podReady(p), labels: p.metadata.labels ?? {} })),
    gateways: gatewayRead.gateways,
    ...(gatewayRead.apiVersion ? { gatewayApiVersion: gatewayRead.apiVersion } : {}),
    siblings,
    ...(nodePortsInUse ? { nodePortsInUse } : {}),
    ...(istiod !== undefined ? { istiod } : {}),
    notes,
  };
}

function findService(services: KubeObject[], deployments: KubeObject[], ref: GatewayRef): KubeObject | undefined {
  const byName = services.find((s) => s.metadata.name === ref.name);
  if (byName) return byName;
  const deployment = deployments.find((d) => d.metadata.name === ref.name);
  if (!deployment) return undefined;
  const labels = templateLabels(deployment);
  return services.find((s) => {
    const selector = serviceSelector(s);
    return Object.keys(selector).length > 0 && labelsMatch(selector, labels);
  });
}

function workload(object: KubeObject): LiveWorkload {
  const container = proxyContainerOf(object);
  return {
    kind: 'Deployment',
    name: object.metadata.name,
    labels: object.metadata.labels ?? {},
    annotations: object.metadata.annotations ?? {},
    podLabels: templateLabels(object),
    ...(container ? { container } : {}),
  };
}

function podReady(pod: KubeObject): boolean {
  const conditions = ((pod['status'] as Json | undefined)?.['conditions'] as { type: string; status: string }[] | undefined) ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

async function readGateways(api: KubeApi, podLabelSets: Record<string, string>[], notes: string[]): Promise<{ gateways: LiveGateway[]; apiVersion?: string }> {
  for (const version of GATEWAY_API_VERSIONS) {
    const apiVersion = `networking.istio.io/${version}`;
    try {
      const items = await list(api, `/apis/${apiVersion}/gateways`);
      const gateways = items
        .filter((g) => podLabelSets.length > 0 && gatewaySelects(g, podLabelSets))
        .map((g) => ({
          namespace: g.metadata.namespace ?? '',
          name: g.metadata.name,
          resourceVersion: g.metadata.resourceVersion ?? '',
          apiVersion,
          selector: gatewaySelectorOf(g),
          servers: (((g['spec'] as Json | undefined)?.['servers'] as Json[] | undefined) ?? []).map((s) => ({ ...s })),
        }))
        .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
      return { gateways, apiVersion };
    } catch (error) {
      if (status(error) === 404) continue;
      if (status(error) === 403) {
        notes.push('Istio Gateway resources may not be listed (forbidden): they were not checked against the Service');
        return { gateways: [] };
      }
      throw error;
    }
  }
  notes.push('the cluster serves no Istio Gateway resources (networking.istio.io): nothing to check the ports against');
  return { gateways: [] };
}

async function readNodePorts(api: KubeApi, self: LiveService, notes: string[]): Promise<Record<string, string> | undefined> {
  try {
    const used: Record<string, string> = {};
    for (const service of await list(api, '/api/v1/services')) {
      if (service.metadata.namespace === self.namespace && service.metadata.name === self.name) continue;
      for (const port of servicePortsOf(service)) if (port.nodePort !== undefined) used[String(port.nodePort)] = `${service.metadata.namespace}/${service.metadata.name}`;
    }
    return used;
  } catch (error) {
    if (status(error) !== 403) throw error;
    notes.push("the cluster's Services may not be listed (forbidden): node ports were not checked against other Services");
    return undefined;
  }
}

async function readIstiod(api: KubeApi): Promise<boolean | undefined> {
  try {
    const found = await getOptional<{ items?: unknown[] }>(api, `/apis/apps/v1/namespaces/${ISTIO_NAMESPACE}/deployments?labelSelector=${enc('app=istiod')}`);
    return (found?.items?.length ?? 0) > 0;
  } catch {
    return undefined;
  }
}
