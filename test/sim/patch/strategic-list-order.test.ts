import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../source/sim/objects.js';
import { applyElementOrder, checkOrderMatchesPatch, type ItemKey } from '../../../source/sim/patch/strategic-list-order.js';
import { expectPatchError } from './expect-patch-error.js';

const self: ItemKey = (item) => item;
const byName: ItemKey = (item) => (typeof item === 'object' && item !== null && !Array.isArray(item) ? item['name'] : undefined);
const named = (...names: string[]) => names.map((name) => ({ name }));

// Scenarios from the Kubernetes "preserve order in strategic merge patch" design. Items the order does not
// name are placed as kube-apiserver's implementation places them: ahead of the next named item that followed
// them in the live list (the design text puts them all first; the shipped code interleaves).
describe('applyElementOrder', () => {
  it.each<{ name: string; merged: JsonValue[]; live: JsonValue[]; order: JsonValue[]; keyOf: ItemKey; expected: JsonValue[] }>([
    {
      name: 'reorders items that were not otherwise patched',
      merged: ['B', 'A'],
      live: ['B', 'A'],
      order: ['A', 'B'],
      keyOf: self,
      expected: ['A', 'B'],
    },
    {
      name: 'ignores names that match no item',
      merged: ['A', 'B'],
      live: ['A', 'B'],
      order: ['C', 'A', 'B'],
      keyOf: self,
      expected: ['A', 'B'],
    },
    {
      name: 'keeps unnamed server-side items next to their live neighbours',
      merged: ['C', 'B', 'D', 'A', 'E'],
      live: ['C', 'B', 'D', 'A', 'E'],
      order: ['A', 'B'],
      keyOf: self,
      expected: ['C', 'D', 'A', 'B', 'E'],
    },
    {
      name: 'finalizers after a deletion and an addition',
      // live was b,e,a,c,d; c was deleted through $deleteFromPrimitiveList and f added by the patch.
      merged: ['b', 'e', 'a', 'd', 'f'],
      live: ['b', 'e', 'a', 'd'],
      order: ['a', 'b', 'f'],
      keyOf: self,
      expected: ['e', 'a', 'b', 'f', 'd'],
    },
    {
      name: 'env after a server reorder, a deletion and an addition',
      merged: named('ENV2', 'ENV5', 'ENV1', 'ENV4', 'ENV6'),
      live: named('ENV2', 'ENV5', 'ENV1', 'ENV4'),
      order: named('ENV1', 'ENV2', 'ENV6'),
      keyOf: byName,
      expected: named('ENV5', 'ENV1', 'ENV2', 'ENV6', 'ENV4'),
    },
    {
      name: 'an injected sidecar after the user container stays after it',
      merged: named('api', 'istio-proxy'),
      live: named('api', 'istio-proxy'),
      order: named('api'),
      keyOf: byName,
      expected: named('api', 'istio-proxy'),
    },
  ])('$name', ({ merged, live, order, keyOf, expected }) => {
    expect(applyElementOrder(merged, live, order, keyOf)).toEqual(expected);
  });
});

describe('checkOrderMatchesPatch', () => {
  it.each<[string, JsonValue[], JsonValue[]]>([
    ['an empty patch list', [], named('api')],
    ['a patch list that is a subsequence of the order', named('a', 'c'), named('a', 'b', 'c')],
    ['a patch list equal to the order', named('a', 'b'), named('a', 'b')],
  ])('accepts %s', (_name, patch, order) => {
    expect(() => checkOrderMatchesPatch(patch, order, byName)).not.toThrow();
  });

  it.each<[string, JsonValue[], JsonValue[]]>([
    ['a patch item missing from the order', named('a', 'x'), named('a', 'b')],
    ['a patch list in another order', named('b', 'a'), named('a', 'b')],
  ])('rejects %s', (_name, patch, order) => {
    expectPatchError(() => checkOrderMatchesPatch(patch, order, byName), {
      code: 400,
      reason: 'BadRequest',
      message: `invalid patch format of setElementOrder list: the order in the patch list ${JSON.stringify(patch)} doesn't match the $setElementOrder list ${JSON.stringify(order)}`,
    });
  });
});
