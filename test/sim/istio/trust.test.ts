import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, waitFor, type TestSim } from '../../helpers/sim.js';
import { kubectl } from '../../helpers/kubectl.js';
import { proxyTrustDetail, proxyTrustProblem } from '../../../source/sim/istio/trust.js';
import { K } from '../../../source/sim/controllers/kinds.js';

const SAMPLE_ROOT = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'istio-sample-certs', 'root-cert.pem'), 'utf8');
const X509 = 'x509: certificate signed by unknown authority';

interface Pod {
  metadata: { name: string; labels: Record<string, string> };
  status: { phase: string; containerStatuses?: { name: string; ready: boolean; state: { waiting?: { reason: string } } }[] };
}

describe('trust: cacerts, istiod restarts and proxies that cannot verify their peers', () => {
  let t: TestSim;
  const k = (...args: string[]) => kubectl(t.kubeconfigPath, args);
  const gateways = async (context: string): Promise<Pod[]> => {
    const result = await k('--context', context, 'get', 'pods', '-n', 'istio-system', '-l', 'istio in (ingressgateway,eastwestgateway)', '-o', 'json');
    expect(result.code, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as { items: Pod[] }).items;
  };
  const ready = (pod: Pod) => pod.status.phase === 'Running' && (pod.status.containerStatuses ?? []).every((c) => c.ready);
  const rootIn = async (context: string, namespace = 'default') => {
    const result = await k('--context', context, 'get', 'cm', 'istio-ca-root-cert', '-n', namespace, '-o', 'jsonpath={.data.root-cert\\.pem}');
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };
  const storedPod = (cluster: string, namespace: string, name: string) => t.sim.cluster(cluster).store.get(K.pods, namespace, name)!;

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'broken', podsPerCluster: 0 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("keeps the remote's gateways not-ready when its root differs from the primary's, and says why", async () => {
    const west = await gateways('west');
    expect(west).toHaveLength(2);
    for (const pod of west) {
      expect(ready(pod), pod.metadata.name).toBe(false);
      expect(pod.status.containerStatuses!.find((c) => c.name === 'istio-proxy')!.ready).toBe(false);
      expect(proxyTrustProblem(t.sim.cluster('west'), storedPod('west', 'istio-system', pod.metadata.name))).toContain(X509);
    }
    const ingress = west.find((p) => p.metadata.labels['istio'] === 'ingressgateway')!;
    expect(proxyTrustDetail(t.sim.cluster('west'), storedPod('west', 'istio-system', ingress.metadata.name))).toMatchObject({ reason: 'root-mismatch-with-primary', peerClusterId: 'east' });
    const east = await gateways('east');
    const eastIngress = east.find((p) => p.metadata.labels['istio'] === 'ingressgateway')!;
    const eastWest = east.find((p) => p.metadata.labels['istio'] === 'eastwestgateway')!;
    expect(ready(eastIngress)).toBe(true);
    expect(proxyTrustProblem(t.sim.cluster('east'), storedPod('east', 'istio-system', eastIngress.metadata.name))).toBeUndefined();
    expect(ready(eastWest)).toBe(false);
    expect(proxyTrustDetail(t.sim.cluster('east'), storedPod('east', 'istio-system', eastWest.metadata.name))).toMatchObject({ reason: 'root-mismatch-with-peer-network', peerClusterId: 'west' });
    const sidecars = await k('--context', 'west', 'get', 'pods', '-n', 'sample');
    expect(sidecars.stdout).toMatch(/sleep-\S+\s+1\/2\s+Running/);
  });

  it("publishes Istio's sample root in the primary, so the sample CA is detectable", async () => {
    expect(await rootIn('east')).toBe(SAMPLE_ROOT);
    expect(await rootIn('east', 'sample')).toBe(SAMPLE_ROOT);
    expect(await rootIn('west')).not.toBe(SAMPLE_ROOT);
  });

  it('takes a replaced cacerts only after `kubectl rollout restart deploy/istiod`, which fixes the remote', async () => {
    const westCa = JSON.parse((await k('--context', 'west', 'get', 'secret', 'cacerts', '-n', 'istio-system', '-o', 'json')).stdout) as { data: Record<string, string> };
    const dir = mkdtempSync(join(tmpdir(), 'cacerts-'));
    const files = ['ca-cert.pem', 'ca-key.pem', 'root-cert.pem', 'cert-chain.pem'];
    for (const file of files) writeFileSync(join(dir, file), Buffer.from(westCa.data[file]!, 'base64'));
    const westRoot = Buffer.from(westCa.data['root-cert.pem']!, 'base64').toString();

    // As Istio's "plug in CA certificates" task does it.
    expect((await k('--context', 'east', 'delete', 'secret', 'cacerts', '-n', 'istio-system')).code).toBe(0);
    const created = await k('--context', 'east', 'create', 'secret', 'generic', 'cacerts', '-n', 'istio-system', ...files.map((f) => `--from-file=${join(dir, f)}`));
    expect(created.code, created.stderr).toBe(0);
    // istiod reads cacerts at start only: nothing changes yet.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await rootIn('east')).toBe(SAMPLE_ROOT);
    expect((await gateways('west')).some(ready)).toBe(false);

    const restart = await k('--context', 'east', 'rollout', 'restart', 'deploy/istiod', '-n', 'istio-system');
    expect(restart.code, restart.stderr).toBe(0);
    const status = await k('--context', 'east', 'rollout', 'status', 'deploy/istiod', '-n', 'istio-system', '--timeout=15s');
    expect(status.code, status.stderr).toBe(0);
    await waitFor(async () => (await rootIn('east')) === westRoot && (await rootIn('east', 'sample')) === westRoot, 'the new root in every namespace of east');
    await waitFor(async () => (await gateways('west')).every(ready), "west's gateways to become ready");
    await waitFor(async () => (await gateways('east')).every(ready), "east's east-west gateway to become ready");
    for (const pod of await gateways('west')) expect(proxyTrustProblem(t.sim.cluster('west'), storedPod('west', 'istio-system', pod.metadata.name))).toBeUndefined();
    await waitFor(async () => /sleep-\S+\s+2\/2\s+Running/.test((await k('--context', 'west', 'get', 'pods', '-n', 'sample')).stdout), "west's sidecars to become ready");
  });

  it('leaves a new istiod crash-looping on an unusable cacerts, while the old one keeps signing', async () => {
    const before = await rootIn('east');
    const patch = JSON.stringify({ data: { 'ca-key.pem': null } });
    expect((await k('--context', 'east', 'patch', 'secret', 'cacerts', '-n', 'istio-system', '--type=merge', '-p', patch)).code).toBe(0);
    // kubectl refuses a second restart within the same second as the previous test's ("please wait").
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const restart = await k('--context', 'east', 'rollout', 'restart', 'deploy/istiod', '-n', 'istio-system');
    expect(restart.code, restart.stderr).toBe(0);
    const crashing = await waitFor(async () => {
      const pods = (JSON.parse((await k('--context', 'east', 'get', 'pods', '-n', 'istio-system', '-l', 'app=istiod', '-o', 'json')).stdout) as { items: Pod[] }).items;
      return pods.length === 2 && pods.find((p) => p.status.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff');
    }, 'a crash-looping istiod next to the running one');
    expect(crashing.status.containerStatuses![0]!.ready).toBe(false);
    expect(await rootIn('east')).toBe(before);
    expect((await gateways('west')).every(ready)).toBe(true);
  });
});
