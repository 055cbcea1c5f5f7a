// One condition of a label selector. Both the query-string parser and the structured
// LabelSelector end up here, so matching and rendering behave the same for both.

import { aggregate, invalidValue, labelKeyProblems, labelValueProblems } from './label-validation.js';
import { SelectorError } from './selector-error.js';

/** The operator spellings of apimachinery's selection package. */
export type LabelOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

export type Labels = Record<string, string> | undefined;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits, in int64 range. */
function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

/**
 * Validates like apimachinery's NewRequirement and throws every problem at once. Structured
 * selectors see key errors under the path "key"; the query parser rejects bad keys (with its
 * own wording) before it gets here.
 */
export function newRequirement(key: string, operator: LabelOperator, values: readonly string[]): LabelRequirement {
  const problems: string[] = [];
  const keyProblems = labelKeyProblems(key);
  if (keyProblems.length > 0) problems.push(invalidValue('key', key, keyProblems.join('; ')));

  // Go renders a nil slice as null; Kubernetes passes nil whenever no values were given.
  const shown = values.length === 0 ? null : [...values];
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) problems.push(invalidValue('values', shown, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) problems.push(invalidValue('values', shown, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) problems.push(invalidValue('values', shown, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) problems.push(invalidValue('values', shown, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((value, index) => {
        if (parseInt64(value) === undefined) problems.push(invalidValue(`values[${index}]`, value, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  values.forEach((value, index) => {
    const valueProblems = labelValueProblems(value);
    if (valueProblems.length > 0) problems.push(invalidValue(`values[${index}][${key}]`, value, valueProblems.join('; ')));
  });
  if (problems.length > 0) throw new SelectorError(aggregate(problems));
  return { key, operator, values: [...values] };
}

export function requirementMatches(requirement: LabelRequirement, labels: Labels): boolean {
  const { key, operator, values } = requirement;
  // hasOwn, so keys such as "constructor" are not found on Object.prototype.
  const present = labels !== undefined && Object.hasOwn(labels, key);
  const value = present ? labels[key] : undefined;
  switch (operator) {
    case '=':
    case '==':
    case 'in':
      return present && values.includes(value as string);
    case '!=':
    case 'notin':
      return !present || !values.includes(value as string);
    case 'exists':
      return present;
    case '!':
      return !present;
    case 'gt':
    case 'lt': {
      if (!present) return false;
      const actual = parseInt64(value as string);
      const bound = parseInt64(values[0] ?? '');
      if (actual === undefined || bound === undefined) return false;
      return operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

/** The query-string form, e.g. "tier in (a,b)"; set values are shown sorted, like Kubernetes. */
export function formatRequirement(requirement: LabelRequirement): string {
  const { key, operator } = requirement;
  const values = requirement.values.length === 1 ? requirement.values[0] : [...requirement.values].sort().join(',');
  switch (operator) {
    case 'exists':
      return key;
    case '!':
      return `!${key}`;
    case 'in':
    case 'notin':
      return `${key} ${operator} (${values})`;
    case 'gt':
      return `${key}>${values}`;
    case 'lt':
      return `${key}<${values}`;
    default:
      return `${key}${operator}${values}`;
  }
}

/** Kubernetes keeps requirements ordered by key so the rendered string is deterministic. */
export function sortByKey(requirements: LabelRequirement[]): LabelRequirement[] {
  return [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
