import { describe, expect, it } from 'vitest';
import { explain, type FailureCause, type SyncState, type VerifyTarget } from '../../../source/actions/join/index.js';
import type { FailureFacts } from '../../../source/actions/join/verify.js';

// The explanations of a remote that does not sync; the simulator tests (join.test.ts) reach them for real.

const T: VerifyTarget = { primary: 'east', remote: 'west', clusterName: 'west', secretName: 'istio-remote-secret-west', istiodService: 'istiod', primaryClusterId: 'east' };
const SERVER = 'https://10.0.0.5:6443';

describe('explain: the verdict, the likely cause and the fix', () => {
  it.each<[FailureCause, SyncState, Omit<FailureFacts, 'cause'>, RegExp, RegExp]>([
    ['bad-token', 'timeout', { probe: { outcome: 'unauthorized', detail: 'HTTP 401 Unauthorized' }, server: SERVER }, /^bad token: https:\/\/10\.0\.0\.5:6443 refused the reader token/, /makes a new token and rewrites the remote secret/],
    ['forbidden', 'timeout', { probe: { outcome: 'forbidden', detail: 'HTTP 403 Forbidden' }, server: SERVER }, /lacks its ClusterRoleBinding istio-reader-clusterrole-istio-system/, /recreates missing RBAC/],
    ['unreachable', 'timeout', { probe: { outcome: 'unreachable', detail: 'no route to host' }, server: SERVER }, /^unreachable address: https:\/\/10\.0\.0\.5:6443 does not answer \(no route to host\)/, /--remote-api-server/],
    ['tls', 'timeout', { probe: { outcome: 'tls', detail: "the server's certificate does not name this address" }, server: SERVER }, /^TLS with https:\/\/10\.0\.0\.5:6443 failed: the server's certificate does not name this address$/, /names/],
    ['not-reachable-from-primary', 'timeout', { probe: { outcome: 'ok', detail: 'HTTP 200' }, server: SERVER }, /^this machine reaches .* probably not reachable from east's pods/, /--remote-api-server/],
    ['wrong-cluster-id', 'absent', { other: { id: 'west', secretName: 'istio-system/istio-remote-secret-old', syncStatus: 'synced' } }, /^wrong cluster ID: west is already registered from istio-system\/istio-remote-secret-old/, /another --cluster-name/],
    ['wrong-cluster-id', 'absent', {}, /^wrong cluster ID: west is east's own cluster ID/, /another --cluster-name/],
    ['secret-missing', 'absent', {}, /^the remote secret istio-system\/istio-remote-secret-west is not in east$/, /meshdeck join --primary east --remote west --apply/],
    ['bad-kubeconfig', 'absent', { detail: 'the kubeconfig has no context "x"' }, /cannot be used: the kubeconfig has no context "x"$/, /rewrites the secret/],
    ['not-registered', 'absent', { server: SERVER }, /istiod has not picked up/, /logs deploy\/istiod/],
    ['still-syncing', 'syncing', { server: SERVER }, /still listing west's services/, /wait/],
    ['reader-rbac', 'timeout', { probe: { outcome: 'ok', detail: 'HTTP 200' }, server: SERVER }, /^the reader token reaches https:\/\/10\.0\.0\.5:6443 but may not list services or endpointslices there/, /edit clusterrole istio-reader-clusterrole-istio-system/],
    ['not-in-registry', 'synced', {}, /discoverySelectors/, /istiod's log/],
    ['istiod-unreadable', 'unreadable', { detail: 'HTTP 503 ServiceUnavailable' }, /^HTTP 503 ServiceUnavailable: istiod has no ready pod/, /get pods -l app=istiod/],
    ['istiod-refused', 'unreadable', { detail: "istiod refused /debug/clusterz through the API server's service proxy (HTTP 401 from istiod, not the API server)" }, /^istiod refused .*; the kubeconfig's credentials for east are fine$/, /port-forward/],
  ])('%s (%s)', (cause, state, facts, because, fix) => {
    const lines = explain(T, state, { cause, ...facts });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^✗ /);
    expect(lines[1]!.replace(/^ {2}cause: /, '')).toMatch(because);
    expect(lines[2]!.replace(/^ {2}fix: /, '')).toMatch(fix);
  });

  it('names what istiod says in the verdict', () => {
    const verdict = (state: SyncState) => explain(T, state, { cause: 'still-syncing' })[0];
    expect([verdict('timeout'), verdict('syncing'), verdict('absent'), verdict('closed'), verdict('unreadable')]).toEqual([
      '✗ istiod on east reports west timeout: it cannot read west',
      '✗ istiod on east still reports west syncing',
      '✗ istiod on east does not list west',
      '✗ istiod on east reports west closed',
      "✗ istiod's /debug/clusterz in east cannot be read",
    ]);
  });
});
