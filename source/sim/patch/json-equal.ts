import { isJsonObject, type JsonValue } from '../objects.js';

/**
 * JSON equality: object members compare regardless of order, arrays in order.
 * Members whose value is undefined count as absent, because the object types allow them.
 */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const aKeys = definedKeys(a);
    const bKeys = definedKeys(b);
    return aKeys.length === bKeys.length && aKeys.every((key) => jsonEqual(a[key], b[key]));
  }
  return false;
}

function definedKeys(object: Record<string, JsonValue | undefined>): string[] {
  return Object.keys(object).filter((key) => object[key] !== undefined);
}
