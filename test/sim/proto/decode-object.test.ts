import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeProtobufObject, ProtobufError } from '../../../source/sim/proto/decode-object.js';
import type { JsonObject } from '../../../source/sim/objects.js';
import { bool, bytes, envelope, lengthDelimited, mapEntry, message, unknownFields } from './wire-writer.js';

// Bodies recorded from kubectl v1.32.4; see test/fixtures/protobuf/README.md.
const fixture = (name: string): Buffer => readFileSync(new URL(`../../fixtures/protobuf/${name}.bin`, import.meta.url));

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

describe('decodeProtobufObject on bodies captured from kubectl', () => {
  it.each([
    {
      fixture: 'create-token',
      command: 'create token default --audience a --duration 10m',
      expected: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec: { audiences: ['a'], expirationSeconds: 600 } },
    },
    {
      fixture: 'create-token-namespace',
      command: 'create token builder -n x --duration 1h',
      expected: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec: { expirationSeconds: 3600 } },
    },
    {
      fixture: 'create-token-bound-object',
      command: 'create token default --audience a --audience b --bound-object-kind Pod --bound-object-name p1 --bound-object-uid 1234-uid',
      expected: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        metadata: {},
        spec: { audiences: ['a', 'b'], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p1', uid: '1234-uid' } },
      },
    },
    {
      fixture: 'can-i-get-pods',
      command: 'auth can-i get pods -n x',
      expected: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        metadata: {},
        spec: { resourceAttributes: { namespace: 'x', verb: 'get', resource: 'pods' } },
      },
    },
    {
      fixture: 'can-i-get-pods-subresource',
      command: 'auth can-i get pods --subresource=log -n x',
      expected: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        metadata: {},
        spec: { resourceAttributes: { namespace: 'x', verb: 'get', resource: 'pods', subresource: 'log' } },
      },
    },
    {
      fixture: 'can-i-create-deployment-named',
      command: 'auth can-i create deployments.apps/web -n x',
      expected: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        metadata: {},
        spec: { resourceAttributes: { namespace: 'x', verb: 'create', group: 'apps', resource: 'deployments', name: 'web' } },
      },
    },
    {
      fixture: 'can-i-non-resource-url',
      command: 'auth can-i get /logs',
      expected: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        metadata: {},
        spec: { nonResourceAttributes: { path: '/logs', verb: 'get' } },
      },
    },
    {
      fixture: 'can-i-list',
      command: 'auth can-i --list',
      expected: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {}, spec: { namespace: 'default' } },
    },
    {
      fixture: 'can-i-list-namespace',
      command: 'auth can-i --list -n kube-system',
      expected: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {}, spec: { namespace: 'kube-system' } },
    },
    {
      fixture: 'create-namespace',
      command: 'create namespace x',
      expected: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' }, spec: {} },
    },
    {
      fixture: 'create-configmap',
      command: 'create configmap c --from-literal=a=b',
      expected: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } },
    },
    {
      fixture: 'create-configmap-append-hash',
      command: 'create configmap c3 --from-literal=a=b --append-hash',
      expected: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c3-52d48g29tt' }, data: { a: 'b' } },
    },
    {
      fixture: 'create-secret-generic',
      command: 'create secret generic s --from-literal=a=b',
      expected: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'Yg==' } },
    },
    {
      fixture: 'create-secret-basic-auth',
      command: 'create secret generic s2 --type=kubernetes.io/basic-auth --from-literal=username=u --from-literal=password=p',
      expected: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's2' }, data: { password: 'cA==', username: 'dQ==' }, type: 'kubernetes.io/basic-auth' },
    },
    {
      fixture: 'create-secret-docker-registry',
      command: 'create secret docker-registry reg --docker-server=r.io --docker-username=u --docker-password=p',
      expected: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'reg' },
        data: { '.dockerconfigjson': Buffer.from('{"auths":{"r.io":{"username":"u","password":"p","auth":"dTpw"}}}').toString('base64') },
        type: 'kubernetes.io/dockerconfigjson',
      },
    },
    {
      fixture: 'create-serviceaccount',
      command: 'create serviceaccount sa',
      expected: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' } },
    },
  ])('kubectl $command', ({ fixture: name, expected }) => {
    expect(decodeProtobufObject(fixture(name))).toEqual(expected);
  });

  // With --save-config kubectl also stores the JSON it would have sent, inside the same body;
  // that JSON is the best reference for "the same object the server would have received as JSON".
  it.each([
    { fixture: 'create-namespace-save-config', command: 'create namespace y --save-config' },
    { fixture: 'create-configmap-binary-save-config', command: 'create configmap c2 -n x --from-literal=a=b --from-literal=k2=v2 --from-file=bin=<bin\\0\\xff\\xfe> --save-config' },
    { fixture: 'create-secret-generic-save-config', command: 'create secret generic s3 --from-literal=a=b --from-literal=empty= --save-config' },
    { fixture: 'create-serviceaccount-save-config', command: 'create serviceaccount sa2 -n x --save-config' },
  ])('kubectl $command decodes to the JSON kubectl recorded for it', ({ fixture: name }) => {
    const decoded = decodeProtobufObject(fixture(name));
    const annotations = decoded.metadata.annotations ?? {};
    const recorded = JSON.parse(annotations[LAST_APPLIED] ?? 'null') as JsonObject & { metadata: JsonObject };
    // Only server-owned fields differ: the JSON has "creationTimestamp":null and an empty status.
    delete recorded.metadata['creationTimestamp'];
    delete recorded['status'];
    const { [LAST_APPLIED]: _, ...otherAnnotations } = annotations;
    expect(otherAnnotations).toEqual({});
    expect({ ...decoded, metadata: { ...decoded.metadata, annotations: undefined } }).toEqual({ ...recorded, metadata: { ...recorded.metadata, annotations: undefined } });
  });

  it('keeps binary ConfigMap data apart from text data', () => {
    const decoded = decodeProtobufObject(fixture('create-configmap-binary-save-config'));
    expect(decoded['data']).toEqual({ a: 'b', k2: 'v2' });
    expect(decoded['binaryData']).toEqual({ bin: Buffer.from([0x62, 0x69, 0x6e, 0x00, 0xff, 0xfe]).toString('base64') });
    expect(decoded.metadata).toMatchObject({ name: 'c2', namespace: 'x' });
  });
});

