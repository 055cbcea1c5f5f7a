import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestSim, waitFor, type TestSim } from '../helpers/sim.js';
import { apiRequest } from '../helpers/sim-http.js';
import { kubeconfigFiles, loadKubeconfig, type ContextEntry } from '../../source/kube/kubeconfig.js';
import { PlainCredentials } from '../../source/kube/context-credentials.js';
import { ClusterTransport } from '../../source/kube/transport.js';
import { parseHttpResponse, podHttpGet, PortForwardError, portForwardPath } from '../../source/kube/port-forward.js';
import { IstiodDebugError, readIstiodDebug } from '../../source/kube/istiod-debug.js';
import { verifyJoin, type VerifyTarget } from '../../source/actions/join/verify.js';

// pods/portforward over WebSocket against the simulator, over real HTTPS: the way meshdeck reaches
// istiod's /debug (istiod answers it only on the pod's loopback; through the service proxy it is 401).

const CLUSTERZ_PROXY = '/api/v1/namespaces/istio-system/services/istiod:15014/proxy/debug/clusterz';

describe('podHttpGet: an HTTP GET through pods/portforward (WebSocket, v4.channel.k8s.io)', () => {
  let t: TestSim;
  let admin: ClusterTransport;
  let viewer: ClusterTransport;
  let istiodPod: string;
  const entryWithToken = (entry: ContextEntry, token: string): ContextEntry => ({ ...entry, user: { ...entry.user, user: { ...(entry.user['user'] as object), token } } });

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'healthy', podsPerCluster: 0 });
    const east = loadKubeconfig(kubeconfigFiles(t.kubeconfigPath, {})).contexts.find((c) => c.name === 'east')!;
    admin = new ClusterTransport(new PlainCredentials(east));
    // A user who may read pods and use the service proxy, but not port-forward.
    t.sim.cluster('east').addUser('viewer-token', { username: 'viewer', groups: ['system:authenticated'] });
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'viewer' }, rules: [{ apiGroups: [''], resources: ['pods', 'services', 'services/proxy'], verbs: ['get', 'list'] }, { apiGroups: [''], resources: ['pods/portforward'], verbs: ['get'] }] };
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'viewer' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'viewer' }, subjects: [{ kind: 'User', name: 'viewer', apiGroup: 'rbac.authorization.k8s.io' }] };
    expect((await apiRequest(t.sim, 'east', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { method: 'POST', body: role })).status).toBe(201);
    expect((await apiRequest(t.sim, 'east', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { method: 'POST', body: binding })).status).toBe(201);
    viewer = new ClusterTransport(new PlainCredentials(entryWithToken(east, 'viewer-token')));
    const pods = await admin.requestJson<{ items: { metadata: { name: string } }[] }>('/api/v1/namespaces/istio-system/pods?labelSelector=app%3Distiod');
    istiodPod = pods.items[0]!.metadata.name;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("reads istiod's /debug/clusterz from its pod (west synced) while the service proxy answers 401", async () => {
    const clusterz = await waitFor(async () => {
      const res = await podHttpGet(admin, 'istio-system', istiodPod, 15014, '/debug/clusterz');
      const list = JSON.parse(res.body) as { id: string; syncStatus: string }[];
      return res.status === 200 && list.some((c) => c.id === 'west' && c.syncStatus === 'synced') && { res, list };
    }, 'west synced through port-forward');
    expect(clusterz.res.headers['content-type']).toBe('application/json');
    expect(clusterz.list).toEqual([
      { id: 'east', secretName: '', syncStatus: 'synced' },
      { id: 'west', secretName: 'istio-system/istio-remote-secret-west', syncStatus: 'synced' },
    ]);
    const proxied = await apiRequest(t.sim, 'east', CLUSTERZ_PROXY);
    expect(proxied.status).toBe(401);
    // A larger answer (more than one WebSocket message) comes whole.
    const registryz = await podHttpGet(admin, 'istio-system', istiodPod, 15014, '/debug/registryz');
    expect(registryz.status).toBe(200);
    expect((JSON.parse(registryz.body) as unknown[]).length).toBeGreaterThan(3);
  });

  it('refuses a user with get but without create on pods/portforward (403 at the upgrade, the API server\'s Status)', async () => {
    const error = await podHttpGet(viewer, 'istio-system', istiodPod, 15014, '/debug/clusterz').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortForwardError);
    expect((error as PortForwardError).stage).toBe('upgrade');
    expect((error as PortForwardError).status).toBe(403);
    expect((error as PortForwardError).message).toContain('cannot create resource "pods/portforward" in API group "" in the namespace "istio-system"');
  });

  it("says what the kubelet says for a port nothing listens on (the error channel)", async () => {
    const error = await podHttpGet(admin, 'istio-system', istiodPod, 9999, '/').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortForwardError);
    expect((error as PortForwardError).stage).toBe('forward');
    expect((error as PortForwardError).message).toMatch(/error forwarding port 9999 to pod .*connection refused/);
  });

  it('404 for a pod that does not exist; 400 without an upgrade, without ports, or for another subprotocol', async () => {
    const missing = await podHttpGet(admin, 'istio-system', 'nope', 15014, '/').catch((e: unknown) => e);
    expect((missing as PortForwardError).status).toBe(404);
    const plain = await apiRequest(t.sim, 'east', portForwardPath('istio-system', istiodPod, 15014));
    expect(plain.status).toBe(400);
    expect(JSON.parse(plain.body).message).toBe('Upgrade request required');
    const { url, options } = await admin.webSocketTarget(`/api/v1/namespaces/istio-system/pods/${istiodPod}/portforward`);
    const status = (protocols: string[], target = url) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(target, protocols, options);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.terminate();
          resolve(101);
        });
        ws.on('error', () => resolve(-1));
      });
    expect(await status(['v4.channel.k8s.io'])).toBe(400);
    expect(await status(['v5.channel.k8s.io'], `${url}?ports=15014`)).toBe(400);
    expect(await status(['v4.channel.k8s.io'], `${url}?ports=15014`)).toBe(101);
  });
});

