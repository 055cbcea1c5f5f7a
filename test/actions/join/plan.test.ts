import { describe, expect, it } from 'vitest';
import { planJoin, planUnjoin, recordText, remoteKubeconfig, remoteSecretEntries, type ClusterFacts, type JoinState, type LiveObject } from '../../../source/actions/join/index.js';
import { renderPlan } from '../../../source/actions/plan.js';

// Planning over what two clusters said: what join records for unjoin, and what unjoin puts back.

const NOW = new Date('2025-06-01T12:00:00Z');
const marked = (name: string, clusterName = 'west'): LiveObject => ({ name, namespace: 'istio-system', resourceVersion: '7', uid: `uid-${name}`, labels: { 'app.kubernetes.io/managed-by': 'meshdeck' }, annotations: { 'meshdeck.io/join-cluster': clusterName } });

function facts(cluster: string, extra: Partial<ClusterFacts> = {}): ClusterFacts {
  return {
    cluster,
    server: `https://${cluster}.example.com:6443`,
    version: { major: 1, minor: 30, gitVersion: 'v1.30.2' },
    namespace: { name: 'istio-system', resourceVersion: '10', labels: {}, annotations: {} },
    identity: { network: 'network1' },
    exposure: {},
    remoteSecrets: [],
    istioApi: true,
    ...extra,
  };
}
const primary = (extra: Partial<ClusterFacts> = {}) => facts('east', { identity: { clusterId: 'east', network: 'network1', meshId: 'mesh1' }, istiod: { name: 'istiod', pods: 1, readyPods: 1, env: { EXTERNAL_ISTIOD: 'true' } }, eastWest: { ports: [15443, 15012, 15017], address: '1.2.3.4' }, ...extra });
const files = { readFile: () => undefined, now: NOW };

describe('planJoin', () => {
  it('on a remote without Istio: makes istio-system, the reader account and its RBAC, and says Helm should go first', () => {
    const plan = planJoin({ primary: primary(), remote: facts('west', { namespace: undefined, identity: {} }) }, { outDir: '/out' }, files);
    expect(plan.settings).toMatchObject({ clusterName: 'west', network: 'network1', multiNetwork: false });
    expect(plan.steps.map((s) => `${s.cluster} ${s.verb} ${s.target}`)).toEqual([
      'west create namespace istio-system',
      'west create serviceaccount istio-system/istio-reader-service-account',
      'west create clusterrole istio-reader-clusterrole-istio-system',
      'west create clusterrolebinding istio-reader-clusterrole-istio-system',
      'west create secret istio-system/istio-reader-service-account-istio-remote-secret-token',
      'east create gateway istio-system/istiod-gateway',
      'east create virtualservice istio-system/istiod-vs',
      'east create secret istio-system/istio-remote-secret-west',
      'local write /out/west-remote-values.yaml',
      'local write /out/west-remote-istiooperator.yaml',
      "east verify istiod's /debug/clusterz in east",
    ]);
    expect(plan.steps[0]!.object).toMatchObject({
      metadata: {
        labels: { 'topology.istio.io/network': 'network1', 'app.kubernetes.io/managed-by': 'meshdeck' },
        annotations: { 'topology.istio.io/controlPlaneClusters': 'east', 'meshdeck.io/join': '{"primary":"east","clusterName":"west","createdNamespace":true,"previous":{}}' },
      },
    });
    expect(plan.notes).toContainEqual({ cluster: 'west', message: expect.stringMatching(/helm install refuses objects it did not make/) });
    // The plan is what the review screen and --output json show: no token, no CA, ever.
    expect(JSON.stringify(plan)).not.toMatch(/token: [A-Za-z0-9]/);
    expect(renderPlan(plan)[0]).toBe('join west to east as remote cluster west');
  });

  it('records what it changes on an existing istio-system, and keeps the first record when joined again with another network', () => {
    const remote = facts('west', { namespace: { name: 'istio-system', resourceVersion: '10', labels: { 'topology.istio.io/network': 'net-a' }, annotations: {} } });
    const first = planJoin({ primary: primary(), remote }, { outDir: '/out', network: 'net-b' }, files);
    expect(first.steps[0]).toMatchObject({ verb: 'patch', precondition: { resourceVersion: '10' } });
    expect(first.steps[0]!.diff).toEqual([
      '~ label topology.istio.io/network: net-a → net-b',
      '+ annotation topology.istio.io/controlPlaneClusters=east',
      '+ annotation meshdeck.io/join={"primary":"east","clusterName":"west","createdNamespace":false,"previous":{"controlPlaneClusters":null,"network":"net-a"}}',
    ]);
    const joined = facts('west', {
      namespace: { name: 'istio-system', resourceVersion: '11', labels: { 'topology.istio.io/network': 'net-b' }, annotations: { 'topology.istio.io/controlPlaneClusters': 'east', 'meshdeck.io/join': recordText({ primary: 'east', clusterName: 'west', createdNamespace: false, previous: { controlPlaneClusters: null, network: 'net-a' } }) } },
    });
    const again = planJoin({ primary: primary(), remote: joined }, { outDir: '/out', network: 'net-c' }, files);
    expect(again.steps[0]!.diff).toEqual(['~ label topology.istio.io/network: net-b → net-c']);
  });

  it('leaves a remote secret it did not make alone', () => {
    const theirs = { name: 'istio-remote-secret-west', namespace: 'istio-system', resourceVersion: '3', labels: { 'istio/multiCluster': 'true' }, annotations: {}, entries: remoteSecretEntries({ west: remoteKubeconfig('west', { server: 'https://west.example.com:6443', caPem: 'x', token: 'old' }) }) };
    const plan = planJoin({ primary: primary({ remoteSecrets: [theirs] }), remote: facts('west') }, { outDir: '/out' }, files);
    expect(plan.steps.some((s) => s.target === 'secret istio-system/istio-remote-secret-west')).toBe(false);
    expect(plan.notes).toContainEqual({ cluster: 'east', message: expect.stringMatching(/^istio-system\/istio-remote-secret-west was not made by meshdeck/) });
  });
});

