// One error type for every way a protobuf body can be unusable, so the HTTP layer can turn any of
// them into a single 415/400 answer without knowing which decoding step failed.

export interface ProtobufErrorDetails {
  /** The apiVersion from the envelope, when it was readable. */
  apiVersion?: string;
  /** The kind from the envelope, when it was readable; lets the server name it in its 415 Status. */
  kind?: string;
}

export class ProtobufError extends Error {
  readonly apiVersion: string | undefined;
  readonly kind: string | undefined;

  constructor(message: string, details: ProtobufErrorDetails = {}) {
    super(message);
    this.name = 'ProtobufError';
    this.apiVersion = details.apiVersion;
    this.kind = details.kind;
  }
}
