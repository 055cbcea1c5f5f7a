import { clone, isJsonObject, type JsonObject, type JsonValue } from '../objects.js';
import { jsonEqual } from './json-equal.js';
import { getMember, setMember } from './json-members.js';
import { badRequest, invalid } from './patch-error.js';
import type { FieldStrategy, StructStrategy } from './patch-strategies.js';
import {
  PATCH_DIRECTIVE,
  RETAIN_KEYS_DIRECTIVE,
  isDirectiveKey,
  parseParallelDirective,
} from './strategic-directives.js';
import { applyElementOrder, checkOrderMatchesPatch, indexOfKey, type ItemKey } from './strategic-list-order.js';

/**
 * Applies a Kubernetes strategic merge patch to `original` (not modified) using the per-field
 * strategies of its kind. The result shares no objects with either argument and never contains directives.
 */
export function strategicMergePatch(original: JsonObject, patch: JsonObject, strategies: StructStrategy): JsonObject {
  // A top-level `$patch: delete` yields {}, which the caller rejects for lacking metadata.
  return mergeObject(clone(original), patch, strategies);
}

// `target` is a private copy, so it is modified in place; `patch` is only read.
function mergeObject(target: JsonObject, patch: JsonObject, strategies: StructStrategy): JsonObject {
  const directive = getMember(patch, PATCH_DIRECTIVE);
  // Kubernetes empties a deleted map rather than removing it; a typed server then drops or defaults it.
  if (directive === 'delete') return {};
  if (directive === 'replace') return mergeObject({}, withoutMember(patch, PATCH_DIRECTIVE), strategies);
  // "merge" is not accepted on maps either: kube-apiserver knows only replace and delete there.
  if (directive !== undefined) {
    throw badRequest(`unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(patch)}`);
  }

  applyRetainKeys(target, patch);

  const listDirectives = collectListDirectives(patch);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || isDirectiveKey(key)) continue;
    const strategy = strategyFor(strategies, key);
    if (value === null) {
      delete target[key];
    } else if (Array.isArray(value)) {
      setMember(target, key, mergeList(getMember(target, key), value, strategy, listDirectives.get(key)));
      listDirectives.delete(key);
    } else if (isJsonObject(value)) {
      const current = getMember(target, key);
      // Deleting a map that is not there must not create an empty one.
      if (current === undefined && getMember(value, PATCH_DIRECTIVE) === 'delete') continue;
      setMember(target, key, mergeObject(isJsonObject(current) ? current : {}, value, strategy?.fields ?? {}));
    } else {
      setMember(target, key, value);
    }
  }

  // Directives about lists the patch does not otherwise mention still reorder or prune the live list.
  for (const [key, directives] of listDirectives) {
    const current = getMember(target, key);
    if (Array.isArray(current)) setMember(target, key, mergeList(current, undefined, strategyFor(strategies, key), directives));
  }
  return target;
}

interface ListDirectives {
  order?: JsonValue[];
  deletions?: JsonValue[];
}

function collectListDirectives(patch: JsonObject): Map<string, ListDirectives> {
  const byField = new Map<string, ListDirectives>();
  for (const [key, value] of Object.entries(patch)) {
    const parsed = parseParallelDirective(key);
    if (!parsed || value === undefined) continue;
    if (!Array.isArray(value)) {
      const what = parsed.directive === 'setElementOrder' ? 'setElementOrder list' : 'primitive list';
      throw badRequest(`invalid patch format of ${what}: ${key} must be a list`);
    }
    const entry = byField.get(parsed.field) ?? {};
    if (parsed.directive === 'setElementOrder') entry.order = value;
    else entry.deletions = value;
    byField.set(parsed.field, entry);
  }
  return byField;
}

/** `$retainKeys` clears every member of the live map it does not name, before the patch is merged in. */
function applyRetainKeys(target: JsonObject, patch: JsonObject): void {
  const retain = getMember(patch, RETAIN_KEYS_DIRECTIVE);
  if (retain === undefined) return;
  if (!Array.isArray(retain) || !retain.every((key): key is string => typeof key === 'string')) {
    throw badRequest(`invalid patch format of retainKeys: ${JSON.stringify(retain)} must be a list of strings`);
  }
  // Setting a field that the directive says to drop is contradictory, so kube-apiserver refuses the patch.
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined && value !== null && !isDirectiveKey(key) && !retain.includes(key)) {
      throw badRequest(`invalid patch format of retainKeys: "${key}" is set but not in ${JSON.stringify(retain)}`);
    }
  }
  for (const key of Object.keys(target)) {
    if (!retain.includes(key)) delete target[key];
  }
}

