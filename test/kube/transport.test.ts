import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { connectContexts, type KubeApi } from '../../source/actions/ca/index.js';
import { kubeconfigFiles, loadKubeconfig } from '../../source/kube/kubeconfig.js';
import { KubeRequestError } from '../../source/kube/errors.js';

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
