/** A failed request to an API server, with a reason an SRE can act on. */
export class KubeRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly reason?: string,
    /** How long the server asked us to wait before asking again (429, 503: `Retry-After`). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The longest Retry-After honoured; a server asking for more is asked again after this. */
const MAX_RETRY_AFTER_SECONDS = 120;

/**
 * How long to wait before retrying after `error`, in ms: the server's Retry-After when it sent one
 * (client-go honours it too), else 0. Callers take the larger of this and their own backoff.
 */
export function retryAfterMs(error: unknown): number {
  const seconds = error instanceof KubeRequestError ? error.retryAfterSeconds : undefined;
  return seconds !== undefined && seconds > 0 ? Math.min(seconds, MAX_RETRY_AFTER_SECONDS) * 1000 : 0;
}

/** `Retry-After: 5` (seconds; an HTTP date is read as the seconds until then). */
function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  ENOTFOUND: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EAI_AGAIN: 'DNS lookup failed',
  EPIPE: 'connection closed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: certificate chain not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: certificate not trusted (unknown authority)',
  CERT_HAS_EXPIRED: 'TLS: server certificate expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: server name does not match the certificate',
};

/** One short phrase for a network, TLS or HTTP failure (never a stack trace). */
export function describeError(error: unknown): string {
  if (error instanceof KubeRequestError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && NETWORK_REASONS[code]) return NETWORK_REASONS[code]!;
  const message = (error as Error | undefined)?.message ?? String(error);
  return message.split('\n')[0]!.slice(0, 200);
}

/** The reason of a 401/403 that came from the service behind the API server's proxy, not from the API server. */
export const PROXIED_REFUSAL = 'ProxiedRefusal';

/** Whether `body` is a Kubernetes `Status` object: what the API server itself answers errors with. */
function isStatusBody(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { kind?: unknown } | null;
    return parsed !== null && typeof parsed === 'object' && parsed.kind === 'Status';
  } catch {
    return false;
  }
}

/** Whether `error` is a 401/403 of the service behind the API server's proxy (istiod's /debug, ...). */
export function isProxiedRefusal(error: unknown): error is KubeRequestError {
  return error instanceof KubeRequestError && error.reason === PROXIED_REFUSAL;
}

export function statusError(status: number, body: string, retryAfterHeader?: string | string[], path?: string): KubeRequestError {
  // Through services/.../proxy/ (and pods/.../proxy/) the API server passes the backend's answer on as it is:
  // its own 401/403 is a Status object, a backend's is whatever the backend writes (istiod writes nothing).
  if ((status === 401 || status === 403) && path && /\/proxy(\/|$|\?)/.test(path) && !isStatusBody(body)) {
    const text = body.trim().split('\n')[0]!.slice(0, 200);
    return new KubeRequestError(
      `HTTP ${status} from the service behind the API server's proxy, not from the API server (the kubeconfig's credentials were accepted)${text ? `: ${text}` : ''}`,
      status,
      PROXIED_REFUSAL,
    );
  }
  let message = '';
  let reason: string | undefined;
  let retryAfter = parseRetryAfter(retryAfterHeader);
  try {
    const parsed = JSON.parse(body) as { message?: string; reason?: string; details?: { retryAfterSeconds?: unknown } };
    message = typeof parsed.message === 'string' ? parsed.message : '';
    reason = typeof parsed.reason === 'string' ? parsed.reason : undefined;
    const fromStatus = parsed.details?.retryAfterSeconds;
    if (retryAfter === undefined && typeof fromStatus === 'number' && Number.isFinite(fromStatus) && fromStatus >= 0) retryAfter = fromStatus;
  } catch {
    message = body.slice(0, 200);
  }
  // A Status message is one line in practice, but nothing guarantees it; the cluster row has one.
  message = message.split('\n')[0]!.slice(0, 300);
  if (status === 401) return new KubeRequestError('unauthorized: the credentials in the kubeconfig were refused', status, reason ?? 'Unauthorized');
  if (status === 403) return new KubeRequestError(`forbidden: ${message}`, status, reason ?? 'Forbidden');
  return new KubeRequestError(`HTTP ${status}${reason ? ` ${reason}` : ''}${message ? `: ${message}` : ''}`, status, reason, retryAfter);
}
