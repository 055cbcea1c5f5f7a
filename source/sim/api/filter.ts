import type { KubeObject } from '../objects.js';
import { parseFieldSelector, parseLabelSelector, SelectorError } from '../selectors.js';
import { badRequest } from './status.js';

export type ObjectFilter = (object: KubeObject) => boolean;

/** The label and field selectors of a list or watch request as one predicate. */
export function selectorFilter(query: URLSearchParams, name?: string): ObjectFilter {
  try {
    const labels = query.get('labelSelector') ? parseLabelSelector(query.get('labelSelector')!) : undefined;
    const fields = query.get('fieldSelector') ? parseFieldSelector(query.get('fieldSelector')!) : undefined;
    return (object) =>
      (name === undefined || object.metadata.name === name) &&
      (labels === undefined || labels(object.metadata.labels)) &&
      (fields === undefined || fields(object));
  } catch (error) {
    if (error instanceof SelectorError) throw badRequest(error.message);
    throw error;
  }
}
