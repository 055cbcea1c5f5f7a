// The keys through which a strategic merge patch speaks to the server instead of setting a field.
// Kubernetes field names never start with "$" except inside free-form JSON schemas ("$ref" in a CRD),
// so only these exact spellings are directives; other "$" keys are ordinary fields.

export const PATCH_DIRECTIVE = '$patch';
export const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
export const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder/';
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList/';

export type ParallelDirective = 'setElementOrder' | 'deleteFromPrimitiveList';

/** For `$setElementOrder/env` returns the directive and the list it is about (`env`). */
export function parseParallelDirective(key: string): { directive: ParallelDirective; field: string } | undefined {
  if (key.startsWith(SET_ELEMENT_ORDER_PREFIX)) {
    return { directive: 'setElementOrder', field: key.slice(SET_ELEMENT_ORDER_PREFIX.length) };
  }
  if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
    return { directive: 'deleteFromPrimitiveList', field: key.slice(DELETE_FROM_PRIMITIVE_LIST_PREFIX.length) };
  }
  return undefined;
}

export function isDirectiveKey(key: string): boolean {
  return key === PATCH_DIRECTIVE || key === RETAIN_KEYS_DIRECTIVE || parseParallelDirective(key) !== undefined;
}
