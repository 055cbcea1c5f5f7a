// Cluster-scoped infrastructure: Namespace and Node.
import type { KubeObject } from '../objects.js';
import { AGE_COLUMN, NAME_COLUMN, column, wide, type Printer } from './columns.js';
import { at, obj, objects, str, stringMap } from './fields.js';
import { byCodePoint, since } from './format.js';

export const namespacePrinter: Printer = {
  columns: [NAME_COLUMN, column('Status', 'string', 'The status of the namespace'), AGE_COLUMN],
  cells(namespace, now) {
    // Creation sets phase Active, so a stored namespace without one is Active (or going away).
    const phase = str(at(namespace, 'status', 'phase')) || (namespace.metadata.deletionTimestamp ? 'Terminating' : 'Active');
    return [namespace.metadata.name ?? '', phase, since(namespace.metadata.creationTimestamp, now)];
  },
};

function nodeStatus(node: KubeObject): string {
  const ready = objects(at(node, 'status', 'conditions')).find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (at(node, 'spec', 'unschedulable') === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

const ROLE_PREFIX = 'node-role.kubernetes.io/';

function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(stringMap(node.metadata.labels))) {
    if (key.startsWith(ROLE_PREFIX) && key.length > ROLE_PREFIX.length) roles.add(key.slice(ROLE_PREFIX.length));
    else if (key === 'kubernetes.io/role' && value) roles.add(value);
  }
  return [...roles].sort(byCodePoint).join(',') || '<none>';
}

function nodeAddress(node: KubeObject, type: string): string {
  return str(objects(at(node, 'status', 'addresses')).find((a) => a.type === type)?.address) || '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    AGE_COLUMN,
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    wide('Internal-IP', 'List of addresses reachable to the node.'),
    wide('External-IP', 'List of addresses reachable to the node.'),
    wide('OS-Image', 'OS Image reported by the node from /etc/os-release.'),
    wide('Kernel-Version', "Kernel Version reported by the node from 'uname -r'."),
    wide('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API.'),
  ],
  cells(node, now) {
    const info = obj(at(node, 'status', 'nodeInfo')) ?? {};
    return [
      node.metadata.name ?? '',
      nodeStatus(node),
      nodeRoles(node),
      since(node.metadata.creationTimestamp, now),
      str(info.kubeletVersion),
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};
