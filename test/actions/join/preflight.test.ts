import { describe, expect, it } from 'vitest';
import { isLoopback, planJoin, preflight, remoteKubeconfig, remoteSecretEntries, resolveSettings, type ClusterFacts, type JoinState, type PreflightCheck } from '../../../source/actions/join/index.js';

// Pure checks over what two clusters said; the simulator tests (join.test.ts) read the same facts for real.

function facts(cluster: string, extra: Partial<ClusterFacts> = {}): ClusterFacts {
  return {
    cluster,
    server: `https://${cluster}.example.com:6443`,
    version: { major: 1, minor: 30, gitVersion: 'v1.30.2' },
    namespace: { name: 'istio-system', resourceVersion: '10', labels: { 'topology.istio.io/network': cluster === 'east' ? 'network1' : 'network2' }, annotations: {} },
    identity: { clusterId: cluster, network: cluster === 'east' ? 'network1' : 'network2', meshId: 'mesh1' },
    exposure: {},
    remoteSecrets: [],
    istioApi: true,
    eastWest: { ports: [15021, 15443, 15012, 15017], address: `${cluster}-gw.example.com` },
    ...extra,
  };
}

const primary = (extra: Partial<ClusterFacts> = {}) => facts('east', { istiod: { name: 'istiod', pods: 1, readyPods: 1, env: { CLUSTER_ID: 'east', EXTERNAL_ISTIOD: 'true' } }, ...extra });
const remote = (extra: Partial<ClusterFacts> = {}) => facts('west', extra);
const secret = (name: string, clusterId: string, server: string, managed = false) => ({
  name,
  namespace: 'istio-system',
  resourceVersion: '5',
  labels: { 'istio/multiCluster': 'true', ...(managed ? { 'app.kubernetes.io/managed-by': 'meshdeck' } : {}) },
  annotations: {},
  entries: remoteSecretEntries({ [clusterId]: remoteKubeconfig(clusterId, { server, caPem: 'ca', token: 't' }) }),
});

function run(state: JoinState, options: { clusterName?: string; meshId?: string; remoteApiServer?: string } = {}): PreflightCheck[] {
  const all = { outDir: '/out', now: new Date('2025-06-01T00:00:00Z'), ...options };
  return preflight(state, resolveSettings(state, all), all);
}
const find = (checks: PreflightCheck[], id: string) => checks.find((c) => c.id === id);

