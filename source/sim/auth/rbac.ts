import type { JsonObject, KubeObject } from '../objects.js';
import { SYSTEM_MASTERS, type UserInfo } from './user.js';

/** What a request asks to do, in the terms RBAC rules use. */
export interface Attributes {
  verb: string;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** For non-resource requests such as /version or /healthz. */
  path?: string;
}

export interface PolicyRule extends JsonObject {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** The objects RBAC decisions are read from: ClusterRoles, Roles and their bindings. */
export interface RbacSource {
  clusterRoles(): KubeObject[];
  clusterRoleBindings(): KubeObject[];
  roles(namespace: string): KubeObject[];
  roleBindings(namespace: string): KubeObject[];
}

// What every authenticated user may do in a real cluster (system:basic-user, system:discovery).
const AUTHENTICATED_RULES: PolicyRule[] = [
  { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
  { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/version', '/version/', '/openapi', '/openapi/*', '/healthz', '/livez', '/readyz'] },
];

export function rulesFor(user: UserInfo, namespace: string | undefined, source: RbacSource): PolicyRule[] {
  if (user.groups.includes(SYSTEM_MASTERS)) return [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }];
  const rules: PolicyRule[] = [...AUTHENTICATED_RULES];
  const clusterRoles = new Map(source.clusterRoles().map((role) => [role.metadata.name, role]));
  for (const binding of source.clusterRoleBindings()) {
    if (!bindsUser(binding, user, undefined)) continue;
    rules.push(...roleRules(clusterRoles.get(refName(binding))));
  }
  if (namespace) {
    const roles = new Map(source.roles(namespace).map((role) => [role.metadata.name, role]));
    for (const binding of source.roleBindings(namespace)) {
      if (!bindsUser(binding, user, namespace)) continue;
      const ref = binding['roleRef'] as JsonObject | undefined;
      const role = ref?.['kind'] === 'ClusterRole' ? clusterRoles.get(refName(binding)) : roles.get(refName(binding));
      rules.push(...roleRules(role));
    }
  }
  return rules;
}

export function authorize(user: UserInfo, attributes: Attributes, source: RbacSource): boolean {
  return rulesFor(user, attributes.namespace, source).some((rule) => ruleAllows(rule, attributes));
}

export function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  if (!matches(rule.verbs, a.verb)) return false;
  if (a.path !== undefined) {
    return (rule.nonResourceURLs ?? []).some((url) => url === '*' || url === a.path || (url.endsWith('*') && a.path!.startsWith(url.slice(0, -1))));
  }
  if (!rule.resources || !rule.apiGroups) return false;
  if (!matches(rule.apiGroups, a.group ?? '')) return false;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : (a.resource ?? '');
  const resourceOk = rule.resources.some(
    (r) => r === '*' || r === resource || (a.subresource !== undefined && r === `*/${a.subresource}`),
  );
  if (!resourceOk) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0) return a.name !== undefined && rule.resourceNames.includes(a.name);
  return true;
}

function matches(list: string[] | undefined, value: string): boolean {
  return (list ?? []).some((entry) => entry === '*' || entry === value);
}

function refName(binding: KubeObject): string {
  return String((binding['roleRef'] as JsonObject | undefined)?.['name'] ?? '');
}

function roleRules(role: KubeObject | undefined): PolicyRule[] {
  return ((role?.['rules'] as PolicyRule[] | undefined) ?? []).filter((rule) => Array.isArray(rule.verbs));
}

function bindsUser(binding: KubeObject, user: UserInfo, bindingNamespace: string | undefined): boolean {
  const subjects = (binding['subjects'] as JsonObject[] | undefined) ?? [];
  return subjects.some((subject) => {
    const kind = subject['kind'];
    const name = String(subject['name'] ?? '');
    if (kind === 'User') return name === user.username;
    if (kind === 'Group') return user.groups.includes(name);
    if (kind === 'ServiceAccount') {
      const namespace = String(subject['namespace'] ?? bindingNamespace ?? '');
      return user.username === `system:serviceaccount:${namespace}:${name}`;
    }
    return false;
  });
}
