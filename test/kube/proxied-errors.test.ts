import { describe, expect, it } from 'vitest';
import { isProxiedRefusal, statusError } from '../../source/kube/errors.js';
import { describeIstiodDebugError } from '../../source/kube/istiod-debug.js';

const PROXY = '/api/v1/namespaces/istio-system/services/istiod:15014/proxy/debug/clusterz';
const apiServer401 = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });

describe("a 401/403 through the API server's service proxy: the API server's or the backend's", () => {
  it("the API server's own 401 (a Status body) is the kubeconfig's credentials", () => {
    const error = statusError(401, apiServer401, undefined, PROXY);
    expect(isProxiedRefusal(error)).toBe(false);
    expect(error.message).toBe('unauthorized: the credentials in the kubeconfig were refused');
  });

  it("the API server's own 403 on services/proxy (a Status body) stays a forbidden", () => {
    const body = JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403, message: 'services "istiod:15014" is forbidden: User "u" cannot get resource "services/proxy"' });
    const error = statusError(403, body, undefined, PROXY);
    expect(isProxiedRefusal(error)).toBe(false);
    expect(error.message).toMatch(/^forbidden: services "istiod:15014" is forbidden/);
  });

  it("istiod's 401 (an empty body, as pilot-discovery writes it) is istiod refusing, not the credentials", () => {
    for (const body of ['', 'Unauthorized\n']) {
      const error = statusError(401, body, undefined, PROXY);
      expect(isProxiedRefusal(error)).toBe(true);
      expect(error.status).toBe(401);
      expect(error.message).not.toMatch(/kubeconfig were refused/);
      expect(describeIstiodDebugError(error, '/debug/clusterz')).toBe(
        "istiod refused /debug/clusterz through the API server's service proxy (HTTP 401 from istiod, not the API server: istiod serves /debug only to localhost or authenticated callers, and the proxy forwards no credentials)",
      );
    }
  });

  it('a 401 outside a proxy path is always the API server', () => {
    expect(isProxiedRefusal(statusError(401, '', undefined, '/api/v1/pods'))).toBe(false);
  });
});
