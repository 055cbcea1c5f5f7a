import type { JsonObject } from '../objects.js';

/** Fills the fields the API server defaults in a PodSpec (pods and pod templates alike). */
export function defaultPodSpec(spec: JsonObject): JsonObject {
  const out: JsonObject = {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
    ...spec,
  };
  if (out['serviceAccountName'] === undefined) out['serviceAccountName'] = (out['serviceAccount'] as string | undefined) ?? 'default';
  out['serviceAccount'] = out['serviceAccountName'];
  for (const field of ['containers', 'initContainers']) {
    const containers = out[field];
    if (Array.isArray(containers)) out[field] = containers.map((c) => defaultContainer(c as JsonObject));
  }
  return out;
}

function defaultContainer(container: JsonObject): JsonObject {
  const image = String(container['image'] ?? '');
  const tag = image.includes('@') ? 'digest' : (image.split('/').pop()!.split(':')[1] ?? 'latest');
  const out: JsonObject = {
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: tag === 'latest' ? 'Always' : 'IfNotPresent',
    resources: {},
    ...container,
  };
  if (Array.isArray(out['ports'])) {
    out['ports'] = out['ports'].map((port) => ({ protocol: 'TCP', ...(port as JsonObject) }));
  }
  return out;
}
