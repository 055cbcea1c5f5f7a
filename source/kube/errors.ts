/** A failed request to an API server, with a reason an SRE can act on. */
export class KubeRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly reason?: string,
  ) {
    super(message);
  }
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

export function statusError(status: number, body: string): KubeRequestError {
  let message = '';
  let reason: string | undefined;
  try {
    const parsed = JSON.parse(body) as { message?: string; reason?: string };
    message = parsed.message ?? '';
    reason = parsed.reason;
  } catch {
    message = body.slice(0, 200);
  }
  if (status === 401) return new KubeRequestError('unauthorized: the credentials in the kubeconfig were refused', status, reason ?? 'Unauthorized');
  if (status === 403) return new KubeRequestError(`forbidden: ${message}`, status, reason ?? 'Forbidden');
  return new KubeRequestError(`HTTP ${status}${reason ? ` ${reason}` : ''}${message ? `: ${message}` : ''}`, status, reason);
}
