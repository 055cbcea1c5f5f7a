import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../source/sim/objects.js';
import { jsonMergePatch } from '../../../source/sim/patch/json-merge-patch.js';
import { at, deepFreeze, deployment, edited, virtualService } from './fixtures.js';

describe('jsonMergePatch', () => {
  // RFC 7386 appendix A, verbatim.
  it.each<[string, JsonValue, JsonValue, JsonValue]>([
    ['replaces a member', { a: 'b' }, { a: 'c' }, { a: 'c' }],
    ['adds a member', { a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    ['null deletes a member', { a: 'b' }, { a: null }, {}],
    ['null deletes only that member', { a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    ['a scalar replaces an array', { a: ['b'] }, { a: 'c' }, { a: 'c' }],
    ['an array replaces a scalar', { a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    ['objects merge recursively', { a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    ['arrays are replaced, not merged', { a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    ['an array patch replaces an array document', ['a', 'b'], ['c', 'd'], ['c', 'd']],
    ['an array patch replaces an object document', { a: 'b' }, ['c'], ['c']],
    ['a null patch replaces the document', { a: 'foo' }, null, null],
    ['a scalar patch replaces the document', { a: 'foo' }, 'bar', 'bar'],
    ['existing nulls in the target are kept', { e: null }, { a: 1 }, { e: null, a: 1 }],
    ['a non-object target becomes an object', [1, 2], { a: 'b', c: null }, { a: 'b' }],
    ['nulls inside new members are dropped', {}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%s', (_name, target, patch, expected) => {
    expect(jsonMergePatch(deepFreeze(target), deepFreeze(patch))).toEqual(expected);
  });

  it.each([
    {
      name: 'kubectl label/annotate: null removes a label, new members are added',
      original: deployment(),
      patch: {
        metadata: { labels: { tier: null, team: 'payments' }, annotations: { 'example.com/owner': 'ops' } },
        spec: { replicas: 5 },
      },
      expected: edited(deployment(), (d) => {
        d.metadata.labels = { app: 'api', team: 'payments' };
        d.metadata.annotations = { 'deployment.kubernetes.io/revision': '3', 'example.com/owner': 'ops' };
        at(d, 'spec').replicas = 5;
      }),
    },
    {
      name: 'a list of containers is replaced whole (the reason built-ins need strategic merge patch)',
      original: deployment(),
      patch: { spec: { template: { spec: { containers: [{ name: 'api', image: 'nginx:1.26' }] } } } },
      expected: edited(deployment(), (d) => {
        at(d, 'spec', 'template', 'spec').containers = [{ name: 'api', image: 'nginx:1.26' }];
      }),
    },
    {
      name: 'an Istio VirtualService gets its http routes replaced as kubectl apply expects',
      original: virtualService(),
      patch: { spec: { http: [{ name: 'default', route: [{ destination: { host: 'api', subset: 'v2' }, weight: 100 }] }] } },
      expected: edited(virtualService(), (vs) => {
        at(vs, 'spec').http = [{ name: 'default', route: [{ destination: { host: 'api', subset: 'v2' }, weight: 100 }] }];
      }),
    },
    {
      name: 'kubectl scale sends a merge patch of spec.replicas',
      original: deployment(),
      patch: { spec: { replicas: 0 } },
      expected: edited(deployment(), (d) => {
        at(d, 'spec').replicas = 0;
      }),
    },
  ])('$name', ({ original, patch, expected }) => {
    expect(jsonMergePatch(deepFreeze(original), deepFreeze(patch))).toEqual(expected);
  });

  it('returns a result that shares no objects with the original', () => {
    const original = deployment();
    const result = jsonMergePatch(original, { spec: { replicas: 1 } });
    at(result, 'metadata').resourceVersion = '4712';
    at(result, 'spec', 'selector', 'matchLabels').app = 'changed';
    expect(original).toEqual(deployment());
  });

  it('treats "__proto__" in an untrusted body as an ordinary member', () => {
    const patch = JSON.parse('{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}},"__proto__":{"x":1}}') as JsonValue;
    const result = jsonMergePatch(deployment(), patch);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(at(result, 'metadata', 'labels'), '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(JSON.stringify(result)).toContain('"__proto__":{"x":1}');
  });
});
