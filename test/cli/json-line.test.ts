import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonLine } from '../../source/cli/logs-command.js';
import { parseLogLine } from '../../source/mesh/access-log/parse.js';
import { ACCESS_LOG_FIELDS, type AccessLogEntry, type ParsedLine } from '../../source/mesh/access-log/types.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'access-logs');
const real = ['envoy-default-text.log', 'istio-pre-1.9-text.log', 'istio-json.log', 'envoy-default-format.log'].flatMap((file) => readFileSync(join(fixtures, file), 'utf8').split('\n').filter(Boolean));

/** The record as an object, stringified: what `-o json` printed before it was written as text. */
function reference(entry: ParsedLine, extra?: Record<string, string>): string {
  const record: Record<string, unknown> = { ...extra };
  if (entry.kind !== 'access') {
    record['raw'] = entry.text;
    if (entry.error !== undefined) record['error'] = entry.error;
  } else {
    record['format'] = entry.format;
    for (const key of ACCESS_LOG_FIELDS) record[key] = (entry as AccessLogEntry)[key] ?? null;
  }
  return JSON.stringify(record);
}

describe('one -o json line', () => {
  it('is the record JSON.stringify makes, byte for byte, for real lines cut, changed and unreadable, with and without cluster and pod', () => {
    const line = fc.oneof(
      fc.constantFrom(...real),
      fc.tuple(fc.constantFrom(...real), fc.nat(), fc.string({ unit: 'binary', maxLength: 8 })).map(([l, at, s]) => l.slice(0, at % (l.length + 1)) + s + l.slice(at % (l.length + 1))),
      fc.string({ unit: 'binary', maxLength: 60 }),
    );
    const extra = fc.option(fc.record({ cluster: fc.string(), namespace: fc.string(), pod: fc.string({ unit: 'binary' }) }), { nil: undefined });
    fc.assert(
      fc.property(line, extra, (text, more) => {
        const entry = parseLogLine(text);
        expect(jsonLine(entry, more)).toBe(reference(entry, more));
      }),
      { numRuns: 2000 },
    );
    expect(real.filter((l) => parseLogLine(l).kind === 'access').length).toBeGreaterThan(5);
  });
});
