// Entry point for `Content-Type: application/vnd.kubernetes.protobuf` request bodies.
// client-go 1.32 typed clients send protobuf with no JSON fallback, so kubectl create token,
// auth can-i and the kubectl create generators only work if the server reads these bytes.
// Layout (apimachinery runtime/serializer/protobuf): the 4 bytes "k8s\0", then a runtime.Unknown
// {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}, where raw is the
// object's own message.

import type { KubeObject } from '../objects.js';
import { decodeTokenRequest } from './authentication-v1.js';
import { decodeSelfSubjectAccessReview, decodeSelfSubjectRulesReview } from './authorization-v1.js';
import { decodeConfigMap, decodeNamespace, decodeSecret, decodeServiceAccount } from './core-v1.js';
import type { BodyDecoder } from './decoded-body.js';
import { FieldSet } from './field-set.js';
import { ProtobufError } from './protobuf-error.js';

export { ProtobufError } from './protobuf-error.js';

const ENVELOPE_PREFIX = Buffer.from('k8s\0', 'latin1');
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

const decoders = new Map<string, BodyDecoder>([
  ['v1/Namespace', decodeNamespace],
  ['v1/ConfigMap', decodeConfigMap],
  ['v1/Secret', decodeSecret],
  ['v1/ServiceAccount', decodeServiceAccount],
  ['authentication.k8s.io/v1/TokenRequest', decodeTokenRequest],
  ['authorization.k8s.io/v1/SelfSubjectAccessReview', decodeSelfSubjectAccessReview],
  ['authorization.k8s.io/v1/SelfSubjectRulesReview', decodeSelfSubjectRulesReview],
]);

/** The kinds this module can decode, as "apiVersion/Kind". */
export function supportedProtobufKinds(): string[] {
  return [...decoders.keys()];
}

export function decodeProtobufObject(body: Uint8Array): KubeObject {
  if (body.length < ENVELOPE_PREFIX.length || !ENVELOPE_PREFIX.equals(body.subarray(0, ENVELOPE_PREFIX.length))) {
    throw new ProtobufError('request body is not a Kubernetes protobuf object: it does not start with "k8s\\x00"');
  }
  const envelope = FieldSet.parse(body.subarray(ENVELOPE_PREFIX.length), 'runtime.Unknown');
  const typeMeta = envelope.message(1, 'typeMeta');
  const apiVersion = typeMeta?.string(1) ?? '';
  const kind = typeMeta?.string(2) ?? '';
  if (kind === '' || apiVersion === '') {
    throw new ProtobufError('protobuf request body does not say which apiVersion and kind it holds', { apiVersion, kind });
  }
  const details = { apiVersion, kind };

  const contentEncoding = envelope.string(3) ?? '';
  if (contentEncoding !== '') {
    throw new ProtobufError(`protobuf ${kind} (${apiVersion}) uses content encoding "${contentEncoding}", which this server does not support`, details);
  }
  const contentType = envelope.string(4) ?? '';
  if (contentType !== '' && contentType !== PROTOBUF_CONTENT_TYPE) {
    throw new ProtobufError(`protobuf ${kind} (${apiVersion}) wraps content type "${contentType}", which this server does not support`, details);
  }

  const decode = decoders.get(`${apiVersion}/${kind}`);
  if (!decode) {
    throw new ProtobufError(`this server cannot decode ${kind} (${apiVersion}) from protobuf; send it as application/json`, details);
  }
  try {
    const raw = FieldSet.parse(envelope.bytes(2) ?? new Uint8Array(), kind);
    return { apiVersion, kind, ...decode(raw) };
  } catch (error) {
    // Keep the kind on malformed bodies too, so the server's answer can still name it.
    if (error instanceof ProtobufError && error.kind === undefined) throw new ProtobufError(error.message, details);
    throw error;
  }
}
