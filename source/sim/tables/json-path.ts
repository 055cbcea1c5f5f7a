// The subset of kubectl JSONPath that CRD additionalPrinterColumns use:
// .a.b, .a[0], .a[*].b and .a[?(@.type=="Ready")].status.
import type { JsonValue } from '../objects.js';
import { obj } from './fields.js';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; field: string; value: string };

const FILTER = /^\?\(@\.([A-Za-z0-9_-]+)\s*==\s*(?:"([^"]*)"|'([^']*)')\)$/;

export function parseJsonPath(path: string): Step[] {
  const steps: Step[] = [];
  let rest = path.trim().replace(/^\{|\}$/g, '').replace(/^\$/, '');
  while (rest.length > 0) {
    if (rest.startsWith('.')) {
      const match = /^\.([^.[]+)/.exec(rest);
      if (!match) throw new Error(`unsupported JSONPath ${path}`);
      steps.push({ kind: 'field', name: match[1]! });
      rest = rest.slice(match[0].length);
    } else if (rest.startsWith('[')) {
      const end = rest.indexOf(']');
      if (end < 0) throw new Error(`unsupported JSONPath ${path}`);
      const inner = rest.slice(1, end).trim();
      rest = rest.slice(end + 1);
      const filter = FILTER.exec(inner);
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'[^']*'$|^"[^"]*"$/.test(inner)) steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else if (filter) steps.push({ kind: 'filter', field: filter[1]!, value: filter[2] ?? filter[3] ?? '' });
      else throw new Error(`unsupported JSONPath ${path}`);
    } else {
      throw new Error(`unsupported JSONPath ${path}`);
    }
  }
  return steps;
}

function matches(entry: JsonValue, field: string, expected: string): boolean {
  const actual = obj(entry)?.[field];
  return actual !== undefined && actual !== null && String(actual) === expected;
}

/** Every value the path reaches; missing keys yield nothing, as with AllowMissingKeys. */
export function evaluateJsonPath(root: JsonValue, steps: readonly Step[]): JsonValue[] {
  let current: JsonValue[] = [root];
  for (const step of steps) {
    const next: JsonValue[] = [];
    for (const value of current) {
      if (step.kind === 'field') {
        const entry = obj(value)?.[step.name];
        if (entry !== undefined) next.push(entry);
      } else if (Array.isArray(value)) {
        if (step.kind === 'index') {
          const entry = value[step.index];
          if (entry !== undefined) next.push(entry);
        } else if (step.kind === 'all') {
          next.push(...value);
        } else {
          next.push(...value.filter((entry) => matches(entry, step.field, step.value)));
        }
      }
    }
    current = next;
  }
  return current;
}