describe('decodeProtobufObject on hand-built bodies', () => {
  const objectMeta = message(
    1,
    lengthDelimited(1, ''),
    lengthDelimited(2, 'web-'),
    lengthDelimited(3, 'shop'),
    mapEntry(11, 'app', 'web'),
    mapEntry(11, 'tier', 'front'),
    mapEntry(12, 'note', 'hello'),
    unknownFields(),
  );

  it('reads generateName, labels and annotations, and skips unknown metadata fields', () => {
    const decoded = decodeProtobufObject(envelope('v1', 'ConfigMap', bytes(objectMeta, mapEntry(2, 'k', 'v'), bool(4, true))));
    expect(decoded).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { generateName: 'web-', namespace: 'shop', labels: { app: 'web', tier: 'front' }, annotations: { note: 'hello' } },
      data: { k: 'v' },
      immutable: true,
    });
  });

  it('reads Secret stringData, immutable=false and an empty value', () => {
    const raw = bytes(message(1, lengthDelimited(1, 's')), mapEntry(2, 'empty', new Uint8Array()), mapEntry(4, 'plain', 'text'), bool(5, false), lengthDelimited(3, 'Opaque'));
    expect(decodeProtobufObject(envelope('v1', 'Secret', raw))).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { empty: '' },
      stringData: { plain: 'text' },
      type: 'Opaque',
      immutable: false,
    });
  });

  it('reads ServiceAccount imagePullSecrets and automountServiceAccountToken', () => {
    const raw = bytes(message(1, lengthDelimited(1, 'sa')), message(3, lengthDelimited(1, 'regcred')), bool(4, false));
    expect(decodeProtobufObject(envelope('v1', 'ServiceAccount', raw))).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'sa' },
      imagePullSecrets: [{ name: 'regcred' }],
      automountServiceAccountToken: false,
    });
  });

  it('reads Namespace finalizers and ignores unknown top-level fields', () => {
    const raw = bytes(message(1, lengthDelimited(1, 'n')), message(2, lengthDelimited(1, 'kubernetes')), unknownFields());
    expect(decodeProtobufObject(envelope('v1', 'Namespace', raw))).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'n' },
      spec: { finalizers: ['kubernetes'] },
    });
  });

  it('accepts an explicit protobuf content type in the envelope', () => {
    const body = envelope('v1', 'Namespace', message(1, lengthDelimited(1, 'n')), bytes(lengthDelimited(3, ''), lengthDelimited(4, 'application/vnd.kubernetes.protobuf')));
    expect(decodeProtobufObject(body).metadata).toEqual({ name: 'n' });
  });
});

describe('decodeProtobufObject errors', () => {
  const catchError = (body: Buffer): ProtobufError => {
    try {
      decodeProtobufObject(body);
    } catch (error) {
      if (error instanceof ProtobufError) return error;
      throw error;
    }
    throw new Error('expected a ProtobufError');
  };

  it('names the kind it cannot decode (kubectl create deployment)', () => {
    const error = catchError(fixture('create-deployment'));
    expect(error.kind).toBe('Deployment');
    expect(error.apiVersion).toBe('apps/v1');
    expect(error.message).toContain('Deployment (apps/v1)');
  });

  it.each([
    { name: 'a JSON body', body: Buffer.from('{"kind":"Namespace"}'), message: /does not start with "k8s\\x00"/ },
    { name: 'an empty body', body: Buffer.alloc(0), message: /does not start with/ },
    { name: 'an envelope without type metadata', body: Buffer.from('k8s\0', 'latin1'), message: /does not say which apiVersion and kind/ },
    { name: 'a truncated envelope', body: fixture('create-namespace').subarray(0, 20), message: /runtime\.Unknown/ },
    {
      name: 'a compressed payload',
      body: envelope('v1', 'Namespace', new Uint8Array(), lengthDelimited(3, 'gzip')),
      message: 'protobuf Namespace (v1) uses content encoding "gzip", which this server does not support',
    },
    {
      name: 'a JSON payload inside the envelope',
      body: envelope('v1', 'Namespace', new Uint8Array(), lengthDelimited(4, 'application/json')),
      message: /wraps content type "application\/json"/,
    },
  ])('rejects $name', ({ body, message: expected }) => {
    expect(catchError(body).message).toMatch(expected);
  });

  it('keeps the kind on a malformed object body', () => {
    const error = catchError(envelope('authentication.k8s.io/v1', 'TokenRequest', Uint8Array.from([0x12, 0x05, 0x0a])));
    expect(error.kind).toBe('TokenRequest');
    expect(error.message).toMatch(/^TokenRequest: /);
  });

  it('rejects a known field sent with the wrong wire type', () => {
    const error = catchError(envelope('v1', 'Secret', bytes(message(1, lengthDelimited(1, 's')), Uint8Array.from([0x18, 0x01]))));
    expect(error.message).toBe('Secret: field 3 has wire type 0, expected 2');
  });
});
