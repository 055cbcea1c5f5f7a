import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../source/sim/objects.js';
import { applyPatch } from '../../../source/sim/patch/apply-patch.js';
import { expectPatchError } from './expect-patch-error.js';
import { at, deepFreeze, deployment, edited, service, virtualService } from './fixtures.js';

const SMP = 'application/strategic-merge-patch+json';
const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';

const BUILT_IN_FORMATS =
  'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml';
const CUSTOM_FORMATS =
  'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';

// The bodies below are what kubectl 1.32 sends for the named commands.
const kubectlImageChange =
  '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"api"}],"containers":[{"image":"nginx:1.26","name":"api"}]}}}}';

describe('applyPatch', () => {
  it.each<{ name: string; contentType: string; original: KubeObject; body: string; builtIn: boolean; expected: KubeObject }>([
    {
      name: 'kubectl apply image change (SMP) keeps ports, env and mounts',
      contentType: SMP,
      original: deployment(),
      body: kubectlImageChange,
      builtIn: true,
      expected: edited(deployment(), (d) => {
        at(d, 'spec', 'template', 'spec', 'containers', 0).image = 'nginx:1.26';
      }),
    },
    {
      name: 'kubectl set image (SMP) with a charset parameter',
      contentType: 'application/strategic-merge-patch+json; charset=utf-8',
      original: deployment(),
      body: '{"spec":{"template":{"spec":{"containers":[{"image":"docker.io/istio/proxyv2:1.23.0","name":"istio-proxy"}]}}}}',
      builtIn: true,
      expected: edited(deployment(), (d) => {
        at(d, 'spec', 'template', 'spec', 'containers', 1).image = 'docker.io/istio/proxyv2:1.23.0';
      }),
    },
    {
      name: 'kubectl scale (merge patch)',
      contentType: MERGE,
      original: deployment(),
      body: '{"spec":{"replicas":3}}',
      builtIn: true,
      expected: edited(deployment(), (d) => {
        at(d, 'spec').replicas = 3;
      }),
    },
    {
      name: 'kubectl apply of a custom resource (merge patch replaces the http list)',
      contentType: 'Application/Merge-Patch+JSON;charset=UTF-8',
      original: virtualService(),
      body: '{"spec":{"http":[{"name":"default","route":[{"destination":{"host":"api","subset":"v2"}}]}]}}',
      builtIn: false,
      expected: edited(virtualService(), (vs) => {
        at(vs, 'spec').http = [{ name: 'default', route: [{ destination: { host: 'api', subset: 'v2' } }] }];
      }),
    },
    {
      name: 'kubectl patch --type=json on a Service',
      contentType: JSON_PATCH,
      original: service(),
      body: '[{"op":"remove","path":"/spec/ports/1"},{"op":"replace","path":"/spec/type","value":"NodePort"}]',
      builtIn: true,
      expected: edited(service(), (s) => {
        at(s, 'spec').type = 'NodePort';
        at(s, 'spec').ports = [
          { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
          { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
        ];
      }),
    },
    {
      name: 'JSON patch on a custom resource',
      contentType: JSON_PATCH,
      original: virtualService(),
      body: '[{"op":"add","path":"/spec/hosts/-","value":"api.example.com"}]',
      builtIn: false,
      expected: edited(virtualService(), (vs) => {
        at(vs, 'spec').hosts = ['api.shop.svc.cluster.local', 'api.example.com'];
      }),
    },
  ])('$name', ({ contentType, original, body, builtIn, expected }) => {
    const frozen = deepFreeze(original);
    const result = applyPatch(contentType, frozen, body, original.kind ?? '', builtIn);
    expect(result).toEqual(expected);
    expect(result).not.toBe(frozen);
  });

  it.each<{ name: string; contentType: string; original?: KubeObject; body: string; builtIn?: boolean; code: number; reason: string; message: string }>([
    {
      name: 'strategic merge patch on a custom resource',
      contentType: SMP,
      original: virtualService(),
      body: '{"spec":{"hosts":["x"]}}',
      builtIn: false,
      code: 415,
      reason: 'UnsupportedMediaType',
      message: CUSTOM_FORMATS,
    },
    {
      name: 'a plain JSON body on a built-in kind',
      contentType: 'application/json',
      body: '{"spec":{"replicas":3}}',
      code: 415,
      reason: 'UnsupportedMediaType',
      message: BUILT_IN_FORMATS,
    },
    {
      name: 'a missing content type on a custom resource',
      contentType: '',
      original: virtualService(),
      body: '{}',
      builtIn: false,
      code: 415,
      reason: 'UnsupportedMediaType',
      message: CUSTOM_FORMATS,
    },
    {
      name: 'server-side apply, which the simulator does not implement',
      contentType: 'application/apply-patch+yaml',
      body: 'apiVersion: apps/v1\nkind: Deployment\n',
      code: 415,
      reason: 'UnsupportedMediaType',
      message: 'server-side apply (application/apply-patch+yaml) is not supported by this simulated API server; use client-side kubectl apply',
    },
    {
      name: 'invalid JSON in a strategic merge patch',
      contentType: SMP,
      body: '{"spec":',
      code: 400,
      reason: 'BadRequest',
      message: `error decoding patch: ${jsonErrorFor('{"spec":')}`,
    },
    {
      name: 'invalid JSON in a merge patch',
      contentType: MERGE,
      body: "{'spec':{}}",
      code: 400,
      reason: 'BadRequest',
      message: `error decoding patch: ${jsonErrorFor("{'spec':{}}")}`,
    },
    {
      name: 'invalid JSON in a JSON patch',
      contentType: JSON_PATCH,
      body: '[{"op":"add",]',
      code: 400,
      reason: 'BadRequest',
      message: `error decoding patch: ${jsonErrorFor('[{"op":"add",]')}`,
    },
    {
      name: 'a merge patch that is not an object',
      contentType: MERGE,
      body: '[{"spec":{}}]',
      code: 400,
      reason: 'BadRequest',
      message: 'the patch must be a JSON object',
    },
    {
      name: 'a strategic merge patch that is not an object',
      contentType: SMP,
      body: '"replicas: 3"',
      code: 400,
      reason: 'BadRequest',
      message: 'the patch must be a JSON object',
    },
    {
      name: 'a merge patch that removes metadata',
      contentType: MERGE,
      body: '{"metadata":null}',
      code: 422,
      reason: 'Invalid',
      message: 'the patched object has no metadata object',
    },
    {
      name: 'a strategic merge patch that deletes the whole object',
      contentType: SMP,
      body: '{"$patch":"delete"}',
      code: 422,
      reason: 'Invalid',
      message: 'the patched object has no metadata object',
    },
    {
      name: 'a JSON patch that replaces the object with a scalar',
      contentType: JSON_PATCH,
      body: '[{"op":"replace","path":"","value":42}]',
      code: 422,
      reason: 'Invalid',
      message: 'the patched object is not a JSON object',
    },
    {
      name: 'a JSON patch whose test fails',
      contentType: JSON_PATCH,
      body: '[{"op":"test","path":"/spec/replicas","value":5},{"op":"replace","path":"/spec/replicas","value":6}]',
      code: 422,
      reason: 'Invalid',
      message: 'testing value /spec/replicas failed: test failed',
    },
    {
      name: 'a strategic merge patch list item without its merge key',
      contentType: SMP,
      body: '{"spec":{"template":{"spec":{"containers":[{"image":"nginx:1.26"}]}}}}',
      code: 400,
      reason: 'BadRequest',
      message: 'map: {"image":"nginx:1.26"} does not contain declared merge key: name',
    },
  ])('rejects $name', ({ contentType, original = deployment(), body, builtIn = true, code, reason, message }) => {
    const untouched = structuredClone(original);
    expectPatchError(() => applyPatch(contentType, deepFreeze(original), body, original.kind ?? '', builtIn), {
      code,
      reason,
      message,
    });
    expect(original).toEqual(untouched);
  });
});

function jsonErrorFor(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} is valid JSON`);
}
