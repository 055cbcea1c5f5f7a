// Core v1 kinds that `kubectl create namespace|configmap|secret|serviceaccount` send as protobuf.
// Field numbers: k8s.io/api core/v1 generated.proto, checked against bytes captured from kubectl.

import { decodeObjectMeta } from './object-meta.js';
import { METADATA, SPEC, type BodyDecoder } from './decoded-body.js';
import { omitEmpty } from './omit-empty.js';

export const decodeNamespace: BodyDecoder = (raw) => {
  const spec = raw.message(SPEC, 'spec');
  return {
    metadata: decodeObjectMeta(raw.message(METADATA, 'metadata')),
    // kubectl's JSON carries "spec":{} for a Namespace, so keep the object whenever it was sent.
    ...(spec ? { spec: omitEmpty({ finalizers: spec.strings(1) }) } : {}),
  };
};

export const decodeConfigMap: BodyDecoder = (raw) => ({
  metadata: decodeObjectMeta(raw.message(METADATA, 'metadata')),
  ...omitEmpty({
    data: raw.stringMap(2, 'data'),
    binaryData: raw.base64Map(3, 'binaryData'),
    // A pointer in Go: present means set, even to false.
    immutable: raw.bool(4),
  }),
});

export const decodeSecret: BodyDecoder = (raw) => ({
  metadata: decodeObjectMeta(raw.message(METADATA, 'metadata')),
  ...omitEmpty({
    data: raw.base64Map(2, 'data'),
    type: raw.string(3),
    stringData: raw.stringMap(4, 'stringData'),
    immutable: raw.bool(5),
  }),
});

export const decodeServiceAccount: BodyDecoder = (raw) => ({
  metadata: decodeObjectMeta(raw.message(METADATA, 'metadata')),
  ...omitEmpty({
    imagePullSecrets: raw.messages(3, 'imagePullSecrets').map((ref) => omitEmpty({ name: ref.string(1) })),
    automountServiceAccountToken: raw.bool(4),
  }),
});
