import { KubeRequestError } from '../../kube/errors.js';
import type { KubeObject } from '../../kube/types.js';
import type { ClusterSnapshot } from '../../kube/cluster-session.js';
import { controlPlane } from '../../mesh/istio-config.js';
import { hasProxy, isReady, workloadOf } from '../../mesh/workloads.js';
import { DEFAULT_REVISION, INJECT_LABEL, type KubeApi, type NamespaceState, type PodTemplateFacts, type RestartableKind, type WorkloadState } from './types.js';

type Json = Record<string, unknown>;
type List = { items?: KubeObject[] };

const RESOURCE: Record<RestartableKind, string> = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' };

/** The API path of a restartable workload. */
export function workloadPath(kind: RestartableKind, namespace: string, name: string): string {
  return `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${RESOURCE[kind]}/${encodeURIComponent(name)}`;
}

export const namespacePath = (namespace: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}`;

const status = (error: unknown) => (error instanceof KubeRequestError ? error.status : undefined);

/** A list that may be absent (404: the kind is not served) or not readable (403); both read as empty. */
async function optionalList(api: KubeApi, path: string): Promise<KubeObject[]> {
  try {
    return (await api.requestJson<List>(path, { timeoutMs: 15_000 })).items ?? [];
  } catch (error) {
    if (status(error) === 404 || status(error) === 403) return [];
    throw error;
  }
}

/**
 * Reads what injection planning needs of one namespace in one cluster: the namespace's labels and
 * resourceVersion, the Istio revisions whose injector is installed (and revision tags), and every
 * workload with its pods. Network failures throw (KubeRequestError or a Node error).
 */
export async function readNamespaceState(cluster: string, api: KubeApi, namespace: string): Promise<NamespaceState> {
  const ns = encodeURIComponent(namespace);
  let object: KubeObject | undefined;
  try {
    object = await api.requestJson<KubeObject>(namespacePath(namespace), { timeoutMs: 15_000 });
  } catch (error) {
    if (status(error) !== 404) throw error;
  }
  const [deployments, configMaps, webhooks] = await Promise.all([
    optionalList(api, '/apis/apps/v1/namespaces/istio-system/deployments'),
    optionalList(api, '/api/v1/namespaces/istio-system/configmaps'),
    optionalList(api, `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations?labelSelector=${encodeURIComponent('istio.io/tag')}`),
  ]);
  const istio = istioRevisions(cluster, deployments, configMaps, webhooks);
  if (!object) return { cluster, namespace, exists: false, labels: {}, ...istio, workloads: [] };
  const [pods, ownDeployments, statefulSets, daemonSets] = await Promise.all([
    api.requestJson<List>(`/api/v1/namespaces/${ns}/pods`, { timeoutMs: 15_000 }).then((l) => l.items ?? []),
    api.requestJson<List>(`/apis/apps/v1/namespaces/${ns}/deployments`, { timeoutMs: 15_000 }).then((l) => l.items ?? []),
    optionalList(api, `/apis/apps/v1/namespaces/${ns}/statefulsets`),
    optionalList(api, `/apis/apps/v1/namespaces/${ns}/daemonsets`),
  ]);
  const workloads = groupWorkloads(pods, [
    ...ownDeployments.map((o) => ['Deployment', o] as const),
    ...statefulSets.map((o) => ['StatefulSet', o] as const),
    ...daemonSets.map((o) => ['DaemonSet', o] as const),
  ]);
  return {
    cluster,
    namespace,
    exists: true,
    ...(object.metadata.resourceVersion ? { resourceVersion: object.metadata.resourceVersion } : {}),
    labels: object.metadata.labels ?? {},
    ...istio,
    workloads,
  };
}

/**
 * The revision to label with (as the cockpit's cluster view picks it: istiod, else istiod-<rev>, else a
 * remote's injector ConfigMap), every revision with an injector ConfigMap, and revision tags.
 */
export function istioRevisions(cluster: string, deployments: KubeObject[], configMaps: KubeObject[], webhooks: KubeObject[]): Pick<NamespaceState, 'revision' | 'revisions' | 'tags'> {
  const kinds = {
    namespaces: empty(),
    pods: empty(),
    deployments: byKey(deployments),
    services: empty(),
    istioConfigMaps: byKey(configMaps),
    remoteSecrets: empty(),
    gateways: empty(),
  };
  const snapshot: ClusterSnapshot = { name: cluster, server: '', state: 'synced', kinds };
  const plane = controlPlane(snapshot);
  const revisions = new Set<string>();
  for (const configMap of configMaps) {
    const name = configMap.metadata.name;
    if (name === 'istio-sidecar-injector') revisions.add(DEFAULT_REVISION);
    else if (name.startsWith('istio-sidecar-injector-')) revisions.add(name.slice('istio-sidecar-injector-'.length));
  }
  if (plane) revisions.add(plane.revision);
  const tags: Record<string, string> = {};
  for (const webhook of webhooks) {
    const tag = webhook.metadata.labels?.['istio.io/tag'];
    const revision = webhook.metadata.labels?.['istio.io/rev'];
    if (tag && revision) tags[tag] = revision;
  }
  return { ...(plane ? { revision: plane.revision } : {}), revisions: [...revisions].sort(), tags };
}

function empty() {
  return { version: 1, items: new Map<string, KubeObject>() };
}

function byKey(objects: KubeObject[]) {
  return { version: 1, items: new Map(objects.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o])) };
}

/** Pods grouped by the workload that owns them (as the workloads pane groups them), plus workloads without pods. */
function groupWorkloads(pods: KubeObject[], controllers: (readonly [RestartableKind, KubeObject])[]): WorkloadState[] {
  const byKey = new Map<string, WorkloadState>();
  for (const [kind, object] of controllers) byKey.set(`${kind}/${object.metadata.name}`, controllerState(kind, object));
  for (const pod of pods) {
    const owner = workloadOf(pod);
    const key = `${owner.kind}/${owner.name}`;
    let workload = byKey.get(key);
    if (!workload) byKey.set(key, (workload = { kind: owner.kind, name: owner.name, pods: [] }));
    workload.pods.push({ name: pod.metadata.name, sidecar: hasProxy(pod), ready: isReady(pod), terminating: Boolean(pod.metadata.deletionTimestamp) });
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...byKey.values()].sort((a, b) => cmp(a.name, b.name) || cmp(a.kind, b.kind));
}

function controllerState(kind: RestartableKind, object: KubeObject): WorkloadState {
  const spec = (object['spec'] as Json | undefined) ?? {};
  const template = (spec['template'] as Json | undefined) ?? {};
  const meta = (template['metadata'] as Json | undefined) ?? {};
  const podSpec = (template['spec'] as Json | undefined) ?? {};
  const names = [...((podSpec['containers'] as Json[] | undefined) ?? []), ...((podSpec['initContainers'] as Json[] | undefined) ?? [])].map((c) => c['name']);
  const annotation = ((meta['annotations'] as Record<string, string> | undefined) ?? {})[INJECT_LABEL];
  const facts: PodTemplateFacts = { labels: (meta['labels'] as Record<string, string> | undefined) ?? {}, manualSidecar: names.includes('istio-proxy'), ...(annotation !== undefined ? { injectAnnotation: annotation } : {}) };
  const selector = selectorString(spec['selector'] as Json | undefined);
  const strategy = ((spec['updateStrategy'] as Json | undefined)?.['type'] as string | undefined) ?? undefined;
  const generation = (object.metadata as { generation?: unknown }).generation;
  return {
    kind,
    name: object.metadata.name,
    ...(object.metadata.resourceVersion ? { resourceVersion: object.metadata.resourceVersion } : {}),
    ...(typeof generation === 'number' ? { generation } : {}),
    template: facts,
    ...(selector ? { selector } : {}),
    ...(strategy === 'OnDelete' ? { onDelete: true } : {}),
    pods: [],
  };
}

/** A LabelSelector as the `labelSelector` query parameter: `a=b,c in (d,e),!f`. */
export function selectorString(selector: Json | undefined): string | undefined {
  if (!selector) return undefined;
  const parts = Object.entries((selector['matchLabels'] as Record<string, string> | undefined) ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const expression of (selector['matchExpressions'] as Json[] | undefined) ?? []) {
    const key = String(expression['key']);
    const values = ((expression['values'] as string[] | undefined) ?? []).join(',');
    switch (expression['operator']) {
      case 'In':
        parts.push(`${key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(key);
        break;
      case 'DoesNotExist':
        parts.push(`!${key}`);
        break;
    }
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}
