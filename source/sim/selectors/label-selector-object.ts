// Selectors stored inside objects: the structured metav1.LabelSelector of Deployments,
// ReplicaSets, PDBs… ({matchLabels, matchExpressions}) and the plain map of a Service.

import { isJsonObject, type JsonValue } from '../objects.js';
import { formatRequirement, newRequirement, requirementMatches, sortByKey, type LabelOperator, type LabelRequirement, type Labels } from './requirement.js';
import { SelectorError } from './selector-error.js';

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** Anything an object may hold in a selector field: structured, a plain map, or absent. */
export type SelectorSource = LabelSelector | Record<string, string> | JsonValue | undefined;

const EXPRESSION_OPERATORS: Record<string, LabelOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/** `undefined` means "selects nothing", which is how Kubernetes treats a missing selector. */
type Resolved = LabelRequirement[] | undefined;

function isStructured(selector: Record<string, JsonValue | undefined>): boolean {
  // A Service selector could in theory use "matchLabels" as a label key, but never with an
  // object or list value, so the value type tells the two shapes apart.
  const { matchLabels, matchExpressions } = selector;
  return isJsonObject(matchLabels) || Array.isArray(matchExpressions) || matchLabels === null || matchExpressions === null;
}

function stringList(value: JsonValue | undefined, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new SelectorError(`${where}: must be a list of strings`);
  }
  return value as string[];
}

function equalities(map: Record<string, JsonValue | undefined>, validate: boolean): LabelRequirement[] {
  return Object.entries(map).map(([key, value]) => {
    if (typeof value !== 'string') throw new SelectorError(`invalid label selector: value of ${JSON.stringify(key)} must be a string`);
    // Service selectors are used unvalidated by Kubernetes (validation happens when the Service is stored).
    return validate ? newRequirement(key, '=', [value]) : { key, operator: '=', values: [value] };
  });
}

function resolve(source: SelectorSource): Resolved {
  if (source === undefined || source === null) return undefined;
  if (!isJsonObject(source)) throw new SelectorError(`invalid label selector: ${JSON.stringify(source)}`);
  const selector = source as Record<string, JsonValue | undefined>;
  if (!isStructured(selector)) return sortByKey(equalities(selector, false));

  const requirements = isJsonObject(selector['matchLabels']) ? equalities(selector['matchLabels'] as Record<string, JsonValue>, true) : [];
  const expressions = selector['matchExpressions'] ?? [];
  if (!Array.isArray(expressions)) throw new SelectorError('matchExpressions: must be a list');
  for (const expression of expressions) {
    if (!isJsonObject(expression)) throw new SelectorError('matchExpressions: each item must be an object');
    const operator = EXPRESSION_OPERATORS[String(expression['operator'])];
    if (!operator) throw new SelectorError(`${JSON.stringify(expression['operator'] ?? '')} is not a valid label selector operator`);
    const key = typeof expression['key'] === 'string' ? expression['key'] : '';
    requirements.push(newRequirement(key, operator, stringList(expression['values'], 'values')));
  }
  return sortByKey(requirements);
}

/**
 * A matcher for a selector stored in an object. A missing selector (undefined/null) matches
 * nothing and an empty one ({}) matches everything, as metav1.LabelSelectorAsSelector does.
 * Throws SelectorError for invalid keys, values or operators.
 */
export function matcherFromLabelSelector(selector: SelectorSource): (labels: Labels) => boolean {
  const requirements = resolve(selector);
  if (requirements === undefined) return () => false;
  return (labels) => requirements.every((requirement) => requirementMatches(requirement, labels));
}

/**
 * A Service's spec.selector: without one (or with an empty map, which the API server stores
 * as none) the Service selects no pods and its endpoints are managed by someone else.
 */
export function matcherFromServiceSelector(selector: SelectorSource): (labels: Labels) => boolean {
  const requirements = resolve(selector);
  if (requirements === undefined || requirements.length === 0) return () => false;
  return (labels) => requirements.every((requirement) => requirementMatches(requirement, labels));
}

/**
 * The query-string form kubectl shows and sends, e.g. "app=web,tier in (a,b)". Missing and
 * empty selectors both render as "" (kubectl describe then prints "<none>").
 */
export function formatLabelSelector(selector: SelectorSource): string {
  return (resolve(selector) ?? []).map(formatRequirement).join(',');
}
