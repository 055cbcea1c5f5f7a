// `fieldSelector=` query strings ("metadata.name=web,status.phase!=Running").
// Unlike label selectors there is no tokenizer: terms split on unescaped commas, the key ends at
// the first operator, and values may escape "\", "," and "=" with a backslash. Whitespace is
// kept as written, as the API server does ("a = b" compares field "a " with " b").

import type { JsonValue, KubeObject } from '../objects.js';
import { SelectorError } from './selector-error.js';

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

// Order matters: "!=" and "==" must win over the "=" inside them.
const OPERATORS: readonly FieldOperator[] = ['!=', '==', '='];

function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

function unescapeValue(raw: string): string {
  let value = '';
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i] as string;
    if (char === '\\') {
      const escaped = raw[i + 1];
      if (escaped === undefined) throw new SelectorError('invalid field selector: invalid escape sequence: \\');
      if (escaped !== '\\' && escaped !== ',' && escaped !== '=') {
        throw new SelectorError(`invalid field selector: invalid escape sequence: \\${escaped}`);
      }
      value += escaped;
      i++;
    } else if (char === ',' || char === '=') {
      // Go prints the rune as its number here; kubectl users see exactly that.
      throw new SelectorError(`invalid field selector: unescaped character in value: ${char.codePointAt(0)}`);
    } else {
      value += char;
    }
  }
  return value;
}

function parseTerm(term: string, selector: string): FieldRequirement {
  for (let i = 0; i < term.length; i++) {
    const operator = OPERATORS.find((candidate) => term.startsWith(candidate, i));
    if (operator) {
      return { field: term.slice(0, i), operator, value: unescapeValue(term.slice(i + operator.length)) };
    }
  }
  throw new SelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
}

/**
 * Parses a field selector; empty terms (",a=b", "a=b,") are ignored like the API server does.
 * Terms come back sorted bytewise, as the server sorts them; that also decides which of
 * several bad terms the error names.
 */
export function parseFieldRequirements(text: string): FieldRequirement[] {
  if (text === '') return [];
  return splitTerms(text)
    .filter((term) => term !== '')
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((term) => parseTerm(term, text));
}

/**
 * The value a field selector compares for a dotted path. Missing fields read as "", which is
 * what the API server's field sets hold for unset fields (e.g. spec.nodeName of a pending pod).
 * Numbers and booleans compare as their JSON text; objects and lists have no selectable value.
 */
export function fieldValue(object: KubeObject, path: string): string {
  let current: JsonValue | undefined = object;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, segment)) return '';
    current = current[segment];
  }
  if (typeof current === 'string') return current;
  if (typeof current === 'number' || typeof current === 'boolean') return String(current);
  return '';
}

export function fieldRequirementMatches(requirement: FieldRequirement, object: KubeObject): boolean {
  const equal = fieldValue(object, requirement.field) === requirement.value;
  return requirement.operator === '!=' ? !equal : equal;
}

export function parseFieldSelector(text: string): (object: KubeObject) => boolean {
  const requirements = parseFieldRequirements(text);
  return (object) => requirements.every((requirement) => fieldRequirementMatches(requirement, object));
}
