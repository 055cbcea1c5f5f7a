import { parse, stringify } from 'yaml';
import type { JsonObject, KubeObject } from '../objects.js';
import type { ObjectStore } from '../store/object-store.js';
import { K } from '../controllers/kinds.js';
import { DEFAULT_REVISION, INJECTOR_CONFIGMAP, ISTIO_HUB, ISTIO_NAMESPACE, ISTIO_VERSION, MESH_CONFIGMAP } from './constants.js';

/** The identity of one Istio installation: where Istio keeps the mesh ID, cluster name and network. */
export interface InstallIdentity {
  clusterId: string;
  network: string;
  meshId: string;
  trustDomain: string;
  revision: string;
  accessLogEncoding: 'TEXT' | 'JSON';
  /** For remotes: the address their proxies use to reach the primary's istiod (its east-west gateway). */
  remotePilotAddress?: string;
}

/** The `istio` ConfigMap: `mesh` (MeshConfig YAML) and `meshNetworks`, as the istio-discovery chart renders them. */
export function meshConfigMap(identity: InstallIdentity): KubeObject {
  const mesh = {
    accessLogEncoding: identity.accessLogEncoding,
    accessLogFile: '/dev/stdout',
    defaultConfig: {
      discoveryAddress: `istiod.${ISTIO_NAMESPACE}.svc:15012`,
      meshId: identity.meshId,
      proxyMetadata: {},
      tracing: {},
    },
    defaultProviders: { metrics: ['prometheus'] },
    enablePrometheusMerge: true,
    rootNamespace: ISTIO_NAMESPACE,
    trustDomain: identity.trustDomain,
  };
  return {
    metadata: { name: configMapName(MESH_CONFIGMAP, identity.revision), namespace: ISTIO_NAMESPACE, labels: installLabels(identity.revision) },
    data: { mesh: stringify(mesh).trimEnd(), meshNetworks: 'networks: {}' },
  };
}

/** The `istio-sidecar-injector` ConfigMap: `values` (JSON, the chart's values the templates read) and `config`. */
export function injectorConfigMap(identity: InstallIdentity): KubeObject {
  const values = {
    global: {
      caAddress: '',
      hub: ISTIO_HUB,
      tag: ISTIO_VERSION,
      imagePullPolicy: '',
      istioNamespace: ISTIO_NAMESPACE,
      jwtPolicy: 'third-party-jwt',
      logging: { level: 'default:info' },
      meshID: identity.meshId,
      multiCluster: { clusterName: identity.clusterId, enabled: true },
      network: identity.network,
      pilotCertProvider: 'istiod',
      proxy: { clusterDomain: 'cluster.local', image: 'proxyv2', logLevel: 'warning', componentLogLevel: 'misc:error', statusPort: 15020, privileged: false, autoInject: 'enabled' },
      proxy_init: { image: 'proxyv2' },
      remotePilotAddress: identity.remotePilotAddress ?? '',
      sds: { token: { aud: 'istio-ca' } },
      trustDomain: identity.trustDomain,
    },
    pilot: { cni: { enabled: false, provider: 'default' } },
    revision: identity.revision === DEFAULT_REVISION ? '' : identity.revision,
    sidecarInjectorWebhook: { alwaysInjectSelector: [], neverInjectSelector: [], enableNamespacesByDefault: false, injectedAnnotations: {}, rewriteAppHTTPProbe: true, templates: {} },
    istio_cni: { enabled: false },
  };
  const config = ['defaultTemplates: [sidecar]', 'policy: enabled', 'alwaysInjectSelector: []', 'neverInjectSelector: []', 'injectedAnnotations: {}', 'template: "{{ Template_Version_And_Istio_Version_Mismatched_Check_Installation }}"', 'templates:', '  sidecar: |', '    # (the injection template is applied by the simulator)'].join('\n');
  return {
    metadata: { name: configMapName(INJECTOR_CONFIGMAP, identity.revision), namespace: ISTIO_NAMESPACE, labels: { ...installLabels(identity.revision), 'app.kubernetes.io/name': 'istiod' } },
    data: { values: JSON.stringify(values, null, 2), config },
  };
}

export function configMapName(base: string, revision: string): string {
  return revision === DEFAULT_REVISION ? base : `${base}-${revision}`;
}

export function installLabels(revision: string): Record<string, string> {
  return { 'istio.io/rev': revision, 'install.operator.istio.io/owning-resource': 'unknown', 'operator.istio.io/component': 'Pilot', release: 'istiod' };
}

/** What the sidecar injector reads from its ConfigMap's `values`. */
export interface InjectorValues {
  clusterId: string;
  network: string;
  meshId: string;
  trustDomain: string;
  hub: string;
  tag: string;
  revision: string;
}

const valuesCache = new WeakMap<KubeObject, InjectorValues | undefined>();

/** The injector values of a revision, or undefined when that revision's injector is not installed. */
export function injectorValues(store: ObjectStore, revision: string): InjectorValues | undefined {
  const configMap = store.get(K.configMaps, ISTIO_NAMESPACE, configMapName(INJECTOR_CONFIGMAP, revision));
  if (!configMap) return undefined;
  if (valuesCache.has(configMap)) return valuesCache.get(configMap);
  let parsed: InjectorValues | undefined;
  try {
    const values = JSON.parse(String((configMap['data'] as JsonObject | undefined)?.['values'] ?? '{}')) as { global?: Record<string, unknown>; revision?: string };
    const global = values.global ?? {};
    const multiCluster = (global['multiCluster'] as Record<string, unknown> | undefined) ?? {};
    parsed = {
      clusterId: String(multiCluster['clusterName'] || 'Kubernetes'),
      network: String(global['network'] ?? ''),
      meshId: String(global['meshID'] ?? ''),
      trustDomain: String(global['trustDomain'] || 'cluster.local'),
      hub: String(global['hub'] || ISTIO_HUB),
      tag: String(global['tag'] || ISTIO_VERSION),
      revision: values.revision || DEFAULT_REVISION,
    };
  } catch {
    parsed = undefined;
  }
  valuesCache.set(configMap, parsed);
  return parsed;
}

const meshCache = new WeakMap<KubeObject, JsonObject>();

/** The parsed MeshConfig of a cluster's `istio` ConfigMap ({} when absent or unreadable). */
export function meshConfig(store: ObjectStore, revision = DEFAULT_REVISION): JsonObject {
  const configMap = store.get(K.configMaps, ISTIO_NAMESPACE, configMapName(MESH_CONFIGMAP, revision));
  if (!configMap) return {};
  const cached = meshCache.get(configMap);
  if (cached) return cached;
  let mesh: JsonObject = {};
  try {
    const value = parse(String((configMap['data'] as JsonObject | undefined)?.['mesh'] ?? '')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) mesh = value as JsonObject;
  } catch {
    mesh = {};
  }
  meshCache.set(configMap, mesh);
  return mesh;
}
