import type { ResourceDef } from '../resources/types.js';
import { findResource, servesVersion } from '../resources/registry.js';
import { pathNotFound } from './status.js';

/** A request path resolved to the resource it addresses. */
export interface ResourceRoute {
  def: ResourceDef;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** What follows `/proxy/` for service proxy requests. */
  proxyPath?: string;
  /** Legacy `/watch/` path prefix. */
  watchPath: boolean;
}

/**
 * Resolves `/api/v1/...` and `/apis/<group>/<version>/...` paths. Returns undefined for paths that
 * are not resource paths (discovery, version, openapi) so the caller can try those.
 */
export function resolveResourcePath(pathname: string): ResourceRoute | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  // `namespaces/<ns>/<plural>/...` addresses a namespaced resource; `namespaces/<ns>[/status]` the namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const candidate = findResource(group, rest[2]!);
    if (candidate?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const [plural, name, subresource, ...tail] = rest;
  if (!plural) throw pathNotFound();
  const def = findResource(group, plural);
  if (!def || !servesVersion(def, version)) throw pathNotFound();
  if (subresource && subresource !== 'proxy' && tail.length > 0) throw pathNotFound();
  if (subresource && subresource !== 'proxy' && !def.subresources?.includes(subresource)) throw pathNotFound();
  if (subresource === 'proxy' && !def.subresources?.includes('proxy')) throw pathNotFound();
  const route: ResourceRoute = { def, version, watchPath };
  if (namespace !== undefined) route.namespace = namespace;
  if (name !== undefined) route.name = name;
  if (subresource !== undefined) route.subresource = subresource;
  if (subresource === 'proxy') route.proxyPath = tail.join('/');
  return route;
}
