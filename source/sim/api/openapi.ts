import type { JsonObject } from '../objects.js';
import { groupVersions, resourcesIn } from '../resources/registry.js';

// kubectl apply reads only two things from OpenAPI v3: whether a kind's PATCH accepts strategic merge
// patch, and whether it declares `fieldValidation` (so validation happens on the server). These minimal
// documents say exactly that; OpenAPI v2 is left out on purpose because kubectl asks for it as protobuf.
const HASH = 'meshdeck-sim-1';

function pathKey(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export function openApiRoot(): JsonObject {
  const paths: JsonObject = {};
  for (const [group, versions] of groupVersions()) {
    for (const version of versions) {
      const key = pathKey(group, version);
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${HASH}` };
    }
  }
  return { paths };
}

export function openApiGroupVersion(key: string): JsonObject | undefined {
  const [prefix, ...rest] = key.split('/');
  const group = prefix === 'api' ? '' : rest[0];
  const version = prefix === 'api' ? rest[0] : rest[1];
  if (group === undefined || version === undefined || pathKey(group, version) !== key) return undefined;
  const defs = resourcesIn(group, version);
  if (defs.length === 0) return undefined;
  const paths: JsonObject = {};
  for (const def of defs) {
    if (def.createOnly) continue;
    const scope = def.namespaced ? '/namespaces/{namespace}' : '';
    const contentTypes: JsonObject = {
      'application/merge-patch+json': {},
      'application/json-patch+json': {},
      'application/apply-patch+yaml': {},
    };
    if (def.builtIn) contentTypes['application/strategic-merge-patch+json'] = {};
    paths[`/${key}${scope}/${def.plural}/{name}`] = {
      patch: {
        'x-kubernetes-group-version-kind': { group, version, kind: def.kind },
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
        requestBody: { content: contentTypes },
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'meshdeck simulator', version }, components: { schemas: {} }, paths };
}
