import http from 'node:http';
import https from 'node:https';
import type { RemoteAccess } from './remote-secret.js';
import { ISTIO_NAMESPACE } from './types.js';

export type ProbeOutcome = 'ok' | 'unauthorized' | 'forbidden' | 'unreachable' | 'tls' | 'error';

export interface ProbeResult {
  outcome: ProbeOutcome;
  /** What happened, in a few words (the HTTP status or the network error). */
  detail: string;
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
};

const TLS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is not signed by the CA in the remote secret",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate is not signed by the CA in the remote secret",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate is not signed by the CA in the remote secret",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's certificate is not signed by the CA in the remote secret",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate does not name this address",
  CERT_HAS_EXPIRED: "the server's certificate has expired",
};

/** One GET as the remote secret's reader: how it went, and the body when it answered 200. */
export interface ReaderAnswer extends ProbeResult {
  status?: number;
  body?: string;
}

/**
 * A GET of `path` on the remote secret's server with its CA and token, as istiod's client makes it.
 * Tells a refused token from an address that cannot be reached and a CA that does not match. Never
 * waits longer than `timeoutMs`.
 */
export function readerGet(access: RemoteAccess, path: string, timeoutMs = 5000): Promise<ReaderAnswer> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(`${access.server.replace(/\/+$/, '')}${path}`);
    } catch {
      resolve({ outcome: 'error', detail: `"${access.server}" is not a URL` });
      return;
    }
    let settled = false;
    const finish = (result: ReaderAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const secure = url.protocol === 'https:';
    const options: https.RequestOptions = {
      method: 'GET',
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (secure ? 443 : 80),
      path: url.pathname + url.search,
      agent: false,
      headers: { Accept: 'application/json', 'User-Agent': 'meshdeck', ...(access.token ? { Authorization: `Bearer ${access.token}` } : {}) },
      ...(secure ? { rejectUnauthorized: !access.insecure, ...(access.caPem ? { ca: access.caPem } : {}), ...(access.tlsServerName ? { servername: access.tlsServerName } : {}) } : {}),
    };
    const request = (secure ? https : http).request(options, (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        if (status === 200) finish({ outcome: 'ok', detail: 'HTTP 200', status, body: Buffer.concat(chunks).toString('utf8') });
        else if (status === 404) finish({ outcome: 'ok', detail: 'HTTP 404', status });
        else if (status === 401) finish({ outcome: 'unauthorized', detail: 'HTTP 401 Unauthorized', status });
        else if (status === 403) finish({ outcome: 'forbidden', detail: 'HTTP 403 Forbidden', status });
        else finish({ outcome: 'error', detail: `HTTP ${status}`, status });
      });
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish({ outcome: 'unreachable', detail: `no answer within ${Math.round(timeoutMs / 1000)} s` });
    }, timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      if (UNREACHABLE[code]) finish({ outcome: 'unreachable', detail: UNREACHABLE[code]! });
      else if (TLS[code]) finish({ outcome: 'tls', detail: TLS[code]! });
      else finish({ outcome: 'error', detail: error.message.split('\n')[0]! });
    });
    request.end();
  });
}

/** What istiod's remote-cluster client does first, done from here: read istio-system as the reader. */
export async function probeApiServer(access: RemoteAccess, timeoutMs = 5000): Promise<ProbeResult> {
  const { outcome, detail } = await readerGet(access, `/api/v1/namespaces/${ISTIO_NAMESPACE}`, timeoutMs);
  return { outcome, detail };
}
