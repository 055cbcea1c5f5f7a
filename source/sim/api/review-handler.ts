import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject } from '../objects.js';
import { authorize, rulesFor, type Attributes } from '../auth/rbac.js';
import type { UserInfo } from '../auth/user.js';
import type { ResourceRoute } from './route.js';
import type { ServingCluster } from './serving-cluster.js';
import { decodeObjectBody, sendJson } from './http-io.js';
import { badRequest } from './status.js';

/** SelfSubjectAccessReview, SelfSubjectRulesReview and TokenReview: computed answers, never stored. */
export function handleReview(cluster: ServingCluster, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, user: UserInfo, body: Buffer): void {
  const review = decodeObjectBody(req, body);
  const spec = (review['spec'] as JsonObject | undefined) ?? {};
  const base = { kind: route.def.kind, apiVersion: `${route.def.group}/${route.version}`, metadata: { creationTimestamp: null }, spec };
  switch (route.def.kind) {
    case 'SelfSubjectAccessReview': {
      const attributes = accessAttributes(spec);
      const allowed = authorize(user, attributes, cluster.rbac);
      return sendJson(res, 201, { ...base, status: { allowed, ...(allowed ? { reason: 'RBAC: allowed' } : {}) } });
    }
    case 'SelfSubjectRulesReview': {
      const namespace = String(spec['namespace'] ?? '');
      const rules = rulesFor(user, namespace || undefined, cluster.rbac);
      const resourceRules = rules.filter((r) => r.resources).map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}) }));
      const nonResourceRules = rules.filter((r) => r.nonResourceURLs).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs ?? [] }));
      return sendJson(res, 201, { ...base, status: { resourceRules, nonResourceRules, incomplete: false } });
    }
    case 'TokenReview': {
      const token = String(spec['token'] ?? '');
      const reviewed = token ? cluster.authenticate(token) : undefined;
      const status = reviewed
        ? { authenticated: true, user: { username: reviewed.username, groups: reviewed.groups, ...(reviewed.uid ? { uid: reviewed.uid } : {}) }, audiences: (spec['audiences'] as JsonObject[] | undefined) ?? [] }
        : { authenticated: false, user: {}, error: 'invalid bearer token' };
      return sendJson(res, 201, { ...base, status });
    }
    default:
      throw badRequest(`${route.def.kind} cannot be created here`);
  }
}

function accessAttributes(spec: JsonObject): Attributes {
  const resource = spec['resourceAttributes'] as JsonObject | undefined;
  if (resource) {
    const attributes: Attributes = { verb: String(resource['verb'] ?? ''), group: String(resource['group'] ?? ''), resource: String(resource['resource'] ?? '') };
    if (resource['subresource']) attributes.subresource = String(resource['subresource']);
    if (resource['namespace']) attributes.namespace = String(resource['namespace']);
    if (resource['name']) attributes.name = String(resource['name']);
    return attributes;
  }
  const nonResource = (spec['nonResourceAttributes'] as JsonObject | undefined) ?? {};
  return { verb: String(nonResource['verb'] ?? ''), path: String(nonResource['path'] ?? '') };
}
