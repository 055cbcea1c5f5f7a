import { findResource } from '../resources/registry.js';
import type { ResourceDef } from '../resources/types.js';

function must(group: string, plural: string): ResourceDef {
  const def = findResource(group, plural);
  if (!def) throw new Error(`resource ${plural}.${group} is not registered`);
  return def;
}

/** The registry entries controllers use, resolved once. */
export const K = {
  namespaces: must('', 'namespaces'),
  nodes: must('', 'nodes'),
  pods: must('', 'pods'),
  services: must('', 'services'),
  endpoints: must('', 'endpoints'),
  serviceAccounts: must('', 'serviceaccounts'),
  secrets: must('', 'secrets'),
  configMaps: must('', 'configmaps'),
  events: must('', 'events'),
  deployments: must('apps', 'deployments'),
  replicaSets: must('apps', 'replicasets'),
  endpointSlices: must('discovery.k8s.io', 'endpointslices'),
  clusterRoles: must('rbac.authorization.k8s.io', 'clusterroles'),
  clusterRoleBindings: must('rbac.authorization.k8s.io', 'clusterrolebindings'),
  roles: must('rbac.authorization.k8s.io', 'roles'),
  roleBindings: must('rbac.authorization.k8s.io', 'rolebindings'),
} as const;
