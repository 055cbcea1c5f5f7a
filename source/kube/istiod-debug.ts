import { describeError, isProxiedRefusal } from './errors.js';

export const ISTIOD_NAMESPACE = 'istio-system';
export const ISTIOD_MONITORING_PORT = 15014;

/** `/debug/clusterz` of `istiod` (or `istiod-<rev>`) through the API server's service proxy. */
export function istiodProxyPath(service: string, debugPath: string): string {
  return `/api/v1/namespaces/${ISTIOD_NAMESPACE}/services/${service}:${ISTIOD_MONITORING_PORT}/proxy${debugPath}`;
}

/**
 * Why istiod's `debugPath` could not be read, in one line: a 401/403 that istiod itself sent back
 * through the API server's service proxy is istiod refusing an unauthenticated caller (it serves
 * /debug only to localhost or to a caller with a client certificate or token of its own, and the
 * API server's proxy forwards neither), never the kubeconfig's credentials.
 */
export function describeIstiodDebugError(error: unknown, debugPath: string): string {
  if (isProxiedRefusal(error)) {
    return `istiod refused ${debugPath} through the API server's service proxy (HTTP ${error.status} from istiod, not the API server: istiod serves /debug only to localhost or authenticated callers, and the proxy forwards no credentials)`;
  }
  return describeError(error);
}

/** Whether the error is istiod's own refusal through the service proxy. */
export const isIstiodRefusal = isProxiedRefusal;
