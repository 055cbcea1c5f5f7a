import { expect } from 'vitest';
import { PatchError } from '../../../source/sim/patch/patch-error.js';

/** Asserts that `run` throws a PatchError with exactly this code, reason and message. */
export function expectPatchError(run: () => unknown, expected: { code: number; reason: string; message: string }): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(PatchError);
  const { code, reason, message } = thrown as PatchError;
  expect({ code, reason, message }).toEqual(expected);
}
