// Parsed istio-proxy log lines. Pure data: no Node imports.

/** Which layout a parsed access-log line was written in. */
export type AccessLogFormat =
  /** Istio 1.9+ default TEXT (`EnvoyTextLogFormat`, 21 fields after the start time). */
  | 'text'
  /** Istio's pre-1.9 default TEXT layouts (no RESPONSE_CODE_DETAILS / CONNECTION_TERMINATION_DETAILS). */
  | 'text-pre-1.9'
  /** Envoy's own default format (13 fields), e.g. a plain Envoy or a proxy without Istio's format. */
  | 'envoy-default'
  /** `accessLogEncoding: JSON`, Istio's default key set (older and newer) or a compatible one. */
  | 'json';

/**
 * One Envoy access-log record. Every key is always present (one object shape, cheap to make by
 * the hundred thousand); a value Envoy printed as `-` (or JSON null / empty) is undefined.
 */
export interface AccessLogEntry {
  kind: 'access';
  format: AccessLogFormat;
  /** `%START_TIME%` as logged, e.g. `2024-01-09T15:35:47.283Z`. */
  startTime: string;
  /** Undefined for TCP connections (`"- - -"`). */
  method: string | undefined;
  path: string | undefined;
  protocol: string | undefined;
  /** 0 for TCP and for requests that ended before a response; undefined when not logged. */
  responseCode: number | undefined;
  /** `UF,URX` → ['UF', 'URX']; `-` → []. */
  responseFlags: string[];
  responseCodeDetails: string | undefined;
  connectionTerminationDetails: string | undefined;
  upstreamTransportFailureReason: string | undefined;
  bytesReceived: number | undefined;
  bytesSent: number | undefined;
  durationMs: number | undefined;
  /** `x-envoy-upstream-service-time`: how long the upstream took, as the upstream's proxy measured it. */
  upstreamServiceTimeMs: number | undefined;
  forwardedFor: string | undefined;
  userAgent: string | undefined;
  requestId: string | undefined;
  authority: string | undefined;
  upstreamHost: string | undefined;
  upstreamCluster: string | undefined;
  upstreamLocalAddress: string | undefined;
  downstreamLocalAddress: string | undefined;
  downstreamRemoteAddress: string | undefined;
  requestedServerName: string | undefined;
  routeName: string | undefined;
}

/**
 * A line that is not an access-log record: istio-agent and Envoy messages, x509 errors, anything.
 * `error` is set only when the line looked like an access-log record but could not be read
 * (truncated, a custom format, a broken JSON object); it says why.
 */
export interface RawLogEntry {
  kind: 'raw';
  text: string;
  error?: string;
}

export type ParsedLine = AccessLogEntry | RawLogEntry;

/** The keys of AccessLogEntry that hold fields of the log line, in the order Istio's TEXT format writes them. */
export const ACCESS_LOG_FIELDS = [
  'startTime',
  'method',
  'path',
  'protocol',
  'responseCode',
  'responseFlags',
  'responseCodeDetails',
  'connectionTerminationDetails',
  'upstreamTransportFailureReason',
  'bytesReceived',
  'bytesSent',
  'durationMs',
  'upstreamServiceTimeMs',
  'forwardedFor',
  'userAgent',
  'requestId',
  'authority',
  'upstreamHost',
  'upstreamCluster',
  'upstreamLocalAddress',
  'downstreamLocalAddress',
  'downstreamRemoteAddress',
  'requestedServerName',
  'routeName',
] as const satisfies readonly (keyof AccessLogEntry)[];
