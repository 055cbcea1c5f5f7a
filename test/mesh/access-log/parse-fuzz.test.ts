import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseLogLine } from '../../../source/mesh/access-log/parse.js';
import { ACCESS_LOG_FIELDS, type AccessLogEntry as Parsed, type ParsedLine } from '../../../source/mesh/access-log/types.js';
import { formatJsonAccessLog, formatTextAccessLog, type AccessLogEntry as Written } from '../../../source/sim/logs/access-log-format.js';
import { RESPONSE_FLAGS } from '../../../source/mesh/access-log/flags.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'access-logs');
const REAL = ['envoy-default-text.log', 'istio-pre-1.9-text.log', 'istio-json.log', 'envoy-default-format.log'].flatMap((name) =>
  readFileSync(join(fixtures, name), 'utf8')
    .split('\n')
    .filter((l) => l !== ''),
);

/** What every parse must give: a record with every field of the right type, or the line itself (line ending dropped). */
function checkShape(line: string, parsed: ParsedLine): void {
  if (parsed.kind === 'raw') {
    expect(parsed.text).toBe(line.replace(/[\r\n]+$/, ''));
    if ('error' in parsed) expect(typeof parsed.error).toBe('string');
    return;
  }
  expect(parsed.kind).toBe('access');
  for (const key of ACCESS_LOG_FIELDS) expect(parsed).toHaveProperty(key);
  expect(Array.isArray(parsed.responseFlags)).toBe(true);
  for (const key of ['responseCode', 'bytesReceived', 'bytesSent', 'durationMs', 'upstreamServiceTimeMs'] as const) {
    const value = parsed[key];
    if (value !== undefined) {
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
    }
  }
}

describe('parseLogLine never throws, whatever the line', () => {
  it('any string (UTF-16 code units, unicode, binary)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.constantFrom('[', ']', '"', ' ', '{', '}', '-', '0', '9', ',', ':', '\\', '\n', 'T', 'Z') })), (line) => {
        checkShape(line, parseLogLine(line));
      }),
      { numRuns: 3_000 },
    );
  });

  it('real lines with any edit: pieces inserted, cut short, kubectl prefixes, CRLF', () => {
    const piece = fc.oneof(fc.constantFrom('"', ' ', '" "', '[', ']', '{', '}', '-', ',', '\\', '\t', '0', '999999999999999999999', '\u0000', '\ud800', 'é', '[pod/x/istio-proxy] ', '2024-01-09T15:35:47.283123456Z '), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.constantFrom(...REAL), fc.array(fc.tuple(fc.nat(), piece), { maxLength: 5 }), fc.option(fc.nat(), { nil: undefined }), fc.constantFrom('', '\n', '\r\n'), (base, inserts, cut, ending) => {
        let line = base;
        for (const [at, text] of inserts) {
          const i = at % (line.length + 1);
          line = line.slice(0, i) + text + line.slice(i);
        }
        if (cut !== undefined) line = line.slice(0, cut % (line.length + 1));
        line += ending;
        checkShape(line, parseLogLine(line));
      }),
      { numRuns: 3_000 },
    );
  });
});

// ---- Records as a proxy writes them ----

const FLAGS = Object.keys(RESPONSE_FLAGS);
/** A bare token: what Envoy writes for addresses, clusters, SNI, route names (never a space, never a lone "-"). */
const token = fc.stringMatching(/^[A-Za-z0-9._:/|,=+@%[\]-]{1,40}$/).filter((s) => s !== '-');
/** Inside a quoted header field: anything but a double quote or a line break (not empty, not "-"). */
const quoted = fc.string({ minLength: 1, maxLength: 40, unit: fc.oneof(fc.constantFrom('a', 'Z', '0', ' ', '/', ';', '(', ')', ',', '.', '-', '\\', 'é', '日', '🙂'), fc.string({ minLength: 1, maxLength: 1 })) }).filter((s) => !/["\r\n]/.test(s) && s !== '-');
/** The same, without blanks at either end: next to quotes inside the value, those make the TEXT format ambiguous (`" " "`). */
const quotedTrimmed = quoted.filter((s) => s.trim() === s);
const opt = <T,>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const count = fc.integer({ min: 0, max: 999_999_999_999 });

const written: fc.Arbitrary<Written> = fc
  .record({
    startTime: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
    http: fc.boolean(),
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'PRI'),
    path: fc.stringMatching(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,60}$/),
    protocol: opt(fc.constantFrom('HTTP/1.1', 'HTTP/2', 'HTTP/1.0', 'HTTP/3')),
    responseCode: fc.integer({ min: 0, max: 999 }),
    responseFlags: opt(fc.uniqueArray(fc.constantFrom(...FLAGS), { minLength: 1, maxLength: 3 }).map((f) => f.join(','))),
    responseCodeDetails: opt(fc.stringMatching(/^[a-z_{} ]{1,30}$/).filter((s) => s.trim() === s && s !== '')),
    connectionTerminationDetails: opt(fc.stringMatching(/^[a-z_ ]{1,20}$/).filter((s) => s.trim() === s && s !== '')),
    upstreamTransportFailureReason: opt(fc.stringMatching(/^[a-zA-Z0-9_:, ]{1,40}$/).filter((s) => s.trim() === s && s !== '')),
    bytesReceived: count,
    bytesSent: count,
    durationMs: count,
    upstreamServiceTimeMs: opt(count),
    xForwardedFor: opt(quoted),
    userAgent: opt(quoted),
    requestId: opt(quoted),
    authority: opt(quoted),
    upstreamHost: opt(quoted),
    upstreamCluster: opt(token),
    upstreamLocalAddress: opt(token),
    downstreamLocalAddress: token,
    downstreamRemoteAddress: token,
    requestedServerName: opt(token),
    routeName: opt(token),
  })
  .map(({ http, method, path, protocol, ...rest }) => {
    const entry: Written = { ...rest };
    if (http) Object.assign(entry, { method, path, ...(protocol ? { protocol } : {}) });
    for (const key of Object.keys(entry) as (keyof Written)[]) if (entry[key] === undefined) delete entry[key];
    return entry;
  });

