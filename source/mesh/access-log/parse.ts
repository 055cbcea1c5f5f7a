import type { AccessLogEntry, AccessLogFormat, ParsedLine, RawLogEntry } from './types.js';

// Envoy access-log lines as istio-proxy writes them, in Istio's default TEXT layouts (1.9+ and
// the older ones) and in its JSON encoding. A hand-written scanner: one pass finds the fields
// (bare tokens, and double-quoted ones that end at a quote followed by a space or the end of the
// line), their count and which of them were quoted pick the layout, and numbers are read from
// the character codes. No regular expression runs per line.

/**
 * Where each field sits in a TEXT layout (token index after `[%START_TIME%] `, -1 when the layout
 * has no such field). Token 0 is always `"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%"`,
 * token 1 `%RESPONSE_CODE%` and token 2 `%RESPONSE_FLAGS%`.
 */
interface TextLayout {
  name: string;
  format: AccessLogFormat;
  count: number;
  /** Bit i set when token i is double-quoted in this layout. */
  quotedMask: number;
  details: number;
  termination: number;
  transportFailure: number;
  bytesReceived: number;
  bytesSent: number;
  duration: number;
  serviceTime: number;
  forwardedFor: number;
  userAgent: number;
  requestId: number;
  authority: number;
  upstreamHost: number;
  upstreamCluster: number;
  upstreamLocal: number;
  downstreamLocal: number;
  downstreamRemote: number;
  serverName: number;
  route: number;
}

const mask = (...quoted: number[]) => quoted.reduce((m, i) => m | (1 << i), 0);

// Istio 1.9 onwards: `EnvoyTextLogFormat` in pilot/pkg/model/telemetry_logging.go (earlier in
// pilot/pkg/networking/core/v1alpha3/accesslog.go as `EnvoyTextLogFormatIstio19`).
const ISTIO_1_9: TextLayout = {
  name: 'Istio 1.9+',
  format: 'text',
  count: 21,
  quotedMask: mask(0, 5, 10, 11, 12, 13, 14),
  details: 3,
  termination: 4,
  transportFailure: 5,
  bytesReceived: 6,
  bytesSent: 7,
  duration: 8,
  serviceTime: 9,
  forwardedFor: 10,
  userAgent: 11,
  requestId: 12,
  authority: 13,
  upstreamHost: 14,
  upstreamCluster: 15,
  upstreamLocal: 16,
  downstreamLocal: 17,
  downstreamRemote: 18,
  serverName: 19,
  route: 20,
};

// Istio 1.3 to 1.7 (`EnvoyTextLogFormat13` and its successor): Mixer's status in token 3
// (`"%DYNAMIC_METADATA(istio.mixer:status)%"`, ignored), then the transport failure reason.
const ISTIO_1_3_MIXER: TextLayout = {
  name: 'Istio 1.3-1.7',
  format: 'text-pre-1.9',
  count: 20,
  quotedMask: mask(0, 3, 4, 9, 10, 11, 12, 13),
  details: -1,
  termination: -1,
  transportFailure: 4,
  bytesReceived: 5,
  bytesSent: 6,
  duration: 7,
  serviceTime: 8,
  forwardedFor: 9,
  userAgent: 10,
  requestId: 11,
  authority: 12,
  upstreamHost: 13,
  upstreamCluster: 14,
  upstreamLocal: 15,
  downstreamLocal: 16,
  downstreamRemote: 17,
  serverName: 18,
  route: 19,
};

// Istio 1.2 (`EnvoyTextLogFormat12`): as 1.3 without %ROUTE_NAME%.
const ISTIO_1_2: TextLayout = { ...ISTIO_1_3_MIXER, name: 'Istio 1.2', count: 19, route: -1 };

