import type { ResourceDef } from './types.js';

const ISTIO_NETWORKING_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];

// The kinds the simulated API servers serve. Order is the discovery order kubectl shows.
export const RESOURCES: readonly ResourceDef[] = [
  { group: '', versions: ['v1'], plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'], subresources: ['status'], builtIn: true, hasSpec: false },
  { group: '', versions: ['v1'], plural: 'nodes', singular: 'node', kind: 'Node', namespaced: false, shortNames: ['no'], subresources: ['status'], builtIn: true, hasSpec: true },
  { group: '', versions: ['v1'], plural: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['status', 'log', 'portforward'], builtIn: true, hasSpec: true },
  { group: '', versions: ['v1'], plural: 'services', singular: 'service', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'], subresources: ['status', 'proxy'], builtIn: true, hasSpec: true },
  { group: '', versions: ['v1'], plural: 'endpoints', singular: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'], builtIn: true },
  { group: '', versions: ['v1'], plural: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'], subresources: ['token'], builtIn: true },
  { group: '', versions: ['v1'], plural: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true, builtIn: true },
  { group: '', versions: ['v1'], plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'], builtIn: true },
  { group: '', versions: ['v1'], plural: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'], builtIn: true },
  { group: 'apps', versions: ['v1'], plural: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'], builtIn: true, hasSpec: true },
  { group: 'apps', versions: ['v1'], plural: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'], builtIn: true, hasSpec: true },
  { group: 'discovery.k8s.io', versions: ['v1'], plural: 'endpointslices', singular: 'endpointslice', kind: 'EndpointSlice', namespaced: true, builtIn: true },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], plural: 'clusterroles', singular: 'clusterrole', kind: 'ClusterRole', namespaced: false, builtIn: true },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], plural: 'clusterrolebindings', singular: 'clusterrolebinding', kind: 'ClusterRoleBinding', namespaced: false, builtIn: true },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], plural: 'roles', singular: 'role', kind: 'Role', namespaced: true, builtIn: true },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], plural: 'rolebindings', singular: 'rolebinding', kind: 'RoleBinding', namespaced: true, builtIn: true },
  { group: 'admissionregistration.k8s.io', versions: ['v1'], plural: 'mutatingwebhookconfigurations', singular: 'mutatingwebhookconfiguration', kind: 'MutatingWebhookConfiguration', namespaced: false, builtIn: true },
  { group: 'apiextensions.k8s.io', versions: ['v1'], plural: 'customresourcedefinitions', singular: 'customresourcedefinition', kind: 'CustomResourceDefinition', namespaced: false, shortNames: ['crd', 'crds'], subresources: ['status'], builtIn: true, hasSpec: true },
  { group: 'authentication.k8s.io', versions: ['v1'], plural: 'tokenreviews', singular: 'tokenreview', kind: 'TokenReview', namespaced: false, builtIn: true, createOnly: true },
  { group: 'authorization.k8s.io', versions: ['v1'], plural: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', kind: 'SelfSubjectAccessReview', namespaced: false, builtIn: true, createOnly: true },
  { group: 'authorization.k8s.io', versions: ['v1'], plural: 'selfsubjectrulesreviews', singular: 'selfsubjectrulesreview', kind: 'SelfSubjectRulesReview', namespaced: false, builtIn: true, createOnly: true },
  { group: 'networking.istio.io', versions: ISTIO_NETWORKING_VERSIONS, plural: 'gateways', singular: 'gateway', kind: 'Gateway', namespaced: true, shortNames: ['gw'], categories: ['istio-io', 'networking-istio-io'], builtIn: false, hasSpec: true },
  { group: 'networking.istio.io', versions: ISTIO_NETWORKING_VERSIONS, plural: 'virtualservices', singular: 'virtualservice', kind: 'VirtualService', namespaced: true, shortNames: ['vs'], categories: ['istio-io', 'networking-istio-io'], builtIn: false, hasSpec: true },
  { group: 'networking.istio.io', versions: ISTIO_NETWORKING_VERSIONS, plural: 'destinationrules', singular: 'destinationrule', kind: 'DestinationRule', namespaced: true, shortNames: ['dr'], categories: ['istio-io', 'networking-istio-io'], builtIn: false, hasSpec: true },
  { group: 'networking.istio.io', versions: ISTIO_NETWORKING_VERSIONS, plural: 'serviceentries', singular: 'serviceentry', kind: 'ServiceEntry', namespaced: true, shortNames: ['se'], categories: ['istio-io', 'networking-istio-io'], builtIn: false, hasSpec: true },
  { group: 'security.istio.io', versions: ['v1', 'v1beta1'], plural: 'peerauthentications', singular: 'peerauthentication', kind: 'PeerAuthentication', namespaced: true, shortNames: ['pa'], categories: ['istio-io', 'security-istio-io'], builtIn: false, hasSpec: true },
  { group: 'gateway.networking.k8s.io', versions: ['v1'], plural: 'gateways', singular: 'gateway', kind: 'Gateway', namespaced: true, shortNames: ['gtw'], categories: ['gateway-api'], subresources: ['status'], builtIn: false, hasSpec: true },
  { group: 'gateway.networking.k8s.io', versions: ['v1'], plural: 'httproutes', singular: 'httproute', kind: 'HTTPRoute', namespaced: true, categories: ['gateway-api'], subresources: ['status'], builtIn: false, hasSpec: true },
];

const byGroupPlural = new Map<string, ResourceDef>(RESOURCES.map((def) => [`${def.group}/${def.plural}`, def]));
const byGroupKind = new Map<string, ResourceDef>(RESOURCES.map((def) => [`${def.group}/${def.kind}`, def]));

export function findResource(group: string, plural: string): ResourceDef | undefined {
  return byGroupPlural.get(`${group}/${plural}`);
}

export function findResourceByKind(group: string, kind: string): ResourceDef | undefined {
  return byGroupKind.get(`${group}/${kind}`);
}

export function servesVersion(def: ResourceDef, version: string): boolean {
  return def.versions.includes(version);
}

/** Every group with its served versions, in registry order; '' (core) first. */
export function groupVersions(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const def of RESOURCES) {
    const versions = groups.get(def.group) ?? [];
    for (const version of def.versions) if (!versions.includes(version)) versions.push(version);
    groups.set(def.group, versions);
  }
  return groups;
}

export function resourcesIn(group: string, version: string): ResourceDef[] {
  return RESOURCES.filter((def) => def.group === group && def.versions.includes(version));
}
