import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { connectContexts, type KubeApi } from '../../source/actions/ca/index.js';
import { kubeconfigFiles, loadKubeconfig } from '../../source/kube/kubeconfig.js';
import { KubeRequestError } from '../../source/kube/errors.js';
import { KubeConfig } from '@kubernetes/client-node';
import { singleContextYaml } from '../../source/kube/kubeconfig.js';
import { ClusterTransport, ReadonlyError, readonlyRefusal, setReadonlyMode } from '../../source/kube/transport.js';
import { kubectl } from '../helpers/kubectl.js';

describe('ClusterTransport request bodies', () => {
  let t: TestSim;
  let api: KubeApi;
  beforeAll(async () => {
    t = await startTestSim({ clusters: 1, podsPerCluster: 0 });
    api = (await connectContexts(loadKubeconfig(kubeconfigFiles(t.kubeconfigPath, {})).contexts)).get('east')!;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('reads a large body whose multi-byte characters straddle the chunks it arrives in, unchanged', async () => {
    const value = 'é—🙂'.repeat(60_000) + 'end';
    const path = '/api/v1/namespaces/default/configmaps';
    await api.request(path, { method: 'POST', body: JSON.stringify({ metadata: { name: 'wide' }, data: { v: value } }) });
    const read = JSON.parse(await api.request(`${path}/wide`)) as { data: { v: string } };
    expect(read.data.v.length).toBe(value.length);
    expect(read.data.v === value).toBe(true);
  });

  it('sends a DELETE body (DeleteOptions with preconditions) framed, so the server reads it', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    const created = JSON.parse(await api.request(path, { method: 'POST', body: JSON.stringify({ metadata: { name: 'doomed' }, data: { a: 'b' } }) })) as { metadata: { resourceVersion: string; uid: string } };
    const stale = api.request(`${path}/doomed`, { method: 'DELETE', body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: '1' } }) });
    await expect(stale).rejects.toSatisfy((error) => error instanceof KubeRequestError && error.status === 409);
    const preconditions = { resourceVersion: created.metadata.resourceVersion, uid: created.metadata.uid };
    const done = JSON.parse(await api.request(`${path}/doomed`, { method: 'DELETE', body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions }) })) as { status: string };
    expect(done.status).toBe('Success');
  });
});