/** What the parser must read back from a written record. */
function expected(entry: Written, format: Parsed['format']): Parsed {
  const underscores = (v: string | undefined) => v?.replace(/ /g, '_');
  return {
    kind: 'access',
    format,
    startTime: entry.startTime.toISOString(),
    method: entry.method,
    path: entry.path,
    protocol: entry.method === undefined ? undefined : entry.protocol,
    responseCode: entry.responseCode,
    responseFlags: entry.responseFlags ? entry.responseFlags.split(',') : [],
    responseCodeDetails: underscores(entry.responseCodeDetails),
    connectionTerminationDetails: underscores(entry.connectionTerminationDetails),
    upstreamTransportFailureReason: underscores(entry.upstreamTransportFailureReason),
    bytesReceived: entry.bytesReceived,
    bytesSent: entry.bytesSent,
    durationMs: entry.durationMs,
    upstreamServiceTimeMs: entry.upstreamServiceTimeMs,
    forwardedFor: entry.xForwardedFor,
    userAgent: entry.userAgent,
    requestId: entry.requestId,
    authority: entry.authority,
    upstreamHost: entry.upstreamHost,
    upstreamCluster: entry.upstreamCluster,
    upstreamLocalAddress: entry.upstreamLocalAddress,
    downstreamLocalAddress: entry.downstreamLocalAddress,
    downstreamRemoteAddress: entry.downstreamRemoteAddress,
    requestedServerName: entry.requestedServerName,
    routeName: entry.routeName,
  };
}

describe('parseLogLine reads back every generated record, field for field', () => {
  it("Istio's default TEXT format", () => {
    fc.assert(
      fc.property(written, (entry) => {
        const line = formatTextAccessLog(entry);
        expect(parseLogLine(line), line).toEqual(expected(entry, 'text'));
      }),
      { numRuns: 2_000 },
    );
  });

  it('TEXT behind kubectl logs --timestamps and --prefix, with CRLF', () => {
    fc.assert(
      fc.property(written, fc.boolean(), fc.boolean(), (entry, timestamps, prefix) => {
        const line = `${prefix ? '[pod/httpbin-7d4f8b9c6-x2x7q/istio-proxy] ' : ''}${timestamps ? '2026-01-09T15:35:47.283123456Z ' : ''}${formatTextAccessLog(entry)}\r\n`;
        expect(parseLogLine(line)).toEqual(expected(entry, 'text'));
      }),
      { numRuns: 500 },
    );
  });

  it('a user agent holding double quotes (the one header field most likely to) is read from both ends', () => {
    const quotedAgent = fc.tuple(quotedTrimmed, fc.constantFrom('"', '" "', '""', ' "x"'), quotedTrimmed).map(([a, q, b]) => `${a}${q}${b}`);
    fc.assert(
      fc.property(written, quotedAgent, (entry, userAgent) => {
        const withQuotes: Written = { ...entry, userAgent };
        // The other quoted fields as real proxies fill them (no blanks at either end), or the line is ambiguous.
        for (const key of ['xForwardedFor', 'requestId', 'authority', 'upstreamHost'] as const) {
          const value = withQuotes[key]?.trim();
          if (value && value !== '-') withQuotes[key] = value;
          else delete withQuotes[key];
        }
        const line = formatTextAccessLog(withQuotes);
        expect(parseLogLine(line), line).toEqual(expected(withQuotes, 'text'));
      }),
      { numRuns: 1_000 },
    );
  });

  it("Istio's JSON encoding, with any text in the string fields", () => {
    const anyText = opt(fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }).filter((s) => s !== '-'));
    fc.assert(
      fc.property(written, anyText, anyText, anyText, (entry, userAgent, authority, xForwardedFor) => {
        const wild: Written = { ...entry };
        for (const [key, value] of [['userAgent', userAgent], ['authority', authority], ['xForwardedFor', xForwardedFor]] as const) {
          if (value === undefined) delete wild[key];
          else wild[key] = value;
        }
        const line = formatJsonAccessLog(wild);
        expect(parseLogLine(line)).toEqual({ ...expected(wild, 'json'), protocol: wild.protocol });
      }),
      { numRuns: 2_000 },
    );
  });

  it('a generated line cut anywhere before its last field is never read as a record', () => {
    fc.assert(
      fc.property(written, fc.nat(), (entry, at) => {
        const line = formatTextAccessLog(entry);
        const lastField = line.lastIndexOf(' ');
        const cut = line.slice(0, at % lastField);
        const parsed = parseLogLine(cut);
        expect(parsed.kind, cut).toBe('raw');
      }),
      { numRuns: 2_000 },
    );
  });
});