describe('planUnjoin', () => {
  const record = (createdNamespace: boolean, previous = {}) => recordText({ primary: 'east', clusterName: 'west', createdNamespace, previous });
  const joinedRemote = (createdNamespace: boolean, previous: Record<string, string | null> = { controlPlaneClusters: null }) =>
    facts('west', {
      namespace: { name: 'istio-system', resourceVersion: '12', uid: 'uid-ns', labels: { 'topology.istio.io/network': 'net-b', ...(createdNamespace ? { 'app.kubernetes.io/managed-by': 'meshdeck' } : {}) }, annotations: { 'topology.istio.io/controlPlaneClusters': 'east', 'meshdeck.io/join': record(createdNamespace, previous), ...(createdNamespace ? { 'meshdeck.io/join-cluster': 'west' } : {}) } },
      readerToken: { ...marked('istio-reader-service-account-istio-remote-secret-token'), type: 'kubernetes.io/service-account-token' },
      readerAccount: { ...marked('istio-reader-service-account'), secrets: [] },
      // Made by Istio's installation, not by join: stays.
      readerRole: { name: 'istio-reader-clusterrole-istio-system', resourceVersion: '2', labels: { release: 'istio' }, annotations: {} },
    });
  const ours = { ...marked('istio-remote-secret-west'), labels: { 'app.kubernetes.io/managed-by': 'meshdeck', 'istio/multiCluster': 'true' }, entries: [] };
  const north = { ...marked('istio-remote-secret-north', 'north'), labels: { 'app.kubernetes.io/managed-by': 'meshdeck', 'istio/multiCluster': 'true' }, entries: [] };
  const exposure = { 'Gateway/istiod-gateway': marked('istiod-gateway'), 'VirtualService/istiod-vs': marked('istiod-vs') };

  it('removes what join made, puts back what it changed, and leaves what Istio made', () => {
    const state: JoinState = { primary: primary({ remoteSecrets: [ours], exposure }), remote: joinedRemote(false, { controlPlaneClusters: null, network: 'net-a' }) };
    const plan = planUnjoin(state, { now: NOW, foreign: ['Pod/istiod-1'] });
    expect(plan.steps.map((s) => `${s.cluster} ${s.verb} ${s.target}`)).toEqual([
      'east delete secret istio-system/istio-remote-secret-west',
      'east delete virtualservice istio-system/istiod-vs',
      'east delete gateway istio-system/istiod-gateway',
      'west delete secret istio-system/istio-reader-service-account-istio-remote-secret-token',
      'west delete serviceaccount istio-system/istio-reader-service-account',
      'west patch namespace istio-system',
      "east verify istiod's /debug/clusterz in east",
    ]);
    expect(plan.steps[5]!.diff).toEqual([
      '~ label topology.istio.io/network: net-b → net-a',
      `- annotation meshdeck.io/join=${record(false, { controlPlaneClusters: null, network: 'net-a' })}`,
      '- annotation topology.istio.io/controlPlaneClusters=east',
    ]);
  });

  it("keeps the primary's istiod exposure while other meshdeck remotes use it", () => {
    const plan = planUnjoin({ primary: primary({ remoteSecrets: [ours, north], exposure }), remote: joinedRemote(false) }, { now: NOW });
    expect(plan.steps.some((s) => s.target.includes('istiod-gateway'))).toBe(false);
    expect(plan.notes).toContainEqual({ cluster: 'east', message: 'gateway istio-system/istiod-gateway stays: the remotes of istio-remote-secret-north (joined by meshdeck) still use it' });
  });

  it('deletes an istio-system it made only when nothing else lives there', () => {
    const empty = planUnjoin({ primary: primary({ remoteSecrets: [ours] }), remote: joinedRemote(true) }, { now: NOW, foreign: [] });
    expect(empty.steps.find((s) => s.target === 'namespace istio-system')).toMatchObject({ verb: 'delete', precondition: { resourceVersion: '12', uid: 'uid-ns' } });
    const used = planUnjoin({ primary: primary({ remoteSecrets: [ours] }), remote: joinedRemote(true) }, { now: NOW, foreign: ['Deployment/istio-eastwestgateway'] });
    expect(used.steps.find((s) => s.target === 'namespace istio-system')).toMatchObject({ verb: 'patch' });
    expect(used.notes).toContainEqual({ cluster: 'west', message: "istio-system was made by meshdeck join but now holds Deployment/istio-eastwestgateway: it stays; only join's marks are removed" });
  });

  it('refuses to unjoin from a primary the remote is not joined to', () => {
    const plan = planUnjoin({ primary: primary({ identity: { clusterId: 'central' } }), remote: joinedRemote(false) }, { now: NOW });
    expect(plan.blocked).toEqual([{ cluster: 'west', reason: 'west is joined to the primary east, not to east (central)' }]);
  });
});
