/** How one kind is served: the facts discovery, routing and validation need. */
export interface ResourceDef {
  /** '' for the core group. */
  group: string;
  /** Served versions; the first is the preferred (and storage) version. */
  versions: string[];
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Subresources this kind serves, e.g. status, scale, log, token, proxy. */
  subresources?: string[];
  /** Built-in kinds accept strategic merge patch; custom resources do not. */
  builtIn: boolean;
  /** Kinds that cannot be listed or watched (review requests) are create-only. */
  createOnly?: boolean;
  /** Whether spec changes bump metadata.generation (kinds with a spec). */
  hasSpec?: boolean;
}

export function apiVersionOf(def: ResourceDef, version = def.versions[0]!): string {
  return def.group ? `${def.group}/${version}` : version;
}

export function groupResource(def: ResourceDef): string {
  return def.group ? `${def.plural}.${def.group}` : def.plural;
}