// Istio 1.8 (Mixer gone, before 1.9's details): the transport failure reason right after the flags.
const ISTIO_1_8: TextLayout = {
  name: 'Istio 1.8',
  format: 'text-pre-1.9',
  count: 19,
  quotedMask: mask(0, 3, 8, 9, 10, 11, 12),
  details: -1,
  termination: -1,
  transportFailure: 3,
  bytesReceived: 4,
  bytesSent: 5,
  duration: 6,
  serviceTime: 7,
  forwardedFor: 8,
  userAgent: 9,
  requestId: 10,
  authority: 11,
  upstreamHost: 12,
  upstreamCluster: 13,
  upstreamLocal: 14,
  downstreamLocal: 15,
  downstreamRemote: 16,
  serverName: 17,
  route: 18,
};

// Istio 1.1 (the line istio.io's access-log task showed until 1.8): Mixer's status, no transport
// failure reason, no route name.
const ISTIO_1_1: TextLayout = { ...ISTIO_1_8, name: 'Istio 1.1', count: 18, transportFailure: -1, route: -1 };

// Envoy's own default format (docs: access_log/usage.rst, "Default Format String").
const ENVOY_DEFAULT: TextLayout = {
  name: 'Envoy default',
  format: 'envoy-default',
  count: 12,
  quotedMask: mask(0, 7, 8, 9, 10, 11),
  details: -1,
  termination: -1,
  transportFailure: -1,
  bytesReceived: 3,
  bytesSent: 4,
  duration: 5,
  serviceTime: 6,
  forwardedFor: 7,
  userAgent: 8,
  requestId: 9,
  authority: 10,
  upstreamHost: 11,
  upstreamCluster: -1,
  upstreamLocal: -1,
  downstreamLocal: -1,
  downstreamRemote: -1,
  serverName: -1,
  route: -1,
};

const LAYOUTS: readonly TextLayout[] = [ISTIO_1_9, ISTIO_1_3_MIXER, ISTIO_1_8, ISTIO_1_2, ISTIO_1_1, ENVOY_DEFAULT];
/** Layouts with the header block `"xff" "ua" "rid" "authority"` followed by `"upstream host"` and bare fields (the fallback handles those). */
const ISTIO_LAYOUTS: readonly TextLayout[] = [ISTIO_1_9, ISTIO_1_3_MIXER, ISTIO_1_8, ISTIO_1_2, ISTIO_1_1];

const MAX_TOKENS = 32;
const CH_SPACE = 32;
const CH_QUOTE = 34;
const CH_DASH = 45;
const CH_COMMA = 44;
const CH_LBRACKET = 91;
const CH_LBRACE = 123;
const CH_0 = 48;
const CH_9 = 57;

// The scanner's output, reused between calls (parsing is synchronous and single-threaded).
const starts = new Int32Array(MAX_TOKENS);
const ends = new Int32Array(MAX_TOKENS);

interface Scan {
  count: number;
  quotedMask: number;
  /** A quoted field had no closing quote: the line was cut short. */
  unterminated: boolean;
  /** More fields than any known layout has. */
  overflow: boolean;
}
const scan: Scan = { count: 0, quotedMask: 0, unterminated: false, overflow: false };

/** Thrown inside the parser when a field has the wrong shape; turned into RawLogEntry.error. */
class FieldError extends Error {}

/**
 * Parses one line of an istio-proxy container's log. Access-log lines in Istio's default TEXT
 * format (1.9+ and pre-1.9), Envoy's default format and Istio's JSON encoding become
 * AccessLogEntry; everything else is a RawLogEntry, with `error` only when the line looked like
 * an access-log record but could not be read. Lines from `kubectl logs --timestamps` and
 * `--prefix` are accepted too. Never throws.
 */
