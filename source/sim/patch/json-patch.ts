import { clone, isJsonObject, type JsonObject, type JsonValue } from '../objects.js';
import { jsonEqual } from './json-equal.js';
import { getMember, hasMember, setMember } from './json-members.js';
import { formatJsonPointer, parseJsonPointer } from './json-pointer.js';
import { badRequest, invalid } from './patch-error.js';

export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string[]; value: JsonValue }
  | { op: 'remove'; path: string[] }
  | { op: 'move' | 'copy'; from: string[]; path: string[] };

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/**
 * Checks the shape of an RFC 6902 patch document before anything is applied,
 * so a malformed patch is reported as such (400) even when its first operations would work.
 */
export function parseJsonPatch(body: JsonValue): JsonPatchOperation[] {
  if (!Array.isArray(body)) throw badRequest('a JSON patch must be a JSON array of operations');
  return body.map((entry, index) => {
    if (!isJsonObject(entry)) throw badRequest(`JSON patch operation ${index} is not an object`);
    const op = entry['op'];
    if (typeof op !== 'string' || !OPS.has(op)) {
      throw badRequest(`JSON patch operation ${index} has an unknown "op": ${JSON.stringify(op ?? null)}`);
    }
    const path = pointerMember(entry, 'path', index);
    switch (op) {
      case 'remove':
        return { op, path };
      case 'move':
      case 'copy':
        return { op, from: pointerMember(entry, 'from', index), path };
      default: {
        // Only a missing member is an error: "value": null is a legitimate value to add or test.
        const value = getMember(entry, 'value');
        if (value === undefined) throw badRequest(`JSON patch operation ${index} (${op}) has no "value"`);
        return { op: op as 'add' | 'replace' | 'test', path, value };
      }
    }
  });
}

/** Applies an RFC 6902 patch; all or nothing, and `document` is never modified. */
export function applyJsonPatch(document: JsonValue, body: JsonValue): JsonValue {
  const operations = parseJsonPatch(body);
  let result = clone(document);
  for (const operation of operations) result = applyOperation(result, operation);
  return result;
}

function applyOperation(doc: JsonValue, operation: JsonPatchOperation): JsonValue {
  switch (operation.op) {
    case 'add':
      return add(doc, operation.path, clone(operation.value), 'add');
    case 'remove':
      remove(doc, operation.path, 'remove');
      return doc;
    case 'replace':
      return replace(doc, operation.path, clone(operation.value));
    case 'move': {
      const moved = requireValue(doc, operation.from, 'move');
      if (isProperPrefix(operation.from, operation.path)) {
        throw invalid(
          `move operation does not apply: "${formatJsonPointer(operation.from)}" cannot be moved into its own child "${formatJsonPointer(operation.path)}"`,
        );
      }
      if (samePath(operation.from, operation.path)) return doc;
      remove(doc, operation.from, 'move');
      return add(doc, operation.path, moved, 'move');
    }
    case 'copy':
      return add(doc, operation.path, clone(requireValue(doc, operation.from, 'copy')), 'copy');
    case 'test': {
      const actual = requireValue(doc, operation.path, 'test');
      if (!jsonEqual(actual, operation.value)) {
        // kube-apiserver's wording (from the json-patch library it uses), so clients see the familiar text.
        throw invalid(`testing value ${formatJsonPointer(operation.path)} failed: test failed`);
      }
      return doc;
    }
  }
}

function add(doc: JsonValue, path: string[], value: JsonValue, op: string): JsonValue {
  if (path.length === 0) return value;
  const { container, token } = parentOf(doc, path, op);
  if (Array.isArray(container)) {
    // "-" means one past the last element, i.e. append.
    const index = token === '-' ? container.length : arrayIndex(token, path, op);
    if (index > container.length) throw outOfRange(path, op);
    container.splice(index, 0, value);
  } else {
    setMember(container, token, value);
  }
  return doc;
}

function remove(doc: JsonValue, path: string[], op: string): void {
  if (path.length === 0) throw invalid(`${op} operation does not apply: the whole document cannot be removed`);
  const { container, token } = parentOf(doc, path, op);
  if (Array.isArray(container)) {
    const index = arrayIndex(token, path, op);
    if (index >= container.length) throw outOfRange(path, op);
    container.splice(index, 1);
  } else {
    if (!hasMember(container, token)) throw missing(path, op);
    delete container[token];
  }
}

// In place, so a replaced member keeps its position among its siblings.
function replace(doc: JsonValue, path: string[], value: JsonValue): JsonValue {
  requireValue(doc, path, 'replace');
  if (path.length === 0) return value;
  const { container, token } = parentOf(doc, path, 'replace');
  if (Array.isArray(container)) container[arrayIndex(token, path, 'replace')] = value;
  else setMember(container, token, value);
  return doc;
}

function requireValue(doc: JsonValue, path: string[], op: string): JsonValue {
  let current: JsonValue | undefined = doc;
  for (const token of path) current = child(current, token);
  if (current === undefined) throw missing(path, op);
  return current;
}

// A missing parent is reported with the full path: that is the path the client wrote.
function parentOf(doc: JsonValue, path: string[], op: string): { container: JsonObject | JsonValue[]; token: string } {
  let container: JsonValue | undefined = doc;
  for (const token of path.slice(0, -1)) container = child(container, token);
  if (!isJsonObject(container) && !Array.isArray(container)) throw missing(path, op);
  return { container, token: path[path.length - 1] ?? '' };
}

function child(value: JsonValue | undefined, token: string): JsonValue | undefined {
  if (Array.isArray(value)) {
    // "-" and non-canonical indices ("01") name nothing that exists.
    return /^(0|[1-9][0-9]*)$/.test(token) ? value[Number(token)] : undefined;
  }
  return isJsonObject(value) ? getMember(value, token) : undefined;
}

function arrayIndex(token: string, path: string[], op: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) {
    throw invalid(`${op} operation does not apply: "${token}" in "${formatJsonPointer(path)}" is not an array index`);
  }
  return Number(token);
}

function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((token, i) => b[i] === token);
}

function isProperPrefix(prefix: string[], path: string[]): boolean {
  return path.length > prefix.length && prefix.every((token, i) => path[i] === token);
}

function missing(path: string[], op: string) {
  return invalid(`${op} operation does not apply: doc is missing path: "${formatJsonPointer(path)}"`);
}

function outOfRange(path: string[], op: string) {
  return invalid(`${op} operation does not apply: index out of range in "${formatJsonPointer(path)}"`);
}

function pointerMember(entry: JsonObject, name: 'path' | 'from', index: number): string[] {
  const pointer = getMember(entry, name);
  if (typeof pointer !== 'string') throw badRequest(`JSON patch operation ${index} has no "${name}" string`);
  return parseJsonPointer(pointer);
}
