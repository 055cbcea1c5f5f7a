import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject, KubeObject } from '../objects.js';
import { isJsonObject } from '../objects.js';
import { formatLabelSelector } from '../selectors.js';
import { applyPatch } from '../patch/apply-patch.js';
import { PatchError } from '../patch/patch-error.js';
import type { ResourceRoute } from './route.js';
import type { ServingCluster } from './serving-cluster.js';
import { decodeObjectBody, mediaType, sendJson } from './http-io.js';
import { ApiError, badRequest, conflict, methodNotAllowed } from './status.js';

/** The autoscaling/v1 Scale view of a Deployment or ReplicaSet. */
export function scaleOf(object: KubeObject): KubeObject {
  const spec = (object['spec'] as JsonObject | undefined) ?? {};
  const status = (object['status'] as JsonObject | undefined) ?? {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: object.metadata.name!,
      namespace: object.metadata.namespace!,
      uid: object.metadata.uid!,
      resourceVersion: object.metadata.resourceVersion!,
      creationTimestamp: object.metadata.creationTimestamp!,
    },
    spec: { replicas: (spec['replicas'] as number | undefined) ?? 1 },
    status: {
      replicas: (status['replicas'] as number | undefined) ?? 0,
      selector: isJsonObject(spec['selector']) ? formatLabelSelector(spec['selector'] as never) : '',
    },
  };
}

export function handleScale(cluster: ServingCluster, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, body: Buffer): void {
  const { def, namespace, name } = route;
  if (!name) throw methodNotAllowed();
  const current = cluster.api.get(def, namespace, name);
  const method = req.method ?? 'GET';
  if (method === 'GET') return sendJson(res, 200, scaleOf(current));
  let wanted: KubeObject;
  if (method === 'PUT') {
    wanted = decodeObjectBody(req, body);
  } else if (method === 'PATCH') {
    try {
      wanted = applyPatch(mediaType(req), scaleOf(current), body.toString('utf8'), 'Scale', true);
    } catch (error) {
      if (error instanceof PatchError) throw new ApiError(error.code, error.reason, error.message);
      throw error;
    }
  } else {
    throw methodNotAllowed();
  }
  const expected = wanted.metadata?.resourceVersion;
  if (expected && expected !== current.metadata.resourceVersion) throw conflict(def, name);
  const replicas = (wanted['spec'] as JsonObject | undefined)?.['replicas'];
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) throw badRequest('spec.replicas must be a non-negative integer');
  const updated = cluster.api.update(def, namespace, name, { ...current, spec: { ...(current['spec'] as JsonObject), replicas } });
  sendJson(res, 200, scaleOf(updated));
}
