import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeshSession } from '../../source/kube/mesh-session.js';
import { loadKubeconfig } from '../../source/kube/kubeconfig.js';
import { deriveServiceRows, serviceTree, type ServiceRow } from '../../source/mesh/services.js';
import { startTestSim, waitFor, type TestSim } from '../helpers/sim.js';
import { kubectl } from '../helpers/kubectl.js';

// Acceptance: the services derivation over what the cockpit's watches really hold, on the simulator.
// Istio's samples ship no DestinationRule for helloworld, so the test applies the usual version subsets
// (one per `version` label, mTLS between sidecars) with kubectl, in the primary, as a user would.
const HELLOWORLD_DR = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: helloworld
  namespace: sample
spec:
  host: helloworld.sample.svc.cluster.local
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
`;

async function rowsOf(t: TestSim, ready: (rows: ServiceRow[]) => boolean): Promise<ServiceRow[]> {
  const session = new MeshSession(loadKubeconfig([t.kubeconfigPath]).contexts, { frameMs: 20 });
  session.start();
  try {
    await session.waitUntilSettled(20_000);
    return await waitFor(() => {
      const rows = deriveServiceRows(session.snapshot());
      return ready(rows) && rows;
    }, 'the services to show what was applied');
  } finally {
    session.stop();
  }
}

describe('services across clusters on the healthy scenario', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await startTestSim({ scenario: 'healthy' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('helloworld: v1 in east, v2 in west, with its DestinationRule subsets', async () => {
    // The healthy scenario carries Istio's helloworld DestinationRule and a 50/50 VirtualService; applying the
    // same DestinationRule again changes nothing.
    const applied = await kubectl(t.kubeconfigPath, ['--context', 'east', 'apply', '-f', '-'], HELLOWORLD_DR);
    expect(applied.code, applied.stderr).toBe(0);
    const rows = await rowsOf(t, (rows) => rows.some((r) => r.key === 'sample/helloworld' && r.subsets.length === 2));
    const row = rows.find((r) => r.key === 'sample/helloworld')!;
    expect(row.clusters.map((c) => `${c.cluster} ${c.network} ${c.endpoints?.ready}/${c.endpoints?.total}`)).toEqual(['east network1 1/1', 'west network2 1/1']);
    expect(row.destinationRules.map((d) => `${d.ref} in ${d.clusters.join(',')}: ${d.policy.join(', ')}`)).toEqual(['sample/helloworld in east: tls ISTIO_MUTUAL']);
    expect(row.subsets.map((s) => `${s.name}: ${s.placement.map((p) => `${p.cluster} ${p.ready}/${p.total}`).join(', ')}`)).toEqual(['v1: east 1/1', 'v2: west 1/1']);
    expect(row.problems).toEqual([]);
    const tree = serviceTree(row);
    expect(tree.map((line) => line.replace(/helloworld-(v\d)-[a-z0-9]+-[a-z0-9]+/, 'helloworld-$1-<pod>'))).toEqual([
      'helloworld.sample.svc.cluster.local  2/2 endpoints ready in 2 clusters',
      '├─ subset v1 (version=v1)  ← 50% from sample/helloworld',
      '│  └─ east · network1 · 1/1 ready',
      '│     └─ helloworld-v1-<pod>  ready  istio-proxy',
      '└─ subset v2 (version=v2)  ← 50% from sample/helloworld',
      '   └─ west · network2 · 1/1 ready',
      '      └─ helloworld-v2-<pod>  ready  istio-proxy',
    ]);
  });

  it('marks what exists in one cluster only (httpbin runs in east alone), and nothing else', async () => {
    const rows = await rowsOf(t, (rows) => rows.some((r) => r.key === 'sample/httpbin'));
    expect(rows.flatMap((r) => r.problems.map((p) => `${r.key} ${p.code} ${p.cluster}`))).toEqual(['sample/httpbin single-cluster east']);
    expect(rows.find((r) => r.key === 'sample/httpbin')!.virtualServices.map((v) => `${v.ref} via ${v.gateways.join(',')}`)).toEqual(['sample/httpbin via httpbin-gateway']);
  });
});

describe('services across clusters on the broken scenario', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await startTestSim({ scenario: 'broken' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('a subset with no pods anywhere, and a legacy *.global ServiceEntry, as applied with kubectl', async () => {
    const dr = HELLOWORLD_DR.replace('  - name: v2\n    labels:\n      version: v2\n', '  - name: v2\n    labels:\n      version: v2\n  - name: v3\n    labels:\n      version: v3\n');
    const entry = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: helloworld-west
  namespace: sample
spec:
  hosts:
  - helloworld.sample.global
  location: MESH_INTERNAL
  ports:
  - name: http
    number: 5000
    protocol: http
  resolution: DNS
  endpoints:
  - address: 192.0.2.10
    ports:
      http: 15443
`;
    const applied = await kubectl(t.kubeconfigPath, ['--context', 'east', 'apply', '-f', '-'], `${dr}---\n${entry}`);
    expect(applied.code, applied.stderr).toBe(0);
    const rows = await rowsOf(t, (rows) => rows.some((r) => r.key === 'sample/helloworld' && r.subsets.length === 3 && r.legacyServiceEntries.length === 1));
    const row = rows.find((r) => r.key === 'sample/helloworld')!;
    expect(row.clusters.map((c) => c.cluster)).toEqual(['east', 'west']);
    expect(row.problems.map((p) => `${p.code} ${p.severity}${p.cluster ? ` ${p.cluster}` : ''}`)).toEqual(['subset-without-pods error', 'legacy-global warning east']);
  });
});