describe("readIstiodDebug and join verify: port-forward first, the service proxy only when port-forward is not allowed", () => {
  let t: TestSim;
  let admin: ClusterTransport;
  let viewer: ClusterTransport;
  const target: VerifyTarget = { primary: 'east', remote: 'west', clusterName: 'west', secretName: 'istio-remote-secret-west', istiodService: 'istiod', primaryClusterId: 'east' };

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'healthy', podsPerCluster: 0 });
    const east = loadKubeconfig(kubeconfigFiles(t.kubeconfigPath, {})).contexts.find((c) => c.name === 'east')!;
    admin = new ClusterTransport(new PlainCredentials(east));
    // May list pods and use the service proxy, but not create pods/portforward.
    t.sim.cluster('east').addUser('no-forward', { username: 'no-forward', groups: ['system:authenticated'] });
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'no-forward' }, rules: [{ apiGroups: [''], resources: ['pods', 'services', 'services/proxy', 'secrets'], verbs: ['get', 'list'] }] };
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'no-forward' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'no-forward' }, subjects: [{ kind: 'User', name: 'no-forward', apiGroup: 'rbac.authorization.k8s.io' }] };
    expect((await apiRequest(t.sim, 'east', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { method: 'POST', body: role })).status).toBe(201);
    expect((await apiRequest(t.sim, 'east', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { method: 'POST', body: binding })).status).toBe(201);
    viewer = new ClusterTransport(new PlainCredentials({ ...east, user: { ...east.user, user: { ...(east.user['user'] as object), token: 'no-forward' } } }));
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("join verify sees west synced through port-forward, while the service proxy answers istiod's 401", async () => {
    const report = await verifyJoin(target, { api: admin, timeoutMs: 10_000, pollMs: 100, registry: false });
    expect(report.ok, report.lines.join('\n')).toBe(true);
    expect(report.lines[0]).toBe('✓ istiod on east reports west synced (istio-system/istio-remote-secret-west)');
    expect((await apiRequest(t.sim, 'east', CLUSTERZ_PROXY)).status).toBe(401);
  });

  it('a user without create pods/portforward: both paths named, istiod\'s refusal not taken for the credentials, and the RBAC to add', async () => {
    const error = await readIstiodDebug(viewer, '/debug/clusterz').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IstiodDebugError);
    expect((error as IstiodDebugError).portForwardForbidden).toBe(true);
    expect((error as IstiodDebugError).refused).toBe(true);
    expect((error as Error).message).toMatch(
      /^port-forward to istiod-[a-z0-9-]+ is not allowed \(forbidden: pods "istiod-[a-z0-9-]+" is forbidden: User "no-forward" cannot get resource "pods\/portforward" in API group "" in the namespace "istio-system"\); through the API server's service proxy: istiod refused \/debug\/clusterz through the API server's service proxy \(HTTP 401 from istiod, not the API server/,
    );
    const started = Date.now();
    const report = await verifyJoin(target, { api: viewer, timeoutMs: 10_000, pollMs: 100, registry: false });
    // istiod's refusal does not pass by waiting: verify ends at once.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(report).toMatchObject({ ok: false, state: 'unreadable', cause: 'istiod-refused' });
    expect(report.lines[0]).toBe("✗ istiod's /debug/clusterz in east cannot be read");
    expect(report.lines[1]).toMatch(/^ {2}cause: port-forward to istiod-.* is not allowed .*; the kubeconfig's credentials for east are fine$/);
    expect(report.lines[2]).toContain('create role istiod-debug --verb=get,create --resource=pods/portforward');
    expect(report.lines.join('\n')).not.toContain('credentials in the kubeconfig were refused');
  });

  it('falls back to the service proxy when port-forward is not allowed (an istiod that serves /debug there)', async () => {
    const cluster = t.sim.cluster('east');
    cluster.istiodDebugThroughProxy = true;
    try {
      const clusterz = await readIstiodDebug<{ id: string }[]>(viewer, '/debug/clusterz');
      expect(clusterz.map((c) => c.id)).toEqual(['east', 'west']);
    } finally {
      cluster.istiodDebugThroughProxy = false;
    }
  });

  it('without a ready istiod pod: says so, and what the service proxy answered', async () => {
    const error = await readIstiodDebug(admin, '/debug/clusterz', { service: 'istiod-canary' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^istiod has no ready pod in istio-system to port-forward to; through the API server's service proxy: /);
  });
});

describe('parseHttpResponse', () => {
  it('reads Content-Length and chunked bodies, and a body without length at the end of the stream', () => {
    const text = (s: string) => Buffer.from(s, 'latin1');
    expect(parseHttpResponse(text('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'), false)).toEqual({ status: 200, headers: { 'content-length': '2' }, body: 'ok' });
    expect(parseHttpResponse(text('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nok'), false)).toBeUndefined();
    const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n[1,\r\n2\r\n2]\r\n0\r\n\r\n';
    expect(parseHttpResponse(text(chunked), false)?.body).toBe('[1,2]');
    expect(parseHttpResponse(text(chunked.slice(0, -5)), false)).toBeUndefined();
    expect(parseHttpResponse(text('HTTP/1.1 401 Unauthorized\r\nDate: x\r\n\r\n'), true)).toEqual({ status: 401, headers: { date: 'x' }, body: '' });
    expect(parseHttpResponse(text('not http\r\n\r\n'), true)).toBeUndefined();
  });
});
