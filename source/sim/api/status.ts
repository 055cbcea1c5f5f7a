import type { JsonObject } from '../objects.js';
import type { ResourceDef } from '../resources/types.js';
import { groupResource } from '../resources/types.js';

export interface StatusCause extends JsonObject {
  reason: string;
  message: string;
  field: string;
}

/** An error the API answers with a `Status` body, as client-go expects it. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: JsonObject,
    /** Extra response headers, such as Retry-After on a 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toStatus(): JsonObject {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      // kube-apiserver's internal errors (500) may carry no reason at all.
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/**
 * StatusDetails as kube-apiserver encodes them: `name` and `group` are omitempty, so the core group ('')
 * and a request without a name leave them out.
 */
export function statusDetails(fields: { name?: string | undefined; group: string; kind: string; uid?: string }): JsonObject {
  return {
    ...(fields.name ? { name: fields.name } : {}),
    ...(fields.group ? { group: fields.group } : {}),
    kind: fields.kind,
    ...(fields.uid ? { uid: fields.uid } : {}),
  };
}

export const notFound = (def: ResourceDef, name: string) =>
  new ApiError(404, 'NotFound', `${groupResource(def)} "${name}" not found`, statusDetails({ name, group: def.group, kind: def.plural }));

export const alreadyExists = (def: ResourceDef, name: string) =>
  new ApiError(409, 'AlreadyExists', `${groupResource(def)} "${name}" already exists`, statusDetails({ name, group: def.group, kind: def.plural }));

export const conflict = (def: ResourceDef, name: string) =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${groupResource(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    statusDetails({ name, group: def.group, kind: def.plural }),
  );

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

// kube-apiserver sends these two with an empty details object.
export const methodNotAllowed = () => new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});

export const pathNotFound = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

export const unauthorized = () => new ApiError(401, 'Unauthorized', 'Unauthorized');

/**
 * A resourceVersion that is not a number, in kube-apiserver's words: a list answers 400; a watch answers
 * 500 with no reason (the watch cache returns the parse error unwrapped).
 */
export function invalidResourceVersion(raw: string, verb: 'list' | 'watch'): ApiError {
  const cause = `resourceVersion: Invalid value: ${JSON.stringify(raw)}: strconv.ParseUint: parsing ${JSON.stringify(raw)}: invalid syntax`;
  return verb === 'list' ? new ApiError(400, 'BadRequest', `invalid resource version: ${cause}`) : new ApiError(500, '', cause);
}

export const gone = (revision: string, oldest: number) =>
  new ApiError(410, 'Expired', `too old resource version: ${revision} (${oldest})`);

export function invalid(def: ResourceDef, name: string, causes: StatusCause[]): ApiError {
  const summary = causes.map((cause) => `${cause.field}: ${cause.message}`).join(', ');
  return new ApiError(422, 'Invalid', `${def.kind} "${name}" is invalid: ${summary}`, {
    ...statusDetails({ name, group: def.group, kind: def.kind }),
    causes,
  });
}

export function forbidden(user: string, verb: string, def: { group: string; plural: string }, namespace: string | undefined, name: string | undefined): ApiError {
  const target = name ? `${def.plural}${def.group ? '.' + def.group : ''} "${name}"` : `${def.plural}${def.group ? '.' + def.group : ''}`;
  const scope = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
  return new ApiError(
    403,
    'Forbidden',
    `${target} is forbidden: User "${user}" cannot ${verb} resource "${def.plural}" in API group "${def.group}"${scope}`,
    statusDetails({ name, group: def.group, kind: def.plural }),
  );
}

export function successStatus(def: ResourceDef, object: { metadata: { name?: string; uid?: string } }): JsonObject {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: statusDetails({ name: object.metadata.name, group: def.group, kind: def.plural, ...(object.metadata.uid ? { uid: object.metadata.uid } : {}) }),
  };
}
