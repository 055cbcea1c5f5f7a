import type { JsonObject, ObjectMeta } from '../objects.js';
import type { FieldSet } from './field-set.js';

/** An object without apiVersion/kind; the envelope supplies those. */
export interface DecodedBody extends JsonObject {
  metadata: ObjectMeta;
}

/**
 * Turns the raw bytes of one kind into its JSON shape. Decoders leave out `status`: on the
 * requests kubectl sends it is always empty, and the server computes it anyway.
 */
export type BodyDecoder = (raw: FieldSet) => DecodedBody;

// Field numbers shared by every top-level Kubernetes object.
export const METADATA = 1;
export const SPEC = 2;
