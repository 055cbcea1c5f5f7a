// Which printer serves which group/kind.
import { webhookConfigurationPrinter } from './admission.js';
import { namespacePrinter, nodePrinter } from './cluster.js';
import type { Printer } from './columns.js';
import { configMapPrinter, secretPrinter, serviceAccountPrinter } from './config.js';
import { CUSTOM_RESOURCE_COLUMNS, crdPrinter } from './custom-resources.js';
import { defaultPrinter } from './default-columns.js';
import { eventPrinter } from './events.js';
import { endpointSlicePrinter, endpointsPrinter, servicePrinter } from './networking.js';
import { podPrinter } from './pod.js';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac.js';
import { daemonSetPrinter, deploymentPrinter, replicaSetPrinter, statefulSetPrinter } from './workloads.js';

const BUILT_IN_PRINTERS: Record<string, Printer> = {
  '/Pod': podPrinter,
  '/Service': servicePrinter,
  '/Endpoints': endpointsPrinter,
  '/Namespace': namespacePrinter,
  '/Node': nodePrinter,
  '/ConfigMap': configMapPrinter,
  '/Secret': secretPrinter,
  '/ServiceAccount': serviceAccountPrinter,
  '/Event': eventPrinter,
  'apps/Deployment': deploymentPrinter,
  'apps/ReplicaSet': replicaSetPrinter,
  'apps/StatefulSet': statefulSetPrinter,
  'apps/DaemonSet': daemonSetPrinter,
  'discovery.k8s.io/EndpointSlice': endpointSlicePrinter,
  'rbac.authorization.k8s.io/RoleBinding': roleBindingPrinter,
  'rbac.authorization.k8s.io/ClusterRoleBinding': clusterRoleBindingPrinter,
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': webhookConfigurationPrinter,
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': webhookConfigurationPrinter,
};

// Groups kube-apiserver (and its apiextensions/aggregator parts) serves itself. Anything else
// is a custom resource and prints from CRD columns, defaulting to NAME and AGE.
const BUILT_IN_GROUPS = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
]);

const customPrinters = new Map<string, Printer>();

export function printerFor(group: string, kind: string): Printer {
  const key = `${group}/${kind}`;
  const builtIn = BUILT_IN_PRINTERS[key];
  if (builtIn) return builtIn;
  if (BUILT_IN_GROUPS.has(group)) return defaultPrinter;
  let printer = customPrinters.get(key);
  if (!printer) {
    printer = crdPrinter(CUSTOM_RESOURCE_COLUMNS[key] ?? []);
    customPrinters.set(key, printer);
  }
  return printer;
}
