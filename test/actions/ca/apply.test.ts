import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../helpers/sim.js';
import { applyInstall, connectContexts, PlanBlockedError, planInstall, readCaState, readClusters, verifyClusters, type KubeApi, type StepProgress } from '../../../source/actions/ca/index.js';
import { createIntermediateCa, createRootCa, type CacertsBundle } from '../../../source/pki/authority.js';
import { kubeconfigFiles, loadKubeconfig } from '../../../source/kube/kubeconfig.js';
import { summarizePem } from '../../../source/pki/fingerprint.js';

const RSA = { type: 'rsa' as const, bits: 2048 };
// Generous for a loaded 2-core CI machine: the simulated istiod publishes the new root a few hundred ms after its pod runs.
const FAST = { rolloutMs: 30_000, distributeMs: 30_000, pollMs: 50 };

async function connect(t: TestSim): Promise<Map<string, KubeApi>> {
  return connectContexts(loadKubeconfig(kubeconfigFiles(t.kubeconfigPath, {})).contexts);
}

const distributedRoot = async (api: KubeApi, namespace = 'istio-system') =>
  summarizePem((await api.requestJson<{ data: Record<string, string> }>(`/api/v1/namespaces/${namespace}/configmaps/istio-ca-root-cert`)).data['root-cert.pem']!)[0]!.fingerprint;