function mergeList(
  current: JsonValue | undefined,
  patch: JsonValue[] | undefined,
  strategy: FieldStrategy | undefined,
  directives: ListDirectives = {},
): JsonValue[] {
  if (strategy?.strategy !== 'merge') {
    // Untagged lists are atomic: the patch's list is the new value and list directives have nothing to act on.
    return patch === undefined ? (Array.isArray(current) ? current : []) : clone(patch);
  }
  const live = Array.isArray(current) ? current : [];
  return strategy.mergeKey === undefined
    ? mergePrimitiveList(live, patch ?? [], directives)
    : mergeListOfMaps(live, patch ?? [], strategy.mergeKey, strategy.fields ?? {}, directives);
}

function mergePrimitiveList(live: JsonValue[], patch: JsonValue[], { order, deletions }: ListDirectives): JsonValue[] {
  for (const item of [...patch, ...(deletions ?? [])]) {
    if (isJsonObject(item) || Array.isArray(item)) {
      throw badRequest(`invalid patch format of primitive list: ${JSON.stringify(item)} is not a primitive`);
    }
  }
  const kept = live.filter((item) => !(deletions ?? []).some((deleted) => jsonEqual(deleted, item)));
  // A merged list of primitives is a set: existing values keep their place, new ones are appended once.
  const merged: JsonValue[] = [];
  for (const item of [...kept, ...patch]) {
    if (!merged.some((seen) => jsonEqual(seen, item))) merged.push(item);
  }
  if (!order) return merged;
  const self: ItemKey = (item) => item;
  checkOrderMatchesPatch(patch, order, self);
  return applyElementOrder(merged, kept, order, self);
}

function mergeListOfMaps(
  live: JsonValue[],
  patch: JsonValue[],
  mergeKey: string,
  itemStrategies: StructStrategy,
  { order, deletions }: ListDirectives,
): JsonValue[] {
  if (deletions) {
    throw badRequest(`invalid patch format of primitive list: $deleteFromPrimitiveList used on a list keyed by "${mergeKey}"`);
  }
  const keyOf: ItemKey = (item) => (isJsonObject(item) ? getMember(item, mergeKey) : undefined);
  let kept = [...live];
  let replaceAll = false;
  const updates: JsonObject[] = [];
  for (const item of patch) {
    if (Array.isArray(item)) throw invalid('lists of lists are not supported');
    if (!isJsonObject(item)) {
      throw badRequest(`the list keyed by "${mergeKey}" may only hold maps, got ${JSON.stringify(item)}`);
    }
    const directive = getMember(item, PATCH_DIRECTIVE);
    if (directive === undefined) {
      if (keyOf(item) === undefined) throw noMergeKey(item, mergeKey);
      updates.push(item);
    } else if (directive === 'delete') {
      const key = keyOf(item);
      if (key === undefined) throw noMergeKey(item, mergeKey);
      kept = kept.filter((existing) => !jsonEqual(keyOf(existing), key));
    } else if (directive === 'replace') {
      // The other items become the whole list; keep scanning so their own deletes are still honoured.
      replaceAll = true;
    } else if (directive === 'merge') {
      throw badRequest('merging lists cannot yet be specified in the patch');
    } else {
      throw badRequest(`unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(item)}`);
    }
  }
  if (replaceAll) kept = [];

  const merged = [...kept];
  for (const update of updates) {
    const index = indexOfKey(merged, keyOf(update), keyOf);
    const existing = index >= 0 ? merged[index] : undefined;
    const result = mergeObject(isJsonObject(existing) ? existing : {}, update, itemStrategies);
    // Appending new items is this simulator's chosen rule. Without $setElementOrder kube-apiserver would put
    // the patch's items, in patch order, ahead of live items the patch does not mention; kubectl always sends
    // $setElementOrder when it adds items, so only hand-written patches can tell the difference.
    if (index >= 0) merged[index] = result;
    else merged.push(result);
  }
  if (!order) return merged;
  for (const entry of order) {
    if (keyOf(entry) === undefined) throw noMergeKey(entry, mergeKey, 'invalid patch format of setElementOrder list: ');
  }
  checkOrderMatchesPatch(updates, order, keyOf);
  return applyElementOrder(merged, kept, order, keyOf);
}

function noMergeKey(item: JsonValue, mergeKey: string, prefix = '') {
  return badRequest(`${prefix}map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
}

// Own members only: a field named "constructor" must not pick up Object.prototype.constructor.
function strategyFor(strategies: StructStrategy, key: string): FieldStrategy | undefined {
  return Object.hasOwn(strategies, key) ? strategies[key] : undefined;
}

function withoutMember(object: JsonObject, name: string): JsonObject {
  const copy = { ...object };
  delete copy[name];
  return copy;
}
