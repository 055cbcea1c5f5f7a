// Label and field selectors as the API server understands them. The pieces live in ./selectors/.

import { parseLabelRequirements } from './selectors/label-parser.js';
import { requirementMatches, type Labels } from './selectors/requirement.js';

export { SelectorError } from './selectors/selector-error.js';
export { parseLabelRequirements } from './selectors/label-parser.js';
export { formatRequirement, requirementMatches, type LabelOperator, type LabelRequirement, type Labels } from './selectors/requirement.js';
export {
  fieldRequirementMatches,
  fieldValue,
  parseFieldRequirements,
  parseFieldSelector,
  type FieldOperator,
  type FieldRequirement,
} from './selectors/field-selector.js';
export {
  formatLabelSelector,
  matcherFromLabelSelector,
  matcherFromServiceSelector,
  type LabelSelector,
  type LabelSelectorRequirement,
  type SelectorSource,
} from './selectors/label-selector-object.js';

/** A matcher for a `labelSelector=` query string; "" matches everything. Throws SelectorError. */
export function parseLabelSelector(text: string): (labels: Labels) => boolean {
  const requirements = parseLabelRequirements(text);
  return (labels) => requirements.every((requirement) => requirementMatches(requirement, labels));
}
