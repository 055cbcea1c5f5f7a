import type { JsonObject, JsonValue } from '../objects.js';

/**
 * Sets an object member. A plain assignment to "__proto__" would change the object's prototype
 * instead of adding a member, and patch bodies are untrusted, so define it as an own property.
 */
export function setMember(object: JsonObject, name: string, value: JsonValue): void {
  if (name === '__proto__') {
    Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    object[name] = value;
  }
}

/** True only for own members, so names such as "constructor" or "toString" are not found by accident. */
export function hasMember(object: JsonObject, name: string): boolean {
  return Object.hasOwn(object, name) && object[name] !== undefined;
}

/** Reads an own member only; `object["__proto__"]` would otherwise hand out Object.prototype to be patched. */
export function getMember(object: JsonObject, name: string): JsonValue | undefined {
  return Object.hasOwn(object, name) ? object[name] : undefined;
}
