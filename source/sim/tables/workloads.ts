// apps/v1 controllers: Deployment, ReplicaSet, StatefulSet, DaemonSet.
import type { JsonValue, KubeObject } from '../objects.js';
import { AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, NAME_COLUMN, column, wide, type Printer } from './columns.js';
import { at, int, objects, str } from './fields.js';
import { formatLabels, formatSelector, selectorString, since } from './format.js';

/** Comma-joined container names and images of a pod template, as `-o wide` shows them. */
export function containerCells(template: JsonValue | undefined): [string, string] {
  const containers = objects(at(template, 'spec', 'containers'));
  return [containers.map((c) => str(c.name)).join(','), containers.map((c) => str(c.image)).join(',')];
}

// The API server defaults spec.replicas to 1, so a stored object without it means one.
function desiredReplicas(item: KubeObject): number {
  return int(at(item, 'spec', 'replicas'), 1);
}

function statusCount(item: KubeObject, field: string): number {
  return int(at(item, 'status', field));
}

export const deploymentPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    wide('Selector', 'Label selector for pods.'),
  ],
  cells(item, now) {
    const [containers, images] = containerCells(at(item, 'spec', 'template'));
    return [
      item.metadata.name ?? '',
      `${statusCount(item, 'readyReplicas')}/${desiredReplicas(item)}`,
      statusCount(item, 'updatedReplicas'),
      statusCount(item, 'availableReplicas'),
      since(item.metadata.creationTimestamp, now),
      containers,
      images,
      // printDeployment uses the bare selector string: an empty selector prints as nothing.
      selectorString(at(item, 'spec', 'selector')),
    ];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
    column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    column('Ready', 'integer', 'The number of ready replicas for this replica set.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    wide('Selector', 'Selector is a label query over pods that should match the replica count.'),
  ],
  cells(item, now) {
    const [containers, images] = containerCells(at(item, 'spec', 'template'));
    return [
      item.metadata.name ?? '',
      desiredReplicas(item),
      statusCount(item, 'replicas'),
      statusCount(item, 'readyReplicas'),
      since(item.metadata.creationTimestamp, now),
      containers,
      images,
      formatSelector(at(item, 'spec', 'selector')),
    ];
  },
};

export const statefulSetPrinter: Printer = {
  columns: [NAME_COLUMN, column('Ready', 'string', 'Number of the pod with ready state'), AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN],
  cells(item, now) {
    const [containers, images] = containerCells(at(item, 'spec', 'template'));
    return [
      item.metadata.name ?? '',
      `${statusCount(item, 'readyReplicas')}/${desiredReplicas(item)}`,
      since(item.metadata.creationTimestamp, now),
      containers,
      images,
    ];
  },
};

export const daemonSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    column('Current', 'integer', 'The number of nodes running at least one daemon pod and supposed to.'),
    column('Ready', 'integer', 'The number of nodes with a ready daemon pod.'),
    column('Up-to-date', 'integer', 'The number of nodes running the updated daemon pod.'),
    column('Available', 'integer', 'The number of nodes with an available daemon pod.'),
    column('Node Selector', 'string', 'Selector which must match a node for the pod to be scheduled on it.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    wide('Selector', 'A label query over pods that are managed by the daemon set.'),
  ],
  cells(item, now) {
    const [containers, images] = containerCells(at(item, 'spec', 'template'));
    return [
      item.metadata.name ?? '',
      statusCount(item, 'desiredNumberScheduled'),
      statusCount(item, 'currentNumberScheduled'),
      statusCount(item, 'numberReady'),
      statusCount(item, 'updatedNumberScheduled'),
      statusCount(item, 'numberAvailable'),
      formatLabels(at(item, 'spec', 'template', 'spec', 'nodeSelector')),
      since(item.metadata.creationTimestamp, now),
      containers,
      images,
      formatSelector(at(item, 'spec', 'selector')),
    ];
  },
};
