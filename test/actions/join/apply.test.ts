import { readIstiodDebug } from '../../../source/kube/istiod-debug.js';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, waitFor, type TestSim } from '../../helpers/sim.js';
import { kubectl } from '../../helpers/kubectl.js';
import { applyInstall, planInstall, readCaState } from '../../../source/actions/ca/index.js';
import { createIntermediateCa, createRootCa } from '../../../source/pki/authority.js';
import { kubeconfigFiles, loadKubeconfig } from '../../../source/kube/kubeconfig.js';
import {
  applyJoin,
  connectPair,
  planJoin,
  planUnjoin,
  probeApiServer,
  readForeignObjects,
  remoteSecretEntries,
  verifyJoin,
  type ClusterzEntry,
  type JoinPair,
  type JoinPlan,
  type JoinProgress,
  type KubeApi,
} from '../../../source/actions/join/index.js';

const FAST = { syncMs: 15_000, pollMs: 100, tokenMs: 5_000 };
type Listed = { items: { metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; type?: string; spec?: unknown }[] };

/** What join may touch in a cluster, without versions: to compare before join and after unjoin. */
async function inventory(api: KubeApi): Promise<Record<string, unknown>> {
  const list = (path: string) => api.requestJson<Listed>(path).then((l) => l.items.map((i) => ({ name: i.metadata.name, labels: i.metadata.labels ?? {}, annotations: i.metadata.annotations ?? {}, ...(i.type ? { type: i.type } : {}), ...(i.spec ? { spec: i.spec } : {}) })).sort((a, b) => a.name.localeCompare(b.name)));
  const ns = await api.requestJson<{ metadata: { labels?: Record<string, string>; annotations?: Record<string, string> } }>('/api/v1/namespaces/istio-system');
  return {
    namespace: { labels: ns.metadata.labels ?? {}, annotations: ns.metadata.annotations ?? {} },
    secrets: await list('/api/v1/namespaces/istio-system/secrets'),
    serviceAccounts: await list('/api/v1/namespaces/istio-system/serviceaccounts'),
    clusterRoles: await list('/apis/rbac.authorization.k8s.io/v1/clusterroles'),
    clusterRoleBindings: await list('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings'),
    gateways: await list('/apis/networking.istio.io/v1/namespaces/istio-system/gateways'),
    virtualServices: await list('/apis/networking.istio.io/v1/namespaces/istio-system/virtualservices'),
  };
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

describe('join engine against the simulator (fresh: two standalone primaries)', () => {
  let t: TestSim;
  let pair: JoinPair;
  let east: KubeApi;
  let west: KubeApi;
  let outDir: string;
  const before: Record<string, Record<string, unknown>> = {};
  const plan = async (options: { remoteApiServer?: string } = {}) => planJoin(await pair.read(), { outDir, ...options });
  const apply = (p: JoinPlan, events: JoinProgress[] = []) => applyJoin(p, { api: (c) => pair.apis.get(c)!, timeouts: FAST, onProgress: (e) => events.push(e) });
  // As meshdeck reads it: through a port-forward to istiod's pod (the service proxy answers 401, as istiod does).
  const clusterz = () => readIstiodDebug<ClusterzEntry[]>(east, '/debug/clusterz');
  const unjoin = async () => {
    const state = await pair.read();
    return planUnjoin(state, { foreign: await readForeignObjects(west) });
  };

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'fresh', clusters: 2, podsPerCluster: 0 });
    outDir = join(t.dir, 'join-files');
    const contexts = loadKubeconfig(kubeconfigFiles(t.kubeconfigPath, {})).contexts;
    pair = await connectPair(contexts.find((c) => c.name === 'east')!, contexts.find((c) => c.name === 'west')!);
    east = pair.apis.get('east')!;
    west = pair.apis.get('west')!;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('preflight catches different roots and points at meshdeck ca', async () => {
    const p = await plan();
    const trust = p.preflight.find((c) => c.id === 'trust')!;
    expect(trust.status).toBe('fail');
    expect(trust.message).toMatch(/^east and west do not share a root of trust \(east: O=cluster\.local [0-9A-F:]+…, west: O=cluster\.local [0-9A-F:]+…\); give both intermediates of one root first: meshdeck ca root/);
    expect(p.blocked).toEqual([{ cluster: 'west', reason: trust.message }]);
    await expect(apply(p)).rejects.toThrow(/do not share a root of trust/);
  });

  it('passes the trust check once the CA engine gave both intermediates of one root', async () => {
    const key = { type: 'rsa' as const, bits: 2048 };
    const root = await createRootCa({ key });
    const bundles = Object.fromEntries(await Promise.all(['east', 'west'].map(async (cluster) => [cluster, await createIntermediateCa(root, { cluster, key })] as const)));
    const targets = await Promise.all(['east', 'west'].map(async (cluster) => ({ cluster, source: `certs/${cluster}`, bundle: bundles[cluster]!, live: await readCaState(cluster, pair.apis.get(cluster)!) })));
    const ca = await applyInstall(planInstall(targets, { force: false, restart: true, backupDir: join(t.dir, 'backups'), now: new Date() }), { api: (c) => pair.apis.get(c)!, bundle: (c) => bundles[c]!, timeouts: { pollMs: 50 } });
    expect(ca.ok).toBe(true);
    const p = await plan();
    expect(p.preflight.find((c) => c.id === 'trust')).toMatchObject({ status: 'pass', message: expect.stringMatching(/^east and west share the root O=Istio, CN=Root CA/) });
    // The simulator's API servers listen on 127.0.0.1: a warning, not a block.
    expect(p.preflight.find((c) => c.id === 'api-server')).toMatchObject({ status: 'warn', message: expect.stringContaining('is a loopback address') });
    expect(p.blocked).toEqual([]);
    before['east'] = await inventory(east);
    before['west'] = await inventory(west);
  });

  it('preflight catches a duplicate cluster name (a remote secret made by hand with kubectl)', async () => {
    const yaml = `apiVersion: v1
kind: Secret
metadata:
  name: istio-remote-secret-old-west
  namespace: istio-system
  labels: {istio/multiCluster: "true"}
stringData:
  west: |
    apiVersion: v1
    kind: Config
    clusters: [{name: west, cluster: {server: "https://10.99.0.1:6443"}}]
    contexts: [{name: west, context: {cluster: west, user: west}}]
    current-context: west
    users: [{name: west, user: {token: abc}}]
`;
    expect((await kubectl(t.kubeconfigPath, ['--context', 'east', 'apply', '-f', '-'], yaml)).code).toBe(0);
    const p = await plan();
    expect(p.blocked.map((b) => b.reason)).toEqual(['duplicate cluster name: west is already used by the remote secret istio-system/istio-remote-secret-old-west (server https://10.99.0.1:6443) in east; pass another --cluster-name, or remove that secret']);
    expect((await kubectl(t.kubeconfigPath, ['--context', 'east', '-n', 'istio-system', 'delete', 'secret', 'istio-remote-secret-old-west'])).code).toBe(0);
  });

  it('joins: the planned objects, marked as meshdeck-made, and istiod reports the remote synced', async () => {
    const p = await plan();
    expect(p.steps.map((s) => `${s.cluster} ${s.verb} ${s.target}`)).toEqual([
      'west patch namespace istio-system',
      'west create secret istio-system/istio-reader-service-account-istio-remote-secret-token',
      'west create gateway istio-system/cross-network-gateway',
      'east create gateway istio-system/istiod-gateway',
      'east create virtualservice istio-system/istiod-vs',
      'east create gateway istio-system/cross-network-gateway',
      'east create secret istio-system/istio-remote-secret-west',
      `local write ${outDir}/east-eastwest-gateway.yaml`,
      `local write ${outDir}/west-eastwest-gateway.yaml`,
      `local write ${outDir}/west-remote-values.yaml`,
      `local write ${outDir}/west-remote-istiooperator.yaml`,
      "east verify istiod's /debug/clusterz in east",
    ]);
    const events: JoinProgress[] = [];
    const result = await apply(p, events);
    expect(result.steps.filter((s) => s.status !== 'done')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.verify).toMatchObject({ ok: true, state: 'synced', registry: { ok: true, missing: [] } });
    expect(result.verify!.lines[0]).toBe('✓ istiod on east reports west synced (istio-system/istio-remote-secret-west)');
    expect(result.verify!.lines[1]).toMatch(/^✓ east's registry has west's services: (\d+) of \1 /);
    expect(events.filter((e) => e.state === 'done').map((e) => e.stepId)).toEqual(p.steps.map((s) => s.id));
    expect(events.some((e) => e.waiting && e.step.verb === 'verify')).toBe(true);
    expect(await clusterz()).toContainEqual({ id: 'west', secretName: 'istio-system/istio-remote-secret-west', syncStatus: 'synced' });

    const ns = await west.requestJson<{ metadata: { annotations: Record<string, string>; labels: Record<string, string> } }>('/api/v1/namespaces/istio-system');
    expect(ns.metadata.annotations['topology.istio.io/controlPlaneClusters']).toBe('east');
    expect(ns.metadata.labels['topology.istio.io/network']).toBe('network2');
    const secret = await east.requestJson<{ metadata: { labels: Record<string, string>; annotations: Record<string, string> }; data: Record<string, string> }>('/api/v1/namespaces/istio-system/secrets/istio-remote-secret-west');
    expect(secret.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'meshdeck', 'istio/multiCluster': 'true' });
    expect(secret.metadata.annotations).toEqual({ 'meshdeck.io/join-cluster': 'west', 'networking.istio.io/cluster': 'west' });
    const [entry] = remoteSecretEntries({ west: Buffer.from(secret.data['west']!, 'base64').toString('utf8') });
    expect(entry!.access!.server).toBe(t.sim.clusters[1]!.address());
    // The token the API server filled in really reads the remote, with the CA in the secret.
    expect(await probeApiServer(entry!.access!)).toEqual({ outcome: 'ok', detail: 'HTTP 200' });
    for (const file of ['west-remote-values.yaml', 'west-remote-istiooperator.yaml', 'east-eastwest-gateway.yaml']) expect(existsSync(join(outDir, file))).toBe(true);
    expect(readFileSync(join(outDir, 'west-remote-values.yaml'), 'utf8')).toContain('injectionPath: /inject/cluster/west/net/network2');
  });

  it('joining twice says already joined and changes nothing', async () => {
    const joined = { east: await inventory(east), west: await inventory(west) };
    const p = await plan();
    expect(p.alreadyJoined).toBe(true);
    expect(p.steps).toEqual([]);
    expect(await apply(p)).toEqual({ ok: true, steps: [] });
    expect({ east: await inventory(east), west: await inventory(west) }).toEqual(joined);
  });

  it('explains a bad token (the reader token Secret deleted in the remote), and joining again repairs it', async () => {
    expect((await kubectl(t.kubeconfigPath, ['--context', 'west', '-n', 'istio-system', 'delete', 'secret', 'istio-reader-service-account-istio-remote-secret-token'])).code).toBe(0);
    // istiod re-checks its remotes every few seconds; the token died with its Secret.
    await waitFor(async () => (await clusterz()).some((e) => e.id === 'west' && e.syncStatus === 'timeout'), 'istiod to notice the dead token', 10_000);
    const report = await verifyJoin({ primary: 'east', remote: 'west', clusterName: 'west', secretName: 'istio-remote-secret-west', istiodService: 'istiod', primaryClusterId: 'east' }, { api: east, timeoutMs: 5_000, pollMs: 100 });
    expect(report).toMatchObject({ ok: false, state: 'timeout', cause: 'bad-token', probe: { outcome: 'unauthorized' } });
    expect(report.lines[0]).toBe('✗ istiod on east reports west timeout: it cannot read west');
    expect(report.lines[1]).toMatch(/^ {2}cause: bad token: https:\/\/127\.0\.0\.1:\d+ refused the reader token in istio-system\/istio-remote-secret-west \(HTTP 401 Unauthorized\)/);
    expect(report.lines[2]).toBe('  fix: run meshdeck join --primary east --remote west --apply again: it makes a new token and rewrites the remote secret');

    const repair = await plan();
    expect(repair.alreadyJoined).toBe(false);
    expect(repair.steps.map((s) => `${s.verb} ${s.target}`)).toEqual(['create secret istio-system/istio-reader-service-account-istio-remote-secret-token', 'replace secret istio-system/istio-remote-secret-west', "verify istiod's /debug/clusterz in east"]);
    expect(repair.steps[1]!.precondition?.resourceVersion).toMatch(/^\d+$/);
    const result = await apply(repair);
    expect(result.ok).toBe(true);
    expect(result.verify?.state).toBe('synced');
  });

  it('unjoin removes exactly what join created, and istiod lets go of the remote', async () => {
    const p = await unjoin();
    expect(p.blocked).toEqual([]);
    expect(p.steps.map((s) => `${s.cluster} ${s.verb} ${s.target}`)).toEqual([
      'east delete secret istio-system/istio-remote-secret-west',
      'east delete virtualservice istio-system/istiod-vs',
      'east delete gateway istio-system/istiod-gateway',
      'east delete gateway istio-system/cross-network-gateway',
      'west delete gateway istio-system/cross-network-gateway',
      'west delete secret istio-system/istio-reader-service-account-istio-remote-secret-token',
      'west patch namespace istio-system',
      "east verify istiod's /debug/clusterz in east",
    ]);
    expect(p.steps.filter((s) => s.verb === 'delete').every((s) => s.precondition?.resourceVersion && s.precondition.uid)).toBe(true);
    const result = await apply(p);
    expect(result.ok).toBe(true);
    expect(result.verify?.lines).toEqual(['✓ istiod on east no longer lists west']);
    expect(await inventory(east)).toEqual(before['east']);
    expect(await inventory(west)).toEqual(before['west']);
    const again = await unjoin();
    expect(again.steps).toEqual([]);
    expect(again.notes).toEqual([{ cluster: 'west', message: 'west was not joined to east by meshdeck: nothing to remove' }]);
  });

  it('explains an unreachable address (--remote-api-server pointing where nothing listens)', async () => {
    const address = `https://127.0.0.1:${await closedPort()}`;
    const p = await plan({ remoteApiServer: address });
    expect(p.settings.remoteApiServer).toBe(address);
    expect(p.blocked).toEqual([]);
    const result = await apply(p);
    expect(result.ok).toBe(false);
    expect(result.steps.at(-1)).toMatchObject({ verb: 'verify', status: 'failed' });
    expect(result.verify).toMatchObject({ ok: false, cause: 'unreachable', probe: { outcome: 'unreachable', detail: 'connection refused' } });
    expect(result.verify!.lines).toEqual([
      '✗ istiod on east reports west timeout: it cannot read west',
      `  cause: unreachable address: ${address} does not answer (connection refused); it is not where west's API server listens, or something is in the way`,
      "  fix: join again with --remote-api-server set to an address of west's API server that east's pods can reach",
    ]);
    const undo = await apply(await unjoin());
    expect(undo.ok).toBe(true);
    expect(await inventory(east)).toEqual(before['east']);
    expect(await inventory(west)).toEqual(before['west']);
  });
});
