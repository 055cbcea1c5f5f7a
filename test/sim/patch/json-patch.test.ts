import { describe, expect, it } from 'vitest';
import type { JsonValue, KubeObject } from '../../../source/sim/objects.js';
import { applyJsonPatch } from '../../../source/sim/patch/json-patch.js';
import { expectPatchError } from './expect-patch-error.js';
import { at, deepFreeze, deployment, edited, service } from './fixtures.js';

const CONTAINER = '/spec/template/spec/containers/0';

describe('applyJsonPatch', () => {
  it.each<{ name: string; original: KubeObject; patch: JsonValue; expected: JsonValue }>([
    {
      name: 'add sets a new object member',
      original: deployment(),
      patch: [{ op: 'add', path: '/metadata/labels/team', value: 'payments' }],
      expected: edited(deployment(), (d) => {
        d.metadata.labels = { app: 'api', tier: 'backend', team: 'payments' };
      }),
    },
    {
      name: 'add unescapes ~1 in keys (kubectl rollout restart annotation)',
      original: deployment(),
      patch: [
        { op: 'add', path: '/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt', value: '2025-01-01T00:00:00Z' },
      ],
      expected: edited(deployment(), (d) => {
        at(d, 'spec', 'template', 'metadata').annotations = {
          'sidecar.istio.io/inject': 'true',
          'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z',
        };
      }),
    },
    {
      name: 'add on an existing member replaces it',
      original: deployment(),
      patch: [{ op: 'add', path: '/spec/replicas', value: 4 }],
      expected: edited(deployment(), (d) => {
        at(d, 'spec').replicas = 4;
      }),
    },
    {
      name: 'add at an array index inserts before that element',
      original: deployment(),
      patch: [{ op: 'add', path: `${CONTAINER}/ports/1`, value: { name: 'grpc', containerPort: 9000 } }],
      expected: edited(deployment(), (d) => {
        at(d, 'spec', 'template', 'spec', 'containers', 0).ports = [
          { name: 'http', containerPort: 8080, protocol: 'TCP' },
          { name: 'grpc', containerPort: 9000 },
          { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
        ];
      }),
    },
    {
      name: 'add at "-" appends, and null is a value like any other',
      original: deployment(),
      patch: [
        { op: 'add', path: `${CONTAINER}/env/-`, value: { name: 'FEATURE_X', value: 'on' } },
        { op: 'add', path: '/status/unavailableReplicas', value: null },
      ],
      expected: edited(deployment(), (d) => {
        at(d, 'spec', 'template', 'spec', 'containers', 0).env = [
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'DB_HOST', value: 'db.shop.svc.cluster.local' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'FEATURE_X', value: 'on' },
        ];
        at(d, 'status').unavailableReplicas = null;
      }),
    },
    {
      name: 'remove deletes an array element and an object member',
      original: deployment(),
      patch: [
        { op: 'remove', path: `${CONTAINER}/env/1` },
        { op: 'remove', path: '/metadata/labels/tier' },
      ],
      expected: edited(deployment(), (d) => {
        at(d, 'spec', 'template', 'spec', 'containers', 0).env = [
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ];
        d.metadata.labels = { app: 'api' };
      }),
    },
    {
      name: 'replace changes a container image (kubectl patch --type=json)',
      original: deployment(),
      patch: [{ op: 'replace', path: `${CONTAINER}/image`, value: 'nginx:1.26' }],
      expected: edited(deployment(), (d) => {
        at(d, 'spec', 'template', 'spec', 'containers', 0).image = 'nginx:1.26';
      }),
    },
    {
      name: 'replace on a Service port keeps the other ports',
      original: service(),
      patch: [{ op: 'replace', path: '/spec/ports/1', value: { name: 'grpc', port: 9001, targetPort: 9001, protocol: 'TCP' } }],
      expected: edited(service(), (s) => {
        at(s, 'spec').ports = [
          { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
          { name: 'grpc', port: 9001, targetPort: 9001, protocol: 'TCP' },
          { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
        ];
      }),
    },
    {
      name: 'move takes a value away from one place and puts it in another',
      original: service(),
      patch: [{ op: 'move', from: '/spec/ports/2', path: '/spec/ports/0' }],
      expected: edited(service(), (s) => {
        at(s, 'spec').ports = [
          { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
          { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
          { name: 'grpc', port: 9000, targetPort: 9000, protocol: 'TCP' },
        ];
      }),
    },
    {
      name: 'move to the same path changes nothing',
      original: service(),
      patch: [{ op: 'move', from: '/spec/selector', path: '/spec/selector' }],
      expected: service(),
    },
    {
      name: 'copy duplicates a value, and the copy is independent of its source',
      original: service(),
      patch: [
        { op: 'copy', from: '/spec/selector', path: '/metadata/labels' },
        { op: 'add', path: '/metadata/labels/copied', value: 'yes' },
      ],
      expected: edited(service(), (s) => {
        s.metadata.labels = { app: 'api', copied: 'yes' };
      }),
    },
    {
      name: 'test guards a change (optimistic concurrency on resourceVersion)',
      original: deployment(),
      patch: [
        { op: 'test', path: '/metadata/resourceVersion', value: '4711' },
        { op: 'test', path: '/spec/selector', value: { matchLabels: { app: 'api' } } },
        { op: 'replace', path: '/spec/replicas', value: 3 },
      ],
      expected: edited(deployment(), (d) => {
        at(d, 'spec').replicas = 3;
      }),
    },
    {
      name: 'an empty patch returns an equal object',
      original: deployment(),
      patch: [],
      expected: deployment(),
    },
  ])('$name', ({ original, patch, expected }) => {
    expect(applyJsonPatch(deepFreeze(original), deepFreeze(patch))).toEqual(expected);
  });

  it.each<{ name: string; patch: JsonValue; code: number; reason: string; message: string }>([
    {
      name: 'a body that is not an array',
      patch: { op: 'add', path: '/a', value: 1 },
      code: 400,
      reason: 'BadRequest',
      message: 'a JSON patch must be a JSON array of operations',
    },
    { name: 'an operation that is not an object', patch: ['add'], code: 400, reason: 'BadRequest', message: 'JSON patch operation 0 is not an object' },
    {
      name: 'an unknown op',
      patch: [{ op: 'merge', path: '/spec' }],
      code: 400,
      reason: 'BadRequest',
      message: 'JSON patch operation 0 has an unknown "op": "merge"',
    },
    {
      name: 'a missing path',
      patch: [{ op: 'remove' }],
      code: 400,
      reason: 'BadRequest',
      message: 'JSON patch operation 0 has no "path" string',
    },
    {
      name: 'add without value (checked before anything is applied)',
      patch: [
        { op: 'replace', path: '/spec/replicas', value: 1 },
        { op: 'add', path: '/spec/paused' },
      ],
      code: 400,
      reason: 'BadRequest',
      message: 'JSON patch operation 1 (add) has no "value"',
    },
    {
      name: 'move without from',
      patch: [{ op: 'move', path: '/spec/replicas' }],
      code: 400,
      reason: 'BadRequest',
      message: 'JSON patch operation 0 has no "from" string',
    },
    {
      name: 'a malformed pointer',
      patch: [{ op: 'remove', path: 'metadata/labels' }],
      code: 400,
      reason: 'BadRequest',
      message: 'invalid JSON pointer "metadata/labels": it must be empty or start with "/"',
    },
    {
      name: 'a failing test, even after operations that succeeded',
      patch: [
        { op: 'replace', path: '/spec/replicas', value: 9 },
        { op: 'test', path: '/metadata/resourceVersion', value: '4700' },
      ],
      code: 422,
      reason: 'Invalid',
      message: 'testing value /metadata/resourceVersion failed: test failed',
    },
    {
      name: 'a test of a missing path',
      patch: [{ op: 'test', path: '/spec/paused', value: null }],
      code: 422,
      reason: 'Invalid',
      message: 'test operation does not apply: doc is missing path: "/spec/paused"',
    },
    {
      name: 'remove of a missing member',
      patch: [{ op: 'remove', path: '/metadata/labels/team' }],
      code: 422,
      reason: 'Invalid',
      message: 'remove operation does not apply: doc is missing path: "/metadata/labels/team"',
    },
    {
      name: 'replace of a missing member',
      patch: [{ op: 'replace', path: '/spec/paused', value: true }],
      code: 422,
      reason: 'Invalid',
      message: 'replace operation does not apply: doc is missing path: "/spec/paused"',
    },
    {
      name: 'add under a missing parent',
      patch: [{ op: 'add', path: '/spec/template/spec/affinity/nodeAffinity', value: {} }],
      code: 422,
      reason: 'Invalid',
      message: 'add operation does not apply: doc is missing path: "/spec/template/spec/affinity/nodeAffinity"',
    },
    {
      name: 'add under a scalar',
      patch: [{ op: 'add', path: '/spec/replicas/x', value: 1 }],
      code: 422,
      reason: 'Invalid',
      message: 'add operation does not apply: doc is missing path: "/spec/replicas/x"',
    },
    {
      name: 'add past the end of an array',
      patch: [{ op: 'add', path: '/spec/template/spec/containers/3', value: { name: 'x' } }],
      code: 422,
      reason: 'Invalid',
      message: 'add operation does not apply: index out of range in "/spec/template/spec/containers/3"',
    },
    {
      name: 'remove past the end of an array',
      patch: [{ op: 'remove', path: '/spec/template/spec/containers/2' }],
      code: 422,
      reason: 'Invalid',
      message: 'remove operation does not apply: index out of range in "/spec/template/spec/containers/2"',
    },
    {
      name: 'an array index with a leading zero',
      patch: [{ op: 'add', path: '/spec/template/spec/containers/01', value: { name: 'x' } }],
      code: 422,
      reason: 'Invalid',
      message: 'add operation does not apply: "01" in "/spec/template/spec/containers/01" is not an array index',
    },
    {
      name: 'remove at "-"',
      patch: [{ op: 'remove', path: '/spec/template/spec/containers/-' }],
      code: 422,
      reason: 'Invalid',
      message: 'remove operation does not apply: "-" in "/spec/template/spec/containers/-" is not an array index',
    },
    {
      name: 'move into its own child',
      patch: [{ op: 'move', from: '/spec/template', path: '/spec/template/spec/nested' }],
      code: 422,
      reason: 'Invalid',
      message: 'move operation does not apply: "/spec/template" cannot be moved into its own child "/spec/template/spec/nested"',
    },
    {
      name: 'copy from a missing path',
      patch: [{ op: 'copy', from: '/spec/paused', path: '/spec/copied' }],
      code: 422,
      reason: 'Invalid',
      message: 'copy operation does not apply: doc is missing path: "/spec/paused"',
    },
    {
      name: 'remove of the whole document',
      patch: [{ op: 'remove', path: '' }],
      code: 422,
      reason: 'Invalid',
      message: 'remove operation does not apply: the whole document cannot be removed',
    },
  ])('rejects $name', ({ patch, code, reason, message }) => {
    const original = deepFreeze(deployment());
    expectPatchError(() => applyJsonPatch(original, deepFreeze(patch)), { code, reason, message });
    expect(original).toEqual(deployment());
  });

  it('replaces the whole document through the empty pointer', () => {
    expect(applyJsonPatch(deepFreeze(deployment()), [{ op: 'replace', path: '', value: { a: 1 } }])).toEqual({ a: 1 });
  });

  it('shares no objects with the original or the patch', () => {
    const original = deployment();
    const value = { name: 'FEATURE_X', value: 'on' };
    const result = applyJsonPatch(original, [{ op: 'add', path: `${CONTAINER}/env/-`, value }]);
    at(result, 'spec', 'template', 'spec', 'containers', 0, 'env', 3).value = 'off';
    at(result, 'metadata').resourceVersion = '1';
    expect(value).toEqual({ name: 'FEATURE_X', value: 'on' });
    expect(original).toEqual(deployment());
  });
});
