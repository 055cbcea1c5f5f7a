// Loose readers for stored JSON: the simulator serves whatever was written, so a printer must
// never throw on a missing or mistyped field; it falls back the way Go's zero values do.
import { isJsonObject, type JsonObject, type JsonValue } from '../objects.js';

export function obj(value: JsonValue | undefined): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

export function list(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

export function objects(value: JsonValue | undefined): JsonObject[] {
  return list(value).filter(isJsonObject);
}

export function str(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

export function int(value: JsonValue | undefined, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : fallback;
}

/** Follows a path of object keys; undefined as soon as a step is not an object. */
export function at(root: JsonValue | undefined, ...path: string[]): JsonValue | undefined {
  let current: JsonValue | undefined = root;
  for (const key of path) {
    const node = obj(current);
    if (!node) return undefined;
    current = node[key];
  }
  return current;
}

export function stringMap(value: JsonValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(obj(value) ?? {})) {
    if (typeof entry === 'string') out[key] = entry;
  }
  return out;
}

export function keyCount(value: JsonValue | undefined): number {
  return Object.keys(obj(value) ?? {}).length;
}
