import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../helpers/sim.js';
import { connectContexts, type KubeApi } from '../../../source/actions/ca/index.js';
import { restartDeployment, restartStamp } from '../../../source/actions/ca/rollout.js';
import { kubeconfigFiles, loadKubeconfig } from '../../../source/kube/kubeconfig.js';

describe('restarting istiod', () => {
  let t: TestSim;
  let api: KubeApi;
  beforeAll(async () => {
    t = await startTestSim({ scenario: 'fresh', clusters: 1, podsPerCluster: 0 });
    api = (await connectContexts(loadKubeconfig(kubeconfigFiles(t.kubeconfigPath, {})).contexts)).get('east')!;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('writes whole seconds as kubectl does, with milliseconds only when that second is already there', () => {
    const at = new Date('2026-12-07T02:30:05.123Z');
    expect(restartStamp(at, undefined)).toBe('2026-12-07T02:30:05Z');
    expect(restartStamp(at, '2026-12-07T02:30:05Z')).toBe('2026-12-07T02:30:05.123Z');
  });

  it('two restarts within the same second both change the pod template (a second install run by a script restarts istiod again)', async () => {
    const generation = async () => (await api.requestJson<{ metadata: { generation: number } }>('/apis/apps/v1/namespaces/istio-system/deployments/istiod')).metadata.generation;
    const before = await generation();
    const at = new Date();
    await restartDeployment(api, 'istiod', at);
    await restartDeployment(api, 'istiod', new Date(at.getTime() + 1));
    expect(await generation()).toBe(before + 2);
  });
});