export function parseLogLine(line: string): ParsedLine {
  // The line ending is not part of the line; trailing blanks are kept in raw text but not parsed.
  let textEnd = line.length;
  while (textEnd > 0 && (line.charCodeAt(textEnd - 1) === 10 || line.charCodeAt(textEnd - 1) === 13)) textEnd--;
  let end = textEnd;
  while (end > 0 && (line.charCodeAt(end - 1) === CH_SPACE || line.charCodeAt(end - 1) === 9)) end--;
  try {
    let start = 0;
    // `kubectl logs --prefix` then `--timestamps`, in that order when both are given.
    for (let round = 0; round < 2 && start < end; round++) {
      const next = skipKubectlPrefix(line, start, end);
      if (next === start) break;
      start = next;
    }
    const first = line.charCodeAt(start);
    if (first === CH_LBRACKET) return parseText(line, start, end, textEnd);
    if (first === CH_LBRACE) return parseJson(line, start, end, textEnd);
    return raw(line, textEnd);
  } catch (error) {
    return raw(line, textEnd, error instanceof FieldError ? error.message : `cannot parse: ${(error as Error).message}`);
  }
}

/** The entries that are access-log records. */
export function isAccessLog(entry: ParsedLine): entry is AccessLogEntry {
  return entry.kind === 'access';
}

function raw(line: string, end: number, error?: string): RawLogEntry {
  const text = end === line.length ? line : line.slice(0, end);
  return error === undefined ? { kind: 'raw', text } : { kind: 'raw', text, error };
}

/**
 * `kubectl logs --timestamps` puts an RFC 3339 time and a space before each line, `--prefix`
 * puts `[pod/NAME/CONTAINER] `. Returns where the line itself starts (start when neither is there).
 */
function skipKubectlPrefix(line: string, start: number, end: number): number {
  const c = line.charCodeAt(start);
  if (c >= CH_0 && c <= CH_9) {
    // 2024-01-09T15:35:47.283123456Z or with an offset; istio-agent's own lines start with a time
    // too, but a tab follows it, not a space.
    if (line.charCodeAt(start + 4) !== CH_DASH || line.charCodeAt(start + 10) !== 84 /* T */) return start;
    const space = line.indexOf(' ', start);
    if (space < 0 || space >= end || space - start > 40) return start;
    for (let i = start; i < space; i++) if (line.charCodeAt(i) === 9) return start;
    return space + 1;
  }
  if (c === CH_LBRACKET && line.startsWith('[pod/', start)) {
    const close = line.indexOf('] ', start);
    return close < 0 || close >= end ? start : close + 2;
  }
  return start;
}

// ---------------------------------------------------------------------------------------------
// TEXT

function parseText(line: string, start: number, end: number, textEnd: number): ParsedLine {
  // `[%START_TIME%] "` — Envoy's own application log (`[2024-01-09 15:35:47.283][12][warning]...`)
  // also starts with a bracket, but is not followed by ` "`.
  const close = line.indexOf(']', start + 1);
  if (close < 0 || close >= end || close - start > 64 || line.charCodeAt(close + 1) !== CH_SPACE || line.charCodeAt(close + 2) !== CH_QUOTE) {
    return raw(line, textEnd);
  }
  const startTime = line.slice(start + 1, close);
  const fieldsStart = close + 2;
  tokenize(line, fieldsStart, end);
  let problem: string | undefined;
  if (!scan.unterminated && !scan.overflow) {
    for (const layout of LAYOUTS) {
      if (layout.count !== scan.count || layout.quotedMask !== scan.quotedMask) continue;
      try {
        return build(line, layout, startTime);
      } catch (error) {
        if (!(error instanceof FieldError)) throw error;
        problem = error.message;
        break;
      }
    }
  }
  if (scan.unterminated) return raw(line, textEnd, describeFailure(line));
  problem ??= describeFailure(line);
  // A quote inside a field (a user agent, a Host header) splits it in the simple scan; anchor
  // the fields that cannot hold one from both ends instead.
  return anchored(line, fieldsStart, end, startTime) ?? raw(line, textEnd, problem);
}