describe('ClusterTransport in read-only mode', () => {
  let t: TestSim;
  let config: KubeConfig;
  const configmaps = '/api/v1/namespaces/default/configmaps';
  beforeAll(async () => {
    t = await startTestSim({ clusters: 1, podsPerCluster: 0 });
    config = new KubeConfig();
    config.loadFromString(singleContextYaml(loadKubeconfig(kubeconfigFiles(t.kubeconfigPath, {})).contexts[0]!));
  });
  afterAll(async () => {
    setReadonlyMode(false);
    await t?.stop();
  });

  it.each([
    ['GET', '/api/v1/pods', undefined],
    ['HEAD', '/version', undefined],
    ['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', undefined],
    ['POST', '/apis/authorization.k8s.io/v1/namespaces/x/localsubjectaccessreviews', undefined],
    ['POST', '/apis/authentication.k8s.io/v1/tokenreviews', undefined],
    ['POST', `${configmaps}?dryRun=All`, undefined],
    ['POST', configmaps, `readonly mode: refused POST ${configmaps}`],
    ['PUT', `${configmaps}/a`, 'readonly mode: refused PUT'],
    ['patch', `${configmaps}/a?fieldManager=x`, `readonly mode: refused PATCH ${configmaps}/a (`],
    ['DELETE', `${configmaps}/a`, 'readonly mode: refused DELETE'],
    ['POST', '/api/v1/namespaces/x/serviceaccounts/r/token', 'readonly mode: refused POST'],
    ['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/../../../../api/v1/namespaces', 'readonly mode: refused POST /api/v1/namespaces'],
  ])('%s %s', (method, path, refusal) => {
    const answer = readonlyRefusal(method, path);
    if (refusal === undefined) expect(answer).toBeUndefined();
    else {
      expect(answer).toContain(refusal);
      expect(answer).not.toContain('\n');
    }
  });

  it('refuses a write before sending it, reads still work, and the simulator holds nothing new', async () => {
    const api = new ClusterTransport(config, { readonly: true });
    const write = api.request(configmaps, { method: 'POST', body: JSON.stringify({ metadata: { name: 'ro-1' } }) });
    await expect(write).rejects.toSatisfy((error) => error instanceof ReadonlyError && /^readonly mode: refused POST \/api\/v1\/namespaces\/default\/configmaps \(/.test((error as Error).message));
    await expect(api.request(`${configmaps}/kube-root-ca.crt`, { method: 'DELETE' })).rejects.toBeInstanceOf(ReadonlyError);
    // A server-side dry run is answered by the server and stores nothing.
    const dry = JSON.parse(await api.request(`${configmaps}?dryRun=All`, { method: 'POST', body: JSON.stringify({ metadata: { name: 'ro-dry' } }) })) as { metadata: { name: string } };
    expect(dry.metadata.name).toBe('ro-dry');
    const list = await api.requestJson<{ items: { metadata: { name: string } }[] }>(configmaps);
    expect(list.items.map((i) => i.metadata.name)).toEqual(['kube-root-ca.crt']);
    expect((await kubectl(t.kubeconfigPath, ['get', 'configmaps', '-n', 'default', '-o', 'name'])).stdout).toBe('configmap/kube-root-ca.crt\n');
  });

  it('follows the process-wide mode unless the transport says otherwise', async () => {
    const byDefault = new ClusterTransport(config);
    const writable = new ClusterTransport(config, { readonly: false });
    expect(setReadonlyMode(true)).toBe(false);
    await expect(byDefault.request(configmaps, { method: 'POST', body: JSON.stringify({ metadata: { name: 'ro-2' } }) })).rejects.toBeInstanceOf(ReadonlyError);
    await writable.request(configmaps, { method: 'POST', body: JSON.stringify({ metadata: { name: 'ro-3' } }) });
    expect(setReadonlyMode(false)).toBe(true);
    await byDefault.request(configmaps, { method: 'POST', body: JSON.stringify({ metadata: { name: 'ro-4' } }) });
    expect((await kubectl(t.kubeconfigPath, ['get', 'configmaps', '-n', 'default', '-o', 'name'])).stdout.split('\n').filter(Boolean).sort()).toEqual(['configmap/kube-root-ca.crt', 'configmap/ro-3', 'configmap/ro-4']);
  });
});

describe('ClusterTransport lists, item by item', () => {
  let t: TestSim;
  let transport: ClusterTransport;
  let server: Server;
  let serve: (res: ServerResponse) => void = () => {};
  let raw: ClusterTransport;
  beforeAll(async () => {
    t = await startTestSim({ clusters: 1, podsPerCluster: 30 });
    const config = new KubeConfig();
    config.loadFromString(singleContextYaml(loadKubeconfig(kubeconfigFiles(t.kubeconfigPath, {})).contexts[0]!));
    transport = new ClusterTransport(config);
    server = createServer((_req, res) => serve(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const rawConfig = new KubeConfig();
    rawConfig.loadFromOptions({
      clusters: [{ name: 'raw', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
      users: [{ name: 'raw', token: 'x' }],
      contexts: [{ name: 'raw', cluster: 'raw', user: 'raw' }],
      currentContext: 'raw',
    });
    raw = new ClusterTransport(rawConfig);
  });
  afterAll(async () => {
    server?.closeAllConnections();
    server?.close();
    await t?.stop();
  });

  it('hands over the same pods, page by page, as a whole-body read, and the continue token', async () => {
    const whole = await transport.requestJson<{ items: Array<{ metadata: { name: string } }>; metadata: { continue?: string } }>('/api/v1/pods?limit=7');
    const names: string[] = [];
    const rest = await transport.requestList<{ items: unknown[]; metadata: { continue?: string } }>('/api/v1/pods?limit=7', (item) => names.push((item as { metadata: { name: string } }).metadata.name));
    expect(names).toEqual(whole.items.map((pod) => pod.metadata.name));
    expect(names.length).toBe(7);
    expect(rest.items).toEqual([]);
    expect(rest.metadata.continue).toBeTruthy();
  });

  it('items under a key spelled with escapes are still handed over', async () => {
    serve = (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"metadata":{"resourceVersion":"3"},"it\\u0065ms":[{"metadata":{"name":"a"}}]}');
    const names: string[] = [];
    const rest = await raw.requestList<{ metadata: { resourceVersion: string } }>('/api/v1/pods', (item) => names.push((item as { metadata: { name: string } }).metadata.name));
    expect(names).toEqual(['a']);
    expect(rest.metadata.resourceVersion).toBe('3');
  });

  it('a body that is not a JSON list is one clear error', async () => {
    serve = (res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>login required</html>');
    await expect(raw.requestList('/api/v1/pods', () => {})).rejects.toThrow('the API server answered /api/v1/pods with something that is not a JSON list');
  });

  it('a connection cut in the middle of an item fails the list instead of hanging or keeping half of it', async () => {
    serve = (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"kind":"PodList","metadata":{"resourceVersion":"9"},"items":[{"metadata":{"name":"a"}},{"metadata":{"na');
      setTimeout(() => res.socket?.destroy(), 50);
    };
    const names: string[] = [];
    await expect(raw.requestList('/api/v1/pods', (item) => names.push((item as { metadata: { name: string } }).metadata.name))).rejects.toBeDefined();
    expect(names).toEqual(['a']);
  });

  it('a body that stops arriving fails the request after its timeout, so the caller can retry', async () => {
    serve = (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"kind":"PodList","metadata":{"resourceVersion":"9"},"items":[{"metadata":{"name":"a"}},');
    };
    const started = Date.now();
    await expect(raw.requestList('/api/v1/pods', () => {}, { timeoutMs: 400 })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(Date.now() - started).toBeLessThan(3_000);
    // The same for a body read whole.
    await expect(raw.request('/api/v1/pods', { timeoutMs: 400 })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  });
});
