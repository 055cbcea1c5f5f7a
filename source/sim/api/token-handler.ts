import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject } from '../objects.js';
import { DEFAULT_AUDIENCE } from '../auth/tokens.js';
import type { ResourceRoute } from './route.js';
import type { ServingCluster } from './serving-cluster.js';
import { decodeObjectBody, sendJson } from './http-io.js';
import { badRequest, invalid, methodNotAllowed } from './status.js';

const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 48 * 3600;

/** `POST serviceaccounts/<name>/token`: a bound token for the service account (kubectl create token). */
export function handleTokenRequest(cluster: ServingCluster, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, body: Buffer): void {
  const { def, namespace, name } = route;
  if (!name || !namespace) throw methodNotAllowed();
  const account = cluster.api.get(def, namespace, name);
  const request = decodeObjectBody(req, body);
  const spec = (request['spec'] as JsonObject | undefined) ?? {};
  const expirationSeconds = (spec['expirationSeconds'] as number | undefined) ?? 3600;
  if (typeof expirationSeconds !== 'number' || expirationSeconds < MIN_EXPIRATION_SECONDS) {
    throw invalid(def, name, [{ reason: 'FieldValueInvalid', message: 'may not specify a duration less than 10 minutes', field: 'spec.expirationSeconds' }]);
  }
  if (expirationSeconds > 2 ** 32) throw badRequest('spec.expirationSeconds is too large');
  const audiences = Array.isArray(spec['audiences']) && spec['audiences'].length > 0 ? (spec['audiences'] as string[]) : [DEFAULT_AUDIENCE];
  const now = cluster.now();
  const lifetime = Math.min(expirationSeconds, MAX_EXPIRATION_SECONDS);
  const exp = Math.floor(now.getTime() / 1000) + lifetime;
  const token = cluster.tokens.issue(
    {
      sub: `system:serviceaccount:${namespace}:${name}`,
      aud: audiences,
      exp,
      namespace,
      serviceAccount: { name, uid: account.metadata.uid! },
    },
    now,
  );
  sendJson(res, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: null },
    spec: { audiences, expirationSeconds: lifetime, boundObjectRef: (spec['boundObjectRef'] as JsonObject | undefined) ?? null },
    status: { token, expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
  });
}