describe('CA install engine against the simulator (fresh scenario: istiod self-signed roots)', () => {
  let t: TestSim;
  let apis: Map<string, KubeApi>;
  let bundles: Record<string, CacertsBundle>;
  let rootFp: string;
  const backupDir = () => join(t.dir, 'backups');

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'fresh', clusters: 2, podsPerCluster: 0 });
    apis = await connect(t);
    const root = await createRootCa({ key: RSA });
    rootFp = summarizePem(root.certPem)[0]!.fingerprint;
    const [east, west] = await Promise.all(['east', 'west'].map((cluster) => createIntermediateCa(root, { cluster, key: RSA })));
    bundles = { east: east!, west: west! };
  });
  afterAll(async () => {
    await t?.stop();
  });

  const plan = async (clusters: string[], options: { force?: boolean; restart?: boolean } = {}) => {
    const targets = await Promise.all(clusters.map(async (cluster) => ({ cluster, source: `certs/${cluster}`, bundle: bundles[cluster]!, live: await readCaState(cluster, apis.get(cluster)!) })));
    return planInstall(targets, { force: false, restart: true, backupDir: backupDir(), now: new Date(), ...options });
  };
  const apply = (p: Awaited<ReturnType<typeof plan>>, events: StepProgress[] = []) =>
    applyInstall(p, { api: (c) => apis.get(c)!, bundle: (c) => bundles[c]!, timeouts: FAST, onProgress: (e) => events.push(e) });

  it('starts with a different self-signed root per cluster, which verify reports', async () => {
    const report = verifyClusters(await readClusters(apis), new Date());
    expect(report.clusters.map((c) => [c.cluster, c.source, c.loaded])).toEqual([
      ['east', 'istio-ca-secret', true],
      ['west', 'istio-ca-secret', true],
    ]);
    expect(report.shared).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ severity: 'error', code: 'roots-differ', message: expect.stringMatching(/^the clusters do not share a root: east uses O=cluster\.local \(SHA-256 [0-9A-F:]+…\); west uses O=cluster\.local/) })]);
  });

  it('creates cacerts, restarts istiod, waits for the rollout and sees the new root distributed', async () => {
    const before = await readCaState('east', apis.get('east')!);
    const p = await plan(['east']);
    expect(p.steps.map((s) => s.verb)).toEqual(['create', 'restart', 'verify']);
    const events: StepProgress[] = [];
    const result = await apply(p, events);
    expect(result.steps.map((s) => [s.verb, s.status])).toEqual([
      ['create', 'done'],
      ['restart', 'done'],
      ['verify', 'done'],
    ]);
    expect(result.ok).toBe(true);
    expect(events.filter((e) => e.state === 'running' && !e.waiting).map((e) => [e.stepId, e.step.verb])).toEqual([
      ['east/create-cacerts', 'create'],
      ['east/restart-istiod', 'restart'],
      ['east/verify-root', 'verify'],
    ]);
    expect(events.filter((e) => e.state === 'done')).toHaveLength(3);
    expect(await distributedRoot(apis.get('east')!)).toBe(rootFp);
    expect(await distributedRoot(apis.get('east')!, 'sample')).toBe(rootFp);
    const after = await readCaState('east', apis.get('east')!);
    expect(after.cacerts).toMatchObject({ labels: { 'app.kubernetes.io/managed-by': 'meshdeck' }, annotations: { 'meshdeck.io/root-fingerprint': rootFp } });
    expect(after.istiods[0]!.restartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(after.istiodPods.map((p) => p.name)).not.toEqual(before.istiodPods.map((p) => p.name));
  });

  it('plans nothing the second time (idempotent)', async () => {
    const again = await plan(['east']);
    expect(again.steps).toEqual([]);
    expect(again.blocked).toEqual([]);
    expect((await apply(again)).steps).toEqual([]);
  });

  it('reports the shared root once both clusters have intermediates of it', async () => {
    expect(verifyClusters(await readClusters(apis), new Date()).shared).toBe(false);
    expect((await apply(await plan(['west']))).ok).toBe(true);
    const report = verifyClusters(await readClusters(apis), new Date());
    expect(report.shared).toBe(true);
    expect(report.groups).toEqual([{ root: expect.objectContaining({ fingerprint: rootFp, subject: 'O=Istio, CN=Root CA' }), clusters: ['east', 'west'] }]);
    expect(report.findings).toEqual([expect.objectContaining({ severity: 'info', code: 'shared-root', message: expect.stringMatching(/^east, west share the root O=Istio, CN=Root CA/) })]);
  });

  it('refuses a plan that is blocked, and a secret that changed since planning', async () => {
    const blocked = await plan(['east']);
    blocked.blocked.push({ cluster: 'east', reason: 'test' });
    await expect(apply(blocked)).rejects.toBeInstanceOf(PlanBlockedError);

    const other = await createIntermediateCa(await createRootCa({ key: RSA }), { cluster: 'east', key: RSA });
    bundles['east'] = other;
    const stale = await plan(['east']);
    expect(stale.steps.map((s) => s.verb)).toEqual(['backup', 'replace', 'restart', 'verify']);
    // Someone else writes cacerts between plan and apply.
    const api = apis.get('east')!;
    const current = await api.requestJson<{ metadata: { annotations: Record<string, string> } }>('/api/v1/namespaces/istio-system/secrets/cacerts');
    current.metadata.annotations['touched'] = 'yes';
    await api.request('/api/v1/namespaces/istio-system/secrets/cacerts', { method: 'PUT', body: JSON.stringify(current) });
    const result = await apply(stale);
    expect(result.ok).toBe(false);
    expect(result.steps.map((s) => [s.verb, s.status])).toEqual([
      ['backup', 'failed'],
      ['replace', 'skipped'],
      ['restart', 'skipped'],
      ['verify', 'skipped'],
    ]);
    expect(result.steps[0]!.message).toBe('istio-system/cacerts in east changed since the plan was made; plan again (meshdeck ca install without --apply) and review it');
    expect(await distributedRoot(api)).toBe(rootFp);
  });

  it('replaces its own cacerts after saving the old one to a 0600 file in a 0700 directory', async () => {
    const p = await plan(['east']);
    const result = await apply(p);
    expect(result.ok, JSON.stringify(result.steps)).toBe(true);
    const file = result.steps[0]!.backupFile!;
    expect(file.startsWith(join(backupDir(), 'east'))).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(backupDir(), 'east')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(backupDir(), 'east'))).toHaveLength(1);
    const saved = parse(readFileSync(file, 'utf8')) as { kind: string; metadata: Record<string, unknown>; data: Record<string, string> };
    expect(saved.kind).toBe('Secret');
    expect(saved.metadata).toMatchObject({ name: 'cacerts', namespace: 'istio-system', annotations: { touched: 'yes' } });
    expect(saved.metadata['resourceVersion']).toBeUndefined();
    expect(summarizePem(Buffer.from(saved.data['root-cert.pem']!, 'base64').toString())[0]!.fingerprint).toBe(rootFp);
    expect(await distributedRoot(apis.get('east')!)).not.toBe(rootFp);
  });
});
