import { clone, isJsonObject, type JsonObject, type JsonValue } from '../objects.js';
import { getMember, setMember } from './json-members.js';

/**
 * RFC 7386 JSON merge patch. Returns a new value that shares nothing with either argument,
 * so callers may mutate the result (e.g. bump resourceVersion) without touching the stored object.
 * A null member deletes, an object merges member by member, anything else (arrays included) replaces.
 */
export function jsonMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  return mergeInto(target === undefined ? undefined : clone(target), patch);
}

// Works on a private copy of the target, so mutating it in place is safe.
function mergeInto(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return clone(patch);
  // A non-object target is replaced by an object, as the RFC's pseudocode does.
  const result: JsonObject = isJsonObject(target) ? target : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) {
      delete result[name];
    } else {
      setMember(result, name, mergeInto(getMember(result, name), value));
    }
  }
  return result;
}
