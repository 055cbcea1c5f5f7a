import http from 'node:http';
import https from 'node:https';
import { ISTIO_NAMESPACE, ISTIO_VERSION } from '../constants.js';
import type { RemoteAccess } from './remote-secrets.js';

export interface ProbeResult {
  status: 'synced' | 'timeout' | 'error';
  /** The client error, worded as Go's Kubernetes client words it. */
  error?: string;
}

/** A GET to a remote API server as istiod's client makes it: the answer, or why there was none (worded as Go's client words it). */
export type RemoteAnswer = { code: number; body: string } | { failure: ProbeResult };

/** GETs `path` from the kubeconfig's server with its CA and credentials; never waits longer than `timeoutMs`. */
export function getRemote(access: RemoteAccess, path: string, timeoutMs: number): Promise<RemoteAnswer> {
  const url = `${access.server.replace(/\/+$/, '')}${path}`;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: RemoteAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return finish({ failure: { status: 'error', error: `invalid configuration: host must be a URL or a host:port pair: "${access.server}"` } });
    }
    const secure = target.protocol === 'https:';
    const options: https.RequestOptions = {
      method: 'GET',
      hostname: target.hostname,
      port: target.port || (secure ? 443 : 80),
      path: target.pathname + target.search,
      agent: false,
      headers: {
        Accept: 'application/json',
        'User-Agent': `pilot-discovery/${ISTIO_VERSION}`,
        ...(access.token ? { Authorization: `Bearer ${access.token}` } : {}),
      },
      ...(secure
        ? {
            rejectUnauthorized: !access.insecure,
            ...(access.caPem ? { ca: access.caPem } : {}),
            ...(access.tlsServerName ? { servername: access.tlsServerName } : {}),
            ...(access.clientCertPem ? { cert: access.clientCertPem, key: access.clientKeyPem } : {}),
          }
        : {}),
    };
    const request = (secure ? https : http).request(options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => finish({ code: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', (error: NodeJS.ErrnoException) => finish({ failure: { status: 'error', error: `Get "${url}": ${goError(error, target)}` } }));
    });
    const deadline = setTimeout(() => {
      request.destroy();
      finish({ failure: { status: 'timeout', error: `Get "${url}": context deadline exceeded` } });
    }, timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => finish({ failure: { status: 'error', error: `Get "${url}": ${goError(error, target)}` } }));
    request.end();
  });
}

/**
 * What istiod's remote-cluster informers do first, reduced to one request: reach the kubeconfig's
 * server with its CA and credentials and read istio-system.
 */
export async function probeRemote(access: RemoteAccess, timeoutMs: number): Promise<ProbeResult> {
  const answer = await getRemote(access, `/api/v1/namespaces/${ISTIO_NAMESPACE}`, timeoutMs);
  if ('failure' in answer) return answer.failure;
  const code = answer.code;
  if (code === 200 || code === 404) return { status: 'synced' };
  if (code === 401) return { status: 'error', error: 'Unauthorized' };
  if (code === 403) return { status: 'error', error: `namespaces "${ISTIO_NAMESPACE}" is forbidden: the remote secret's credentials may not read it` };
  return { status: 'error', error: `the server responded with the status code ${code} but did not return more information` };
}

function goError(error: NodeJS.ErrnoException, target: URL): string {
  const address = `${target.hostname}:${target.port || '443'}`;
  switch (error.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${address}: connect: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${target.hostname}: no such host`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `dial tcp ${address}: connect: no route to host`;
    case 'ECONNRESET':
      return `read tcp ${address}: read: connection reset by peer`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: certificate is valid for 127.0.0.1, not ${target.hostname}`;
    case 'CERT_HAS_EXPIRED':
      return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    default:
      return error.message;
  }
}