/** Fills starts/ends and `scan`; fields are separated by single spaces. */
function tokenize(line: string, from: number, end: number): void {
  let p = from;
  let n = 0;
  let quoted = 0;
  scan.unterminated = false;
  scan.overflow = false;
  while (p < end) {
    if (n === MAX_TOKENS) {
      scan.overflow = true;
      break;
    }
    if (line.charCodeAt(p) === CH_QUOTE) {
      let q = p + 1;
      for (;;) {
        q = line.indexOf('"', q);
        if (q < 0 || q >= end) {
          q = -1;
          break;
        }
        if (q + 1 === end || line.charCodeAt(q + 1) === CH_SPACE) break;
        q++;
      }
      if (q < 0) {
        starts[n] = p + 1;
        ends[n] = end;
        n++;
        scan.unterminated = true;
        break;
      }
      if (n < 31) quoted |= 1 << n;
      starts[n] = p + 1;
      ends[n] = q;
      n++;
      p = q + 2;
    } else {
      let q = line.indexOf(' ', p);
      if (q < 0 || q > end) q = end;
      starts[n] = p;
      ends[n] = q;
      n++;
      p = q + 1;
    }
  }
  scan.count = n;
  scan.quotedMask = quoted;
}

function build(line: string, layout: TextLayout, startTime: string): AccessLogEntry {
  const code = number(line, 1, 'RESPONSE_CODE');
  if (code !== undefined && code > 999) throw new FieldError(`RESPONSE_CODE "${line.slice(starts[1]!, ends[1]!)}" is not an HTTP status code`);
  const requestStart = starts[0]!;
  const requestEnd = ends[0]!;
  // "GET /path HTTP/1.1": the method up to the first space, the protocol after the last one.
  const firstSpace = line.indexOf(' ', requestStart);
  let method: string | undefined;
  let path: string | undefined;
  let protocol: string | undefined;
  if (firstSpace < 0 || firstSpace >= requestEnd) {
    method = text(line, requestStart, requestEnd);
  } else {
    const lastSpace = line.lastIndexOf(' ', requestEnd - 1);
    method = text(line, requestStart, firstSpace);
    if (lastSpace > firstSpace) {
      path = text(line, firstSpace + 1, lastSpace);
      protocol = text(line, lastSpace + 1, requestEnd);
    } else {
      path = text(line, firstSpace + 1, requestEnd);
    }
  }
  return {
    kind: 'access',
    format: layout.format,
    startTime,
    method,
    path,
    protocol,
    responseCode: code,
    responseFlags: flags(line, starts[2]!, ends[2]!),
    responseCodeDetails: field(line, layout.details),
    connectionTerminationDetails: field(line, layout.termination),
    upstreamTransportFailureReason: field(line, layout.transportFailure),
    bytesReceived: number(line, layout.bytesReceived, 'BYTES_RECEIVED'),
    bytesSent: number(line, layout.bytesSent, 'BYTES_SENT'),
    durationMs: number(line, layout.duration, 'DURATION'),
    upstreamServiceTimeMs: serviceTime(line, layout.serviceTime),
    forwardedFor: field(line, layout.forwardedFor),
    userAgent: field(line, layout.userAgent),
    requestId: field(line, layout.requestId),
    authority: field(line, layout.authority),
    upstreamHost: field(line, layout.upstreamHost),
    upstreamCluster: field(line, layout.upstreamCluster),
    upstreamLocalAddress: field(line, layout.upstreamLocal),
    downstreamLocalAddress: field(line, layout.downstreamLocal),
    downstreamRemoteAddress: field(line, layout.downstreamRemote),
    requestedServerName: field(line, layout.serverName),
    routeName: field(line, layout.route),
  };
}

/** `-` and empty are "not set". */
function text(line: string, from: number, to: number): string | undefined {
  if (to <= from) return undefined;
  if (to - from === 1 && line.charCodeAt(from) === CH_DASH) return undefined;
  return line.slice(from, to);
}

function field(line: string, index: number): string | undefined {
  return index < 0 ? undefined : text(line, starts[index]!, ends[index]!);
}

