// Go's protobuf encoder writes every non-pointer string as a field even when it is "", while the
// JSON encoder (omitempty) leaves such fields out. Dropping empty values makes a decoded body look
// like the JSON kubectl would have sent for the same object.

import type { JsonObject, JsonValue } from '../objects.js';

export function omitEmpty(fields: Record<string, JsonValue | undefined>): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    result[key] = value;
  }
  return result;
}
