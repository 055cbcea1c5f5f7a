import type { JsonValue } from '../objects.js';
import { jsonEqual } from './json-equal.js';
import { badRequest } from './patch-error.js';

/** How an item is identified: its merge key value, or the item itself in a list of primitives. */
export type ItemKey = (item: JsonValue) => JsonValue | undefined;

/**
 * Reorders a merged list as `$setElementOrder` asks. Items named in `order` come in that order;
 * items it does not name (added on the server by someone else) keep their place relative to the live
 * list, going ahead of the next named item that followed them there. Kubernetes does the same, so a
 * controller's injected sidecar stays where it was when kubectl reorders the user's containers.
 * Names in `order` that match no item are ignored.
 */
export function applyElementOrder(merged: JsonValue[], live: JsonValue[], order: JsonValue[], keyOf: ItemKey): JsonValue[] {
  const position = (item: JsonValue, list: JsonValue[]): number => indexOfKey(list, keyOf(item), keyOf);
  const named: JsonValue[] = [];
  const unnamed: JsonValue[] = [];
  for (const item of merged) (position(item, order) >= 0 ? named : unnamed).push(item);
  named.sort((a, b) => position(a, order) - position(b, order));

  const result: JsonValue[] = [];
  let n = 0;
  let u = 0;
  while (n < named.length || u < unnamed.length) {
    const next = named[n];
    const other = unnamed[u];
    if (next === undefined) {
      result.push(...unnamed.slice(u));
      break;
    }
    if (other === undefined) {
      result.push(...named.slice(n));
      break;
    }
    const otherLive = position(other, live);
    const nextLive = position(next, live);
    if (otherLive >= 0 && nextLive >= 0 && otherLive < nextLive) {
      result.push(other);
      u++;
    } else {
      result.push(next);
      n++;
    }
  }
  return result;
}

/**
 * The items of the patch list must appear in `$setElementOrder` and in the same relative order;
 * otherwise the client built the two lists from different states and the patch is rejected, as Kubernetes does.
 */
export function checkOrderMatchesPatch(patchItems: JsonValue[], order: JsonValue[], keyOf: ItemKey): void {
  let cursor = 0;
  for (const item of patchItems) {
    const key = keyOf(item);
    while (cursor < order.length && !jsonEqual(keyOf(order[cursor] as JsonValue), key)) cursor++;
    if (cursor === order.length) {
      throw badRequest(
        `invalid patch format of setElementOrder list: the order in the patch list ${JSON.stringify(patchItems)} doesn't match the $setElementOrder list ${JSON.stringify(order)}`,
      );
    }
    cursor++;
  }
}

export function indexOfKey(list: JsonValue[], key: JsonValue | undefined, keyOf: ItemKey): number {
  if (key === undefined) return -1;
  return list.findIndex((item) => jsonEqual(keyOf(item), key));
}
