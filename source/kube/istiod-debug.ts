import { describeError, isProxiedRefusal } from './errors.js';
import { podHttpGet, PortForwardError, type WebSocketSource } from './port-forward.js';
import type { RequestSpec } from './transport.js';

export const ISTIOD_NAMESPACE = 'istio-system';
export const ISTIOD_MONITORING_PORT = 15014;

/** What reading istiod's /debug needs of a cluster: JSON requests, and WebSockets when it can (a ClusterTransport). */
export interface IstiodDebugApi {
  requestJson<T>(path: string, spec?: RequestSpec): Promise<T>;
  webSocketTarget?: WebSocketSource['webSocketTarget'];
}

/** `/debug/clusterz` of `istiod` (or `istiod-<rev>`) through the API server's service proxy. */
export function istiodProxyPath(service: string, debugPath: string): string {
  return `/api/v1/namespaces/${ISTIOD_NAMESPACE}/services/${service}:${ISTIOD_MONITORING_PORT}/proxy${debugPath}`;
}

/**
 * Why istiod's `debugPath` could not be read through the service proxy, in one line: a 401/403 that
 * istiod itself sent back through the API server's service proxy is istiod refusing an unauthenticated
 * caller (it serves /debug only to localhost or to a caller with a client certificate or token of its
 * own, and the API server's proxy forwards neither), never the kubeconfig's credentials.
 */
export function describeIstiodDebugError(error: unknown, debugPath: string): string {
  if (error instanceof IstiodDebugError) return error.message;
  if (isProxiedRefusal(error)) {
    return `istiod refused ${debugPath} through the API server's service proxy (HTTP ${error.status} from istiod, not the API server: istiod serves /debug only to localhost or authenticated callers, and the proxy forwards no credentials)`;
  }
  return describeError(error);
}

/** Whether the error is (or ends in) istiod's own refusal through the service proxy. */
export function isIstiodRefusal(error: unknown): boolean {
  return error instanceof IstiodDebugError ? error.refused : isProxiedRefusal(error);
}

/** Whether port-forward to istiod was refused for want of `create pods/portforward`. */
export function isPortForwardForbidden(error: unknown): boolean {
  return error instanceof IstiodDebugError && error.portForwardForbidden;
}

/** istiod's /debug could not be read: which paths were tried and why each failed, in the message. */
export class IstiodDebugError extends Error {
  constructor(
    message: string,
    /** The service proxy was tried and istiod refused it (401/403 of istiod's). */
    readonly refused = false,
    /** Port-forward was refused by the API server with 403 (no `create pods/portforward`). */
    readonly portForwardForbidden = false,
  ) {
    super(message);
  }
}

interface PodList {
  items?: { metadata?: { name?: string; labels?: Record<string, string> }; status?: { phase?: string; conditions?: { type?: string; status?: string }[] } }[];
}

/** The ready istiod pod (`app=istiod`, Running and Ready) of `service`'s revision, by name; undefined when none is. */
export async function readyIstiodPod(api: IstiodDebugApi, service = 'istiod', timeoutMs = 5_000): Promise<string | undefined> {
  const revision = service.startsWith('istiod-') ? service.slice('istiod-'.length) : undefined;
  const selector = encodeURIComponent(revision ? `app=istiod,istio.io/rev=${revision}` : 'app=istiod');
  const list = await api.requestJson<PodList>(`/api/v1/namespaces/${ISTIOD_NAMESPACE}/pods?labelSelector=${selector}`, { timeoutMs });
  const ready = (list.items ?? []).filter((pod) => pod.status?.phase === 'Running' && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'));
  // The default revision's Service selects pods of any revision label (or none): prefer those without another revision.
  const preferred = revision ? ready : ready.filter((pod) => !pod.metadata?.labels?.['istio.io/rev'] || pod.metadata.labels['istio.io/rev'] === 'default');
  return (preferred.length > 0 ? preferred : ready).map((pod) => pod.metadata?.name ?? '').filter(Boolean).sort()[0];
}

/**
 * Reads istiod's `debugPath` (`/debug/clusterz`, `/debug/registryz`, ...) as JSON, as istioctl does:
 * through a port-forward to a ready istiod pod first (the request then arrives on the pod's loopback,
 * which istiod serves without authentication). Only when port-forward is not permitted (403 on
 * pods/portforward) or does not upgrade does it try the API server's service proxy, which a real istiod
 * answers 401. A failure names each path tried and why it failed.
 */
export async function readIstiodDebug<T>(api: IstiodDebugApi, debugPath: string, options: { service?: string; timeoutMs?: number } = {}): Promise<T> {
  const service = options.service ?? 'istiod';
  const timeoutMs = options.timeoutMs ?? 5_000;
  let portForward: string | undefined;
  let forbidden = false;
  if (typeof api.webSocketTarget === 'function') {
    let pod: string | undefined;
    try {
      pod = await readyIstiodPod(api, service, timeoutMs);
      if (!pod) portForward = `istiod has no ready pod in ${ISTIOD_NAMESPACE} to port-forward to`;
    } catch (error) {
      portForward = `istiod's pods in ${ISTIOD_NAMESPACE} cannot be listed to port-forward to one (${describeError(error)})`;
    }
    if (pod) {
      const source = { webSocketTarget: api.webSocketTarget.bind(api) };
      try {
        const answer = await podHttpGet(source, ISTIOD_NAMESPACE, pod, ISTIOD_MONITORING_PORT, debugPath, timeoutMs);
        if (answer.status !== 200) {
          const text = answer.body.trim().split('\n')[0]!.slice(0, 200);
          throw new IstiodDebugError(`istiod's ${debugPath} through a port-forward to ${pod}: istiod answered HTTP ${answer.status}${text ? ` (${text})` : ''}`);
        }
        try {
          return JSON.parse(answer.body) as T;
        } catch {
          throw new IstiodDebugError(`istiod's ${debugPath} through a port-forward to ${pod}: the answer is not JSON`);
        }
      } catch (error) {
        if (!(error instanceof PortForwardError) || error.stage !== 'upgrade') {
          throw error instanceof IstiodDebugError ? error : new IstiodDebugError(`istiod's ${debugPath} through a port-forward to ${pod}: ${(error as Error).message}`);
        }
        forbidden = error.status === 403;
        portForward = forbidden
          ? `port-forward to ${pod} is not allowed (${error.refusal?.message ?? error.message})`
          : `port-forward to ${pod} failed: ${error.message}`;
      }
    }
  }
  try {
    return await api.requestJson<T>(istiodProxyPath(service, debugPath), { timeoutMs });
  } catch (error) {
    const proxy = describeIstiodDebugError(error, debugPath);
    const message = portForward ? `${portForward}; through the API server's service proxy: ${proxy}` : proxy;
    throw new IstiodDebugError(message, isProxiedRefusal(error), forbidden);
  }
}
