// The HTTP layer turns a PatchError into a Kubernetes Status, so each one carries the code and reason
// a real API server would answer with.

export type PatchErrorReason = 'BadRequest' | 'UnsupportedMediaType' | 'Invalid';

const CODES: Record<PatchErrorReason, number> = {
  BadRequest: 400,
  UnsupportedMediaType: 415,
  Invalid: 422,
};

export class PatchError extends Error {
  readonly code: number;
  readonly reason: PatchErrorReason;

  constructor(reason: PatchErrorReason, message: string) {
    super(message);
    this.name = 'PatchError';
    this.reason = reason;
    this.code = CODES[reason];
  }
}

/** The patch itself is malformed: it could never apply to any object. */
export function badRequest(message: string): PatchError {
  return new PatchError('BadRequest', message);
}

/** The patch is well formed but cannot apply to this object (missing path, failed test, bad result). */
export function invalid(message: string): PatchError {
  return new PatchError('Invalid', message);
}

export function unsupportedMediaType(message: string): PatchError {
  return new PatchError('UnsupportedMediaType', message);
}
