// Istio's default Envoy access-log formats (pilot/pkg/model/telemetry_logging.go): the TEXT format
// `EnvoyTextLogFormat` and the JSON key set `EnvoyJSONLogFormatIstio`.

export type AccessLogEncoding = 'TEXT' | 'JSON';

/** One access-log record. Absent values print as `-` (TEXT) or null (JSON), as Envoy prints them. */
export interface AccessLogEntry {
  startTime: Date;
  /** Absent for TCP connections, which log `"- - -"`. */
  method?: string;
  path?: string;
  protocol?: string;
  /** 0 for TCP connections and for requests that ended before a response. */
  responseCode: number;
  /** Comma-joined, e.g. `UF,URX`; absent means none. */
  responseFlags?: string;
  responseCodeDetails?: string;
  connectionTerminationDetails?: string;
  upstreamTransportFailureReason?: string;
  bytesReceived: number;
  bytesSent: number;
  durationMs: number;
  upstreamServiceTimeMs?: number;
  xForwardedFor?: string;
  userAgent?: string;
  requestId?: string;
  authority?: string;
  upstreamHost?: string;
  upstreamCluster?: string;
  upstreamLocalAddress?: string;
  downstreamLocalAddress: string;
  downstreamRemoteAddress: string;
  requestedServerName?: string;
  routeName?: string;
}

const dash = (value: string | number | undefined): string => (value === undefined || value === '' ? '-' : String(value));

/**
 * The line Istio's `EnvoyTextLogFormat` produces (without the trailing newline):
 * `[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% ...`
 */
export function formatTextAccessLog(entry: AccessLogEntry): string {
  return [
    `[${entry.startTime.toISOString()}]`,
    `"${dash(entry.method)} ${dash(entry.path)} ${dash(entry.protocol)}"`,
    String(entry.responseCode),
    dash(entry.responseFlags),
    dash(envoyToken(entry.responseCodeDetails)),
    dash(envoyToken(entry.connectionTerminationDetails)),
    `"${dash(envoyToken(entry.upstreamTransportFailureReason))}"`,
    String(entry.bytesReceived),
    String(entry.bytesSent),
    String(entry.durationMs),
    dash(entry.upstreamServiceTimeMs),
    `"${dash(entry.xForwardedFor)}"`,
    `"${dash(entry.userAgent)}"`,
    `"${dash(entry.requestId)}"`,
    `"${dash(entry.authority)}"`,
    `"${dash(entry.upstreamHost)}"`,
    dash(entry.upstreamCluster),
    dash(entry.upstreamLocalAddress),
    dash(entry.downstreamLocalAddress),
    dash(entry.downstreamRemoteAddress),
    dash(entry.requestedServerName),
    dash(entry.routeName),
  ].join(' ');
}

/**
 * The line Istio's JSON encoding produces with its default key set. Numeric operators are numbers,
 * `%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%` is a string, and empty values are null. The key order is
 * the one a real proxy printed (Envoy does not sort them).
 */
export function formatJsonAccessLog(entry: AccessLogEntry): string {
  const orNull = (value: string | undefined) => (value === undefined || value === '' ? null : value);
  const record: Record<string, string | number | null> = {
    response_code: entry.responseCode,
    upstream_cluster: orNull(entry.upstreamCluster),
    protocol: orNull(entry.protocol),
    start_time: entry.startTime.toISOString(),
    method: orNull(entry.method),
    duration: entry.durationMs,
    user_agent: orNull(entry.userAgent),
    response_code_details: orNull(envoyToken(entry.responseCodeDetails)),
    authority: orNull(entry.authority),
    upstream_service_time: entry.upstreamServiceTimeMs === undefined ? null : String(entry.upstreamServiceTimeMs),
    request_id: orNull(entry.requestId),
    response_flags: entry.responseFlags ?? '-',
    downstream_remote_address: entry.downstreamRemoteAddress,
    route_name: orNull(entry.routeName),
    connection_termination_details: orNull(envoyToken(entry.connectionTerminationDetails)),
    upstream_host: orNull(entry.upstreamHost),
    upstream_local_address: orNull(entry.upstreamLocalAddress),
    bytes_received: entry.bytesReceived,
    bytes_sent: entry.bytesSent,
    downstream_local_address: entry.downstreamLocalAddress,
    upstream_transport_failure_reason: orNull(envoyToken(entry.upstreamTransportFailureReason)),
    path: orNull(entry.path),
    x_forwarded_for: orNull(entry.xForwardedFor),
    requested_server_name: orNull(entry.requestedServerName),
  };
  return JSON.stringify(record);
}

export function formatAccessLog(entry: AccessLogEntry, encoding: AccessLogEncoding): string {
  return encoding === 'JSON' ? formatJsonAccessLog(entry) : formatTextAccessLog(entry);
}

/** Envoy writes details and failure reasons with spaces replaced by underscores, so they stay one token. */
function envoyToken(value: string | undefined): string | undefined {
  return value === undefined ? undefined : value.replace(/ /g, '_');
}
