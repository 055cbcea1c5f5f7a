import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../objects.js';
import { jsonMergePatch } from './json-merge-patch.js';
import { applyJsonPatch } from './json-patch.js';
import { strategiesForKind } from './patch-strategies.js';
import { badRequest, invalid, unsupportedMediaType } from './patch-error.js';
import { strategicMergePatch } from './strategic-merge-patch.js';

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
const APPLY_PATCH = 'application/apply-patch+yaml';

/**
 * The PATCH verb of the simulated API server: applies `patchBody` of the given Content-Type to
 * `original` (left untouched) and returns the patched object. Failures throw a PatchError whose
 * code and reason match what kube-apiserver answers. Strategic merge patch exists only for kinds
 * compiled into Kubernetes, so `builtIn` decides whether it is accepted.
 */
export function applyPatch(
  contentType: string,
  original: KubeObject,
  patchBody: string,
  kind: string,
  builtIn: boolean,
): KubeObject {
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  switch (mediaType) {
    case JSON_PATCH:
      return asKubeObject(applyJsonPatch(original, parseBody(patchBody)));
    case MERGE_PATCH:
      return asKubeObject(jsonMergePatch(original, requireObject(parseBody(patchBody))));
    case STRATEGIC_MERGE_PATCH:
      if (!builtIn) throw unknownFormat(builtIn);
      return asKubeObject(strategicMergePatch(original, requireObject(parseBody(patchBody)), strategiesForKind(kind)));
    case APPLY_PATCH:
      // Kubernetes accepts it, so the generic "unknown format" message would be misleading here.
      throw unsupportedMediaType(
        `server-side apply (${APPLY_PATCH}) is not supported by this simulated API server; use client-side kubectl apply`,
      );
    default:
      throw unknownFormat(builtIn);
  }
}

// kube-apiserver's own wording and order, so kubectl users see the familiar message.
function unknownFormat(builtIn: boolean) {
  const accepted = builtIn
    ? [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH]
    : [JSON_PATCH, MERGE_PATCH, APPLY_PATCH];
  return unsupportedMediaType(
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

/** Throws what applyPatch would for a media type it does not take, without needing the object. */
export function checkPatchType(contentType: string, builtIn: boolean): void {
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (mediaType === JSON_PATCH || mediaType === MERGE_PATCH || (mediaType === STRATEGIC_MERGE_PATCH && builtIn)) return;
  applyPatch(contentType, { metadata: {} }, '{}', '', builtIn);
}

function parseBody(body: string): JsonValue {
  try {
    return JSON.parse(body) as JsonValue;
  } catch (error) {
    throw badRequest(`error decoding patch: ${(error as Error).message}`);
  }
}

// A merge patch that is not an object would replace the whole resource with a non-object;
// Kubernetes refuses such a body outright.
function requireObject(patch: JsonValue): JsonObject {
  if (!isJsonObject(patch)) throw badRequest('the patch must be a JSON object');
  return patch;
}

function asKubeObject(result: JsonValue): KubeObject {
  if (!isJsonObject(result)) throw invalid('the patched object is not a JSON object');
  if (!isJsonObject(result['metadata'])) throw invalid('the patched object has no metadata object');
  return result as KubeObject;
}
