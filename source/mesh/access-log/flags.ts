// Envoy's %RESPONSE_FLAGS%: what each flag means and what usually causes it in an Istio mesh.
// The flags and their long names are Envoy's (source/common/stream_info/utility.h,
// CORE_RESPONSE_FLAGS; documented in docs/root/configuration/observability/access_log/usage.rst);
// the explanations are ours.

export interface ResponseFlagInfo {
  /** The short form written in access logs, e.g. `UH`. */
  flag: string;
  /** Envoy's long name (`%RESPONSE_FLAGS_LONG%`), e.g. `NoHealthyUpstream`. */
  name: string;
  /** Whether Envoy sets it for HTTP only or for TCP connections too. */
  scope: 'http' | 'http+tcp';
  meaning: string;
  likelyCause: string;
}

export interface FlagExplanation {
  flag: string;
  meaning: string;
  likelyCause: string;
}

const table: ResponseFlagInfo[] = [
  // HTTP and TCP
  {
    flag: 'UH',
    name: 'NoHealthyUpstream',
    scope: 'http+tcp',
    meaning: 'No healthy upstream: the destination cluster had no endpoint to send the request to (503).',
    likelyCause:
      'The service has no ready endpoints: pods scaled to zero or failing readiness, a Service selector that matches no pod, a DestinationRule subset whose labels match no pod, or every endpoint ejected by outlier detection. Across clusters: the remote endpoints are missing because the remote secret or the east-west gateway does not work.',
  },
  {
    flag: 'UF',
    name: 'UpstreamConnectionFailure',
    scope: 'http+tcp',
    meaning: 'Upstream connection failure: Envoy could not open a connection to the chosen endpoint (503).',
    likelyCause:
      'The pod refused or reset the connection: nothing listens on the target port (or the app listens on localhost only), an mTLS mismatch (a DestinationRule TLS mode the server does not accept, a STRICT PeerAuthentication towards a pod without a sidecar, or certificates from different roots), or the pod is going away. The upstream transport failure reason on the same line names the TLS or socket error.',
  },
  {
    flag: 'UO',
    name: 'UpstreamOverflow',
    scope: 'http+tcp',
    meaning: 'Upstream overflow: a circuit breaker tripped, too many connections or pending requests to the destination (503).',
    likelyCause:
      "The DestinationRule's connectionPool limits (tcp.maxConnections, http.http1MaxPendingRequests, http2MaxRequests) were reached under load: raise them or add capacity to the destination.",
  },
  {
    flag: 'NR',
    name: 'NoRouteFound',
    scope: 'http+tcp',
    meaning: 'No route: nothing in the proxy\'s configuration matched the request (404), or no filter chain matched the connection.',
    likelyCause:
      "No VirtualService or Gateway matches the host, port or path: a host missing from the VirtualService's hosts, a VirtualService not bound to this gateway, a path or header match that does not cover the request, a Gateway port the Service does not expose, or traffic to a port the sidecar has no listener for. `istioctl analyze` and `istioctl proxy-config routes` show what the proxy has.",
  },
  {
    flag: 'URX',
    name: 'UpstreamRetryLimitExceeded',
    scope: 'http+tcp',
    meaning: 'Retry limit reached: every HTTP retry (or TCP connect attempt) failed and Envoy gave up.',
    likelyCause:
      'The attempts failed for the reason the other flags give (usually UF or UC) or got 5xx from the app; Istio retries twice by default. Look at the destination\'s inbound log for the underlying failure.',
  },
  {
    flag: 'NC',
    name: 'NoClusterFound',
    scope: 'http+tcp',
    meaning: 'No upstream cluster: the matched route points at a cluster the proxy does not have.',
    likelyCause:
      'A VirtualService routes to a subset that no DestinationRule defines, or to a host that is not in the registry (a typo, a missing ServiceEntry), or this proxy has not received the configuration yet.',
  },
  {
    flag: 'DT',
    name: 'DurationTimeout',
    scope: 'http+tcp',
    meaning: 'Duration timeout: the request or connection lived longer than its maximum duration.',
    likelyCause: 'A configured maximum connection duration (DestinationRule maxConnectionDuration, TCP max_downstream_connection_duration) cut a long-lived connection such as a gRPC stream or a WebSocket.',
  },
  // HTTP only
  {
    flag: 'DC',
    name: 'DownstreamConnectionTermination',
    scope: 'http',
    meaning: 'Downstream connection terminated: the caller closed the connection before the response was complete.',
    likelyCause:
      "The caller gave up: its own timeout is shorter than the destination's response time, the request was cancelled, or the calling pod shut down. Usually not the destination's fault, but slow responses cause it.",
  },
  {
    flag: 'LH',
    name: 'FailedLocalHealthCheck',
    scope: 'http',
    meaning: 'Local health check failed: the local service failed Envoy\'s health check (503).',
    likelyCause: 'Rare in Istio, which does not configure Envoy health checking by default: an EnvoyFilter adding the health-check filter, and the local app failing it.',
  },
  {
    flag: 'UT',
    name: 'UpstreamRequestTimeout',
    scope: 'http',
    meaning: 'Upstream request timeout: the destination did not answer within the route\'s timeout (504).',
    likelyCause: "A VirtualService timeout (or retries.perTryTimeout) shorter than the destination's response time: a slow or overloaded app, or a timeout set too low.",
  },
  {
    flag: 'LR',
    name: 'LocalReset',
    scope: 'http',
    meaning: 'Local reset: Envoy itself reset the stream (503).',
    likelyCause: 'Envoy closed the upstream connection on its side: connection pools drained after a configuration push or while a pod shuts down, an idle timeout, or a local limit; often a burst while the proxy or the destination restarts.',
  },
  {
    flag: 'UR',
    name: 'UpstreamRemoteReset',
    scope: 'http',
    meaning: 'Upstream remote reset: the destination reset the stream (503).',
    likelyCause: "The destination app or its sidecar reset the request: the app crashed or restarted, or the protocol is wrong for the port (HTTP/2 towards an HTTP/1.1 app because of the Service port's name or appProtocol).",
  },
  {
    flag: 'UC',
    name: 'UpstreamConnectionTermination',
    scope: 'http',
    meaning: 'Upstream connection terminated: the destination closed the connection before the response (503).',
    likelyCause:
      "Usually a keep-alive race: the app closed an idle connection at the moment Envoy reused it (the app's idle timeout is shorter than Envoy's; set the DestinationRule's connectionPool.http.idleTimeout below the app's). Also an app that crashes mid-request.",
  },
  {
    flag: 'DI',
    name: 'DelayInjected',
    scope: 'http',
    meaning: 'Delay injected: the request was held back on purpose by fault injection.',
    likelyCause: 'A VirtualService fault.delay matched this request: an intended chaos test, or one left behind.',
  },
  {
    flag: 'FI',
    name: 'FaultInjected',
    scope: 'http',
    meaning: 'Fault injected: the request was aborted on purpose by fault injection; the code is the configured one.',
    likelyCause: 'A VirtualService fault.abort matched this request: an intended chaos test, or one left behind.',
  },
  {
    flag: 'RL',
    name: 'RateLimited',
    scope: 'http',
    meaning: 'Rate limited: the request was refused by a rate limit (429).',
    likelyCause: 'A local or global rate-limit filter (added with an EnvoyFilter) applies to this route and the caller exceeded it.',
  },
  {
    flag: 'UAEX',
    name: 'UnauthorizedExternalService',
    scope: 'http',
    meaning: 'Denied by the external authorization service.',
    likelyCause: 'An AuthorizationPolicy with action CUSTOM sent the request to an ext_authz provider that denied it, or the provider could not be reached and the check fails closed.',
  },
  {
    flag: 'RLSE',
    name: 'RateLimitServiceError',
    scope: 'http',
    meaning: 'Rate-limit service error: the request was rejected because the rate-limit service failed.',
    likelyCause: 'The global rate-limit service is unreachable or erroring, and the rate-limit filter is set to fail closed.',
  },
  {
    flag: 'IH',
    name: 'InvalidEnvoyRequestHeaders',
    scope: 'http',
    meaning: 'Invalid Envoy request header: a strictly checked x-envoy-* header had an invalid value (400).',
    likelyCause: 'The caller sent a malformed x-envoy-* header (for example x-envoy-upstream-rq-timeout-ms or x-envoy-max-retries) that the router checks strictly.',
  },
  {
    flag: 'SI',
    name: 'StreamIdleTimeout',
    scope: 'http',
    meaning: 'Stream idle timeout: no data flowed on the stream for too long (408 or 504).',
    likelyCause: 'Nothing was sent either way for the stream idle timeout (5 minutes by default, or the configured idle timeout): a long poll, a stalled upload or a hung destination.',
  },
  {
    flag: 'DPE',
    name: 'DownstreamProtocolError',
    scope: 'http',
    meaning: "Downstream protocol error: the caller's request was not valid HTTP.",
    likelyCause: "The caller sent something this HTTP port cannot parse: TLS or raw TCP to a port Istio treats as HTTP (check the Service port's name or appProtocol), or malformed or oversized headers.",
  },
  {
    flag: 'UPE',
    name: 'UpstreamProtocolError',
    scope: 'http',
    meaning: "Upstream protocol error: the destination's response was not valid HTTP (502).",
    likelyCause: "The destination does not speak the protocol Istio chose for the port: a Service port named http, http2 or grpc (or its appProtocol) while the app speaks something else, HTTP/1.1 against HTTP/2, or malformed response headers.",
  },
  {
    flag: 'UMSDR',
    name: 'UpstreamMaxStreamDurationReached',
    scope: 'http',
    meaning: 'Maximum stream duration reached: the request ran longer than its configured maximum.',
    likelyCause: 'A maximum stream duration on the route (for gRPC, the VirtualService timeout becomes one) shorter than a long call or stream.',
  },
  {
    flag: 'OM',
    name: 'OverloadManagerTerminated',
    scope: 'http',
    meaning: "Overload: Envoy's overload manager refused or cut the request.",
    likelyCause: "The proxy is short of resources, usually memory: the sidecar's memory limit is too low for its configuration size or its traffic.",
  },
  {
    flag: 'DF',
    name: 'DnsResolutionFailed',
    scope: 'http',
    meaning: "DNS failure: the destination's host name could not be resolved.",
    likelyCause: 'A ServiceEntry with resolution DNS (or a dynamic forward proxy) whose host name does not resolve from the proxy: a typo, or DNS unreachable from the pod.',
  },
  {
    flag: 'DO',
    name: 'DropOverload',
    scope: 'http',
    meaning: "Dropped for overload: the endpoint configuration's drop policy shed this request (503).",
    likelyCause: 'The control plane told Envoy to drop a share of traffic to this cluster (drop_overloads in the load assignment); Istio does not set this by itself.',
  },
  {
    flag: 'DR',
    name: 'DownstreamRemoteReset',
    scope: 'http',
    meaning: 'Downstream remote reset: the caller reset the stream.',
    likelyCause: 'The caller cancelled the request (an HTTP/2 or gRPC cancellation, a client timeout) or its connection broke.',
  },
  {
    flag: 'RFCF',
    name: 'ResponseFromCacheFilter',
    scope: 'http',
    meaning: "Served from cache: Envoy's cache filter answered without asking the destination.",
    likelyCause: 'An HTTP cache filter added with an EnvoyFilter had the response. Not an error.',
  },
  {
    flag: 'NFCF',
    name: 'NoFilterConfigFound',
    scope: 'http',
    meaning: "No filter configuration: a filter's configuration had not arrived in time and the request was ended.",
    likelyCause: 'An extension delivered separately (a WasmPlugin, or another ECDS config) was not fetched or failed to load; check the WasmPlugin and the istio-proxy / istiod logs.',
  },
];

/** Every response flag Envoy defines, by its short form. */
export const RESPONSE_FLAGS: Readonly<Record<string, ResponseFlagInfo>> = Object.freeze(Object.fromEntries(table.map((info) => [info.flag, Object.freeze(info)])));

const byLongName = new Map(table.map((info) => [info.name, info]));

/**
 * What a response flag means and its likely cause in an Istio mesh. Accepts the short (`UH`) and
 * the long form (`NoHealthyUpstream`); an unknown flag gets a generic answer, never an error.
 */
export function explainFlag(flag: string): FlagExplanation {
  const info = (Object.hasOwn(RESPONSE_FLAGS, flag) ? RESPONSE_FLAGS[flag] : undefined) ?? byLongName.get(flag);
  if (info) return { flag, meaning: info.meaning, likelyCause: info.likelyCause };
  return {
    flag,
    meaning: `Unknown response flag "${flag}": not one of the flags Envoy documents (a custom flag from an extension, or a newer Envoy).`,
    likelyCause: "Check the response code details on the same line, and this proxy version's Envoy documentation for %RESPONSE_FLAGS%.",
  };
}