describe('join preflight', () => {
  it('passes two healthy clusters, with a line per check', () => {
    const checks = run({ primary: primary(), remote: remote() });
    expect(checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(checks.map((c) => c.id)).toEqual(['reach-primary', 'reach-remote', 'istiod', 'attached', 'cluster-name', 'trust', 'mesh-id', 'api-server', 'tokens', 'network', 'eastwest-east', 'eastwest-west']);
    expect(find(checks, 'istiod')?.message).toBe('istiod runs on east (1/1 ready): cluster ID east, network network1, mesh ID mesh1');
    expect(find(checks, 'tokens')?.message).toBe('Kubernetes 1.30 on west makes no service-account token Secrets by itself: meshdeck creates a long-lived token Secret for istio-reader-service-account, which the API server fills in');
  });

  it.each<[string, () => JoinState, Record<string, string>, string, PreflightCheck['status'], RegExp]>([
    ['an unreachable remote', () => ({ primary: primary(), remote: { ...remote(), error: 'connection refused' } }), {}, 'reach-remote', 'fail', /^west cannot be reached: connection refused$/],
    ['no istiod on the primary', () => ({ primary: facts('east'), remote: remote() }), {}, 'istiod', 'fail', /^east runs no istiod/],
    ['istiod with no ready pod', () => ({ primary: primary({ istiod: { name: 'istiod', pods: 1, readyPods: 0, env: {} } }), remote: remote() }), {}, 'istiod', 'fail', /has no ready pod/],
    ['istiod not installed for remotes', () => ({ primary: primary({ istiod: { name: 'istiod', pods: 1, readyPods: 1, env: {} } }), remote: remote() }), {}, 'external-istiod', 'warn', /EXTERNAL_ISTIOD/],
    [
      'a remote attached to another primary',
      () => ({ primary: primary(), remote: remote({ namespace: { name: 'istio-system', resourceVersion: '1', labels: {}, annotations: { 'topology.istio.io/controlPlaneClusters': 'north' } } }) }),
      {},
      'attached',
      'fail',
      /^west is already attached to another primary \(topology\.istio\.io\/controlPlaneClusters=north\)/,
    ],
    ['a duplicate cluster name', () => ({ primary: primary({ remoteSecrets: [secret('istio-remote-secret-other', 'west', 'https://10.9.9.9:6443')] }), remote: remote() }), {}, 'cluster-name', 'fail', /^duplicate cluster name: west is already used by the remote secret istio-system\/istio-remote-secret-other \(server https:\/\/10\.9\.9\.9:6443\) in east/],
    ['the remote already joined under another name', () => ({ primary: primary({ remoteSecrets: [secret('istio-remote-secret-w1', 'w1', 'https://west.example.com:6443')] }), remote: remote() }), {}, 'cluster-name', 'fail', /^west's API server is already joined to east as w1/],
    ["the primary's own cluster ID", () => ({ primary: primary(), remote: remote() }), { clusterName: 'east' }, 'cluster-name', 'fail', /is the primary's own cluster ID/],
    ['a name Istio refuses', () => ({ primary: primary(), remote: remote() }), { clusterName: 'West_1' }, 'cluster-name', 'fail', /not a DNS-1123 label/],
    ["a remote whose Istio calls itself otherwise", () => ({ primary: primary(), remote: remote() }), { clusterName: 'west2' }, 'remote-cluster-id', 'warn', /^west's Istio calls itself west, not west2/],
    ['another mesh ID', () => ({ primary: primary(), remote: remote() }), { meshId: 'mesh2' }, 'mesh-id', 'fail', /^mesh ID mesh2 is not the primary's \(mesh1\)/],
    ['a loopback API server address', () => ({ primary: primary(), remote: remote({ server: 'https://127.0.0.1:41234' }) }), {}, 'api-server', 'warn', /is a loopback address: istiod on east reaches it only if it runs on this same machine; pass --remote-api-server/],
    ['an address that is not a URL', () => ({ primary: primary(), remote: remote() }), { remoteApiServer: '10.0.0.5' }, 'api-server', 'fail', /is not a URL/],
    ['no east-west gateway on the primary', () => ({ primary: primary({ eastWest: undefined }), remote: remote() }), {}, 'eastwest-east', 'warn', /^east has no east-west gateway/],
    ['a gateway without the istiod ports', () => ({ primary: primary({ eastWest: { ports: [15443], address: '1.2.3.4' } }), remote: remote() }), {}, 'eastwest-east', 'warn', /lacks ports 15012, 15017/],
  ])('catches %s', (_name, state, options, id, status, message) => {
    const check = find(run(state(), options), id);
    expect(check?.status).toBe(status);
    expect(check?.message).toMatch(message);
  });

  it('honours --remote-api-server over the kubeconfig address, and passes it', () => {
    const state = { primary: primary(), remote: remote({ server: 'https://127.0.0.1:41234' }) };
    const checks = run(state, { remoteApiServer: 'https://10.0.0.5:6443' });
    expect(find(checks, 'api-server')).toEqual({ id: 'api-server', status: 'pass', message: 'istiod on east will reach west at https://10.0.0.5:6443' });
    expect(planJoin(state, { outDir: '/out', remoteApiServer: 'https://10.0.0.5:6443' }, { readFile: () => undefined }).settings.remoteApiServer).toBe('https://10.0.0.5:6443');
  });

  it('warns about loopback (and does not block) in the plan', () => {
    const plan = planJoin({ primary: primary(), remote: remote({ server: 'https://127.0.0.1:41234' }) }, { outDir: '/out' }, { readFile: () => undefined });
    expect(plan.blocked).toEqual([]);
    expect(plan.notes).toContainEqual({ cluster: 'west', message: expect.stringMatching(/loopback address/) });
  });

  it.each([
    ['https://127.0.0.1:6443', true],
    ['https://localhost:6443', true],
    ['https://[::1]:6443', true],
    ['https://0.0.0.0', true],
    ['https://10.0.0.5:6443', false],
    ['https://api.west.example.com', false],
  ])('isLoopback(%s) is %s', (server, loopback) => {
    expect(isLoopback(server)).toBe(loopback);
  });

  it('takes the settings from what the clusters say when no flag is given', () => {
    const s = resolveSettings({ primary: primary(), remote: remote({ identity: {} }) }, { outDir: '/out' });
    expect(s).toMatchObject({ clusterName: 'west', network: 'network2', meshId: 'mesh1', primaryClusterId: 'east', primaryNetwork: 'network1', multiNetwork: true, discoveryAddress: 'east-gw.example.com', remoteApiServer: 'https://west.example.com:6443' });
    const bare = resolveSettings({ primary: primary(), remote: { ...remote({ identity: {} }), cluster: 'arn:aws:eks:eu-west-1:1:cluster/West_2', namespace: undefined } }, { outDir: '/out' });
    expect(bare).toMatchObject({ clusterName: 'west-2', network: 'network1', multiNetwork: false });
  });
});
