// RoleBinding and ClusterRoleBinding. Role and ClusterRole have no printer in Kubernetes and
// fall back to the NAME / CREATED AT default (see default-columns.ts).
import type { KubeObject } from '../objects.js';
import { AGE_COLUMN, NAME_COLUMN, column, wide, type Printer } from './columns.js';
import { at, objects, str } from './fields.js';
import { since } from './format.js';

/** rbac.SubjectsStrings: users, groups and namespace/name service accounts. */
function subjects(binding: KubeObject): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const accounts: string[] = [];
  for (const subject of objects(binding.subjects)) {
    if (subject.kind === 'User') users.push(str(subject.name));
    else if (subject.kind === 'Group') groups.push(str(subject.name));
    else if (subject.kind === 'ServiceAccount') accounts.push(`${str(subject.namespace)}/${str(subject.name)}`);
  }
  return [users.join(', '), groups.join(', '), accounts.join(', ')];
}

function bindingPrinter(scope: string): Printer {
  return {
    columns: [
      NAME_COLUMN,
      column('Role', 'string', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
      AGE_COLUMN,
      wide('Users', `Users in the ${scope}`),
      wide('Groups', `Groups in the ${scope}`),
      wide('ServiceAccounts', `ServiceAccounts in the ${scope}`),
    ],
    cells(binding, now) {
      const role = `${str(at(binding, 'roleRef', 'kind'))}/${str(at(binding, 'roleRef', 'name'))}`;
      return [binding.metadata.name ?? '', role, since(binding.metadata.creationTimestamp, now), ...subjects(binding)];
    },
  };
}

export const roleBindingPrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');
