import type { JsonObject } from '../objects.js';
import { groupVersions, resourcesIn } from '../resources/registry.js';
import type { ResourceDef } from '../resources/types.js';

const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

export function versionInfo(version: ServerVersion): JsonObject {
  return {
    major: version.major,
    minor: version.minor,
    gitVersion: version.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

// Legacy (non-aggregated) discovery on both endpoints: kubectl treats the two consistently only
// when they use the same format, and the legacy one is what every client understands.
export function coreVersions(address: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: address }],
  };
}

export function apiGroupList(): JsonObject {
  const groups: JsonObject[] = [];
  for (const [name, versions] of groupVersions()) {
    if (name === '') continue;
    groups.push(apiGroup(name, versions));
  }
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroupFor(group: string): JsonObject | undefined {
  const versions = groupVersions().get(group);
  return versions && group !== '' ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) } : undefined;
}

function apiGroup(name: string, versions: string[]): JsonObject {
  const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: entries, preferredVersion: entries[0]! };
}

export function apiResourceList(group: string, version: string): JsonObject | undefined {
  const defs = resourcesIn(group, version);
  if (defs.length === 0) return undefined;
  const resources: JsonObject[] = [];
  for (const def of defs) {
    resources.push({
      name: def.plural,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: def.createOnly ? ['create'] : STANDARD_VERBS,
      ...(def.shortNames ? { shortNames: def.shortNames } : {}),
      ...(def.categories ? { categories: def.categories } : {}),
    });
    for (const sub of def.subresources ?? []) resources.push(subresourceEntry(def, sub));
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

function subresourceEntry(def: ResourceDef, sub: string): JsonObject {
  const base = { name: `${def.plural}/${sub}`, singularName: '', namespaced: def.namespaced };
  switch (sub) {
    case 'scale':
      return { ...base, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };
    case 'log':
      return { ...base, kind: 'Pod', verbs: ['get'] };
    case 'portforward':
      return { ...base, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] };
    case 'token':
      return { ...base, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] };
    case 'proxy':
      return { ...base, kind: `${def.kind}ProxyOptions`, verbs: ['create', 'delete', 'get', 'patch', 'update'] };
    default:
      return { ...base, kind: def.kind, verbs: ['get', 'patch', 'update'] };
  }
}