function number(line: string, index: number, name: string): number | undefined {
  if (index < 0) return undefined;
  const from = starts[index]!;
  const to = ends[index]!;
  const value = digits(line, from, to);
  if (Number.isNaN(value)) throw new FieldError(`${name} "${line.slice(from, to)}" is not a number`);
  return value;
}

/** A run of ASCII digits as a number, undefined for `-` or empty, NaN for anything else. */
function digits(line: string, from: number, to: number): number | undefined {
  if (to <= from) return undefined;
  if (to - from === 1 && line.charCodeAt(from) === CH_DASH) return undefined;
  if (to - from > 15) return NaN;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = line.charCodeAt(i) - CH_0;
    if (c < 0 || c > 9) return NaN;
    value = value * 10 + c;
  }
  return value;
}

/** `x-envoy-upstream-service-time` is a header an upstream may set to anything; only numbers count. */
function serviceTime(line: string, index: number): number | undefined {
  if (index < 0) return undefined;
  const value = digits(line, starts[index]!, ends[index]!);
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

function flags(line: string, from: number, to: number): string[] {
  if (to <= from || (to - from === 1 && line.charCodeAt(from) === CH_DASH)) return [];
  const comma = line.indexOf(',', from);
  if (comma < 0 || comma >= to) return [line.slice(from, to)];
  const out: string[] = [];
  let p = from;
  for (let i = from; i <= to; i++) {
    if (i === to || line.charCodeAt(i) === CH_COMMA) {
      if (i > p) out.push(line.slice(p, i));
      p = i + 1;
    }
  }
  return out;
}

/**
 * The slow path for lines whose header fields hold quotes. The fields before the header block
 * (request, code, flags, details, numbers) are read from the left, the upstream host and the
 * bare fields after it from the right, and the four quoted header fields in between are split at
 * `" "`; extra separators go to the user agent, the field most likely to hold quotes.
 */
function anchored(line: string, from: number, end: number, startTime: string): AccessLogEntry | undefined {
  for (const layout of ISTIO_LAYOUTS) {
    const entry = anchoredAs(line, from, end, layout, startTime);
    if (entry) return entry;
  }
  return undefined;
}

function anchoredAs(line: string, from: number, end: number, layout: TextLayout, startTime: string): AccessLogEntry | undefined {
  // The request: a quote, then up to `" ` followed by the response code's digits and a space.
  if (line.charCodeAt(from) !== CH_QUOTE) return undefined;
  let requestEnd = -1;
  for (let q = line.indexOf('" ', from + 1); q >= 0 && q < end; q = line.indexOf('" ', q + 1)) {
    let i = q + 2;
    while (i < end && line.charCodeAt(i) >= CH_0 && line.charCodeAt(i) <= CH_9) i++;
    if (i > q + 2 && line.charCodeAt(i) === CH_SPACE) {
      requestEnd = q;
      break;
    }
  }
  if (requestEnd < 0) return undefined;
  starts[0] = from + 1;
  ends[0] = requestEnd;
  // From the left: code .. upstream service time (bare tokens, and quoted ones without `" ` inside).
  let p = requestEnd + 2;
  for (let i = 1; i < layout.forwardedFor; i++) {
    if (p >= end) return undefined;
    const quoted = (layout.quotedMask >> i) & 1;
    if (quoted) {
      if (line.charCodeAt(p) !== CH_QUOTE) return undefined;
      const q = line.indexOf('" ', p + 1);
      if (q < 0 || q >= end) return undefined;
      starts[i] = p + 1;
      ends[i] = q;
      p = q + 2;
    } else {
      if (line.charCodeAt(p) === CH_QUOTE) return undefined;
      let q = line.indexOf(' ', p);
      if (q < 0 || q > end) return undefined;
      starts[i] = p;
      ends[i] = q;
      p = q + 1;
    }
  }
  // From the right: the bare fields after the upstream host, then the quoted upstream host.
  let r = end;
  for (let i = layout.count - 1; i > layout.upstreamHost; i--) {
    const space = line.lastIndexOf(' ', r - 1);
    if (space < p) return undefined;
    if (line.charCodeAt(space + 1) === CH_QUOTE || line.charCodeAt(r - 1) === CH_QUOTE) return undefined;
    starts[i] = space + 1;
    ends[i] = r;
    r = space;
  }
  if (line.charCodeAt(r - 1) !== CH_QUOTE) return undefined;
  const hostOpen = line.lastIndexOf(' "', r - 2);
  if (hostOpen < p) return undefined;
  starts[layout.upstreamHost] = hostOpen + 2;
  ends[layout.upstreamHost] = r - 1;
  // In between: "xff" "user agent" "request id" "authority".
  const blockStart = p;
  const blockEnd = hostOpen;
  if (line.charCodeAt(blockStart) !== CH_QUOTE || line.charCodeAt(blockEnd - 1) !== CH_QUOTE || blockEnd - blockStart < 2) return undefined;
  const separators: number[] = [];
  for (let q = line.indexOf('" "', blockStart + 1); q >= 0 && q + 3 <= blockEnd - 1; q = line.indexOf('" "', q + 1)) separators.push(q);
  if (separators.length < 3) return undefined;
  const first = separators[0]!;
  const beforeLast = separators[separators.length - 2]!;
  const last = separators[separators.length - 1]!;
  starts[layout.forwardedFor] = blockStart + 1;
  ends[layout.forwardedFor] = first;
  starts[layout.userAgent] = first + 3;
  ends[layout.userAgent] = beforeLast;
  starts[layout.requestId] = beforeLast + 3;
  ends[layout.requestId] = last;
  starts[layout.authority] = last + 3;
  ends[layout.authority] = blockEnd - 1;
  try {
    return build(line, layout, startTime);
  } catch {
    return undefined;
  }
}

/** Why a line that starts like an access-log record could not be read. */
function describeFailure(line: string): string {
  if (scan.unterminated) return `a quoted field has no closing quote (the line was cut short?) after ${scan.count - 1} complete fields`;
  if (scan.overflow) return `more than ${MAX_TOKENS} fields: not a known access-log format`;
  const n = scan.count;
  if (n >= 2 && Number.isNaN(digits(line, starts[1]!, ends[1]!))) {
    return `RESPONSE_CODE "${line.slice(starts[1]!, ends[1]!)}" is not a number: not Istio's access-log format`;
  }
  if (n < 18) return `${n} fields after the start time; Istio's default format has 21 (18 to 20 before Istio 1.9): truncated or a custom format`;
  return `${n} fields after the start time do not match Istio's default format (21 fields, 18 to 20 before Istio 1.9): a custom format?`;
}

// ---------------------------------------------------------------------------------------------
// JSON

type JsonRecord = Record<string, unknown>;

/** Keys that only an access-log record has (Istio's JSON key set, old and new). */
const JSON_MARKERS = ['start_time', 'response_code', 'response_flags', 'upstream_cluster', 'downstream_remote_address'] as const;
/** A JSON line cut short is an access-log record if it has any of Istio's keys. */
const JSON_KEYS_SEEN_IN_BROKEN = [
  'start_time',
  'response_code',
  'response_flags',
  'upstream_cluster',
  'upstream_host',
  'upstream_local_address',
  'downstream_local_address',
  'downstream_remote_address',
  'requested_server_name',
  'upstream_transport_failure_reason',
  'bytes_received',
  'bytes_sent',
].map((key) => `"${key}"`);

function parseJson(line: string, start: number, end: number, textEnd: number): ParsedLine {
  const body = start === 0 && end === line.length ? line : line.slice(start, end);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    if (JSON_KEYS_SEEN_IN_BROKEN.some((key) => body.includes(key))) {
      return raw(line, textEnd, `broken JSON access-log record (cut short?): ${(error as Error).message}`);
    }
    return raw(line, textEnd);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return raw(line, textEnd);
  const record = value as JsonRecord;
  // Docker's json-file wrapping: {"log":"[2024-...] \"GET ...\n","stream":"stdout","time":"..."}.
  if (typeof record['log'] === 'string' && typeof record['stream'] === 'string') {
    const inner = parseLogLine(record['log']);
    return inner.kind === 'access' ? inner : raw(line, textEnd, inner.error);
  }
  let markers = 0;
  for (const key of JSON_MARKERS) if (key in record) markers++;
  if (markers < 2) return raw(line, textEnd);

  const code = jsonNumber(record, 'response_code');
  if (Number.isNaN(code)) return raw(line, textEnd, `response_code ${JSON.stringify(record['response_code'])} is not a number`);
  const bytesReceived = jsonNumber(record, 'bytes_received');
  const bytesSent = jsonNumber(record, 'bytes_sent');
  const duration = jsonNumber(record, 'duration');
  for (const [key, v] of [['bytes_received', bytesReceived], ['bytes_sent', bytesSent], ['duration', duration]] as const) {
    if (Number.isNaN(v)) return raw(line, textEnd, `${key} ${JSON.stringify(record[key])} is not a number`);
  }
  const serviceTimeValue = jsonNumber(record, 'upstream_service_time', 'x-envoy-upstream-service-time');
  const flagText = jsonString(record, 'response_flags');
  return {
    kind: 'access',
    format: 'json',
    startTime: jsonString(record, 'start_time') ?? '',
    method: jsonString(record, 'method'),
    path: jsonString(record, 'path'),
    protocol: jsonString(record, 'protocol'),
    responseCode: code,
    responseFlags: flagText === undefined ? [] : flagText.split(',').filter((f) => f !== ''),
    responseCodeDetails: jsonString(record, 'response_code_details'),
    connectionTerminationDetails: jsonString(record, 'connection_termination_details'),
    upstreamTransportFailureReason: jsonString(record, 'upstream_transport_failure_reason'),
    bytesReceived,
    bytesSent,
    durationMs: duration,
    upstreamServiceTimeMs: serviceTimeValue === undefined || Number.isNaN(serviceTimeValue) ? undefined : serviceTimeValue,
    forwardedFor: jsonString(record, 'x_forwarded_for', 'x-forwarded-for'),
    userAgent: jsonString(record, 'user_agent', 'user-agent'),
    requestId: jsonString(record, 'request_id', 'x-request-id'),
    authority: jsonString(record, 'authority', ':authority'),
    upstreamHost: jsonString(record, 'upstream_host'),
    upstreamCluster: jsonString(record, 'upstream_cluster'),
    upstreamLocalAddress: jsonString(record, 'upstream_local_address'),
    downstreamLocalAddress: jsonString(record, 'downstream_local_address'),
    downstreamRemoteAddress: jsonString(record, 'downstream_remote_address'),
    requestedServerName: jsonString(record, 'requested_server_name'),
    routeName: jsonString(record, 'route_name'),
  };
}

function jsonValue(record: JsonRecord, key: string, alias?: string): unknown {
  const value = record[key];
  return value === undefined && alias !== undefined ? record[alias] : value;
}

/** Strings as they are; numbers and booleans as text; null, "", "-" and objects are "not set". */
function jsonString(record: JsonRecord, key: string, alias?: string): string | undefined {
  const value = jsonValue(record, key, alias);
  if (typeof value === 'string') return value === '' || value === '-' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Envoy writes numeric operators as numbers (older versions: as strings). NaN when neither. */
function jsonNumber(record: JsonRecord, key: string, alias?: string): number | undefined {
  const value = jsonValue(record, key, alias);
  if (value === undefined || value === null || value === '' || value === '-') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : NaN;
  if (typeof value === 'string') return digits(value, 0, value.length);
  return NaN;
}
