import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyClusters, type CaLiveState } from '../../../source/actions/ca/index.js';
import { createIntermediateCa, createRootCa, type CacertsBundle, type KeyedCertificate } from '../../../source/pki/authority.js';

const SAMPLE_DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'istio-sample-certs');
const read = (file: string) => readFileSync(join(SAMPLE_DIR, file), 'utf8');
const SAMPLE: CacertsBundle = { caCertPem: read('ca-cert.pem'), caKeyPem: read('ca-key.pem'), certChainPem: read('cert-chain.pem'), rootCertPem: read('root-cert.pem') };
const now = () => new Date();

function plugged(cluster: string, bundle: CacertsBundle, distributedPem: string, extra: Partial<CaLiveState> = {}): CaLiveState {
  return {
    cluster,
    istioNamespace: true,
    cacerts: { resourceVersion: '1', labels: {}, annotations: {}, data: { 'ca-cert.pem': bundle.caCertPem, 'ca-key.pem': bundle.caKeyPem, 'cert-chain.pem': bundle.certChainPem, 'root-cert.pem': bundle.rootCertPem } },
    rootConfigMap: { resourceVersion: '1', rootCertPem: distributedPem },
    istiods: [{ name: 'istiod', generation: 1, replicas: 1 }],
    istiodPods: [],
    ...extra,
  };
}

describe('verifyClusters: which roots clusters use, and whether they share one', () => {
  let root: KeyedCertificate;
  let east: CacertsBundle;
  let west: CacertsBundle;
  let selfSigned: KeyedCertificate;

  beforeAll(async () => {
    [root, selfSigned] = await Promise.all([createRootCa({ key: { type: 'ecdsa' } }), createRootCa({ key: { type: 'ecdsa' }, organization: 'cluster.local', commonName: 'istiod' })]);
    [east, west] = await Promise.all(['east', 'west'].map((cluster) => createIntermediateCa(root, { cluster, key: { type: 'ecdsa' } }))) as [CacertsBundle, CacertsBundle];
  });

  it('finds a shared root', () => {
    const report = verifyClusters([{ state: plugged('east', east, root.certPem) }, { state: plugged('west', west, root.certPem) }], now());
    expect(report.shared).toBe(true);
    expect(report.clusters.map((c) => [c.cluster, c.source, c.loaded, c.activeRoot?.subject])).toEqual([
      ['east', 'cacerts', true, 'O=Istio, CN=Root CA'],
      ['west', 'cacerts', true, 'O=Istio, CN=Root CA'],
    ]);
    expect(report.findings.map((f) => f.code)).toEqual(['shared-root']);
  });

  it("names the clusters that do not share a root: one on istiod's own root, one on Istio's sample CA", () => {
    const own: CaLiveState = {
      cluster: 'central',
      istioNamespace: true,
      selfSigned: { resourceVersion: '1', labels: {}, annotations: {}, data: { 'ca-cert.pem': selfSigned.certPem } },
      rootConfigMap: { resourceVersion: '1', rootCertPem: selfSigned.certPem },
      istiods: [{ name: 'istiod', generation: 1, replicas: 1 }],
      istiodPods: [],
    };
    const report = verifyClusters([{ state: plugged('east', SAMPLE, SAMPLE.rootCertPem) }, { state: plugged('west', west, root.certPem) }, { state: own }], now());
    expect(report.shared).toBe(false);
    expect(report.groups.map((g) => g.clusters)).toEqual([['east'], ['west'], ['central']]);
    const differ = report.findings.find((f) => f.code === 'roots-differ')!;
    expect(differ.severity).toBe('error');
    expect(differ.message).toMatch(/^the clusters do not share a root: east uses C=US, .*CN=Root CA, emailAddress=testrootca@istio\.io \(SHA-256 63:72:7A:17…\); west uses O=Istio, CN=Root CA \(SHA-256 [0-9A-F:]+…\); central uses O=cluster\.local, CN=istiod/);
    expect(report.findings).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'sample-ca', where: 'east: istio-system/cacerts root-cert.pem' }));
    expect(report.clusters.find((c) => c.cluster === 'east')!.sample).toBe(true);
  });

  it('warns when istiod has not loaded cacerts yet, and tells how to restart it', () => {
    const report = verifyClusters([{ state: plugged('east', east, selfSigned.certPem) }], now());
    expect(report.clusters[0]).toMatchObject({ loaded: false, activeRoot: { subject: 'O=cluster.local, CN=istiod' }, configuredRoot: { subject: 'O=Istio, CN=Root CA' } });
    expect(report.findings).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'not-loaded', where: 'east: istio-system/cacerts', message: expect.stringMatching(/istiod has not loaded it; restart istiod \(meshdeck ca install --restart, or kubectl rollout restart deploy\/istiod -n istio-system\)$/) }),
    ]);
  });

  it('accepts clusters that trust each other through a root bundle (a rotation in progress)', () => {
    const both = selfSigned.certPem + root.certPem;
    const report = verifyClusters([{ state: plugged('east', east, both) }, { state: plugged('west', west, root.certPem) }], now());
    expect(report.shared).toBe(true);
  });

  it('reports unreachable clusters, clusters without Istio, and a broken cacerts', () => {
    const broken = plugged('west', { ...west, caKeyPem: east.caKeyPem }, root.certPem);
    const report = verifyClusters([{ cluster: 'north', error: 'connection refused' }, { state: { cluster: 'south', istioNamespace: false, istiods: [], istiodPods: [] } }, { state: broken }], now());
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => `${f.where}: ${f.message}`)).toEqual([
      'north: cannot be read: connection refused',
      'south: has no istio-system namespace: install Istio first (istioctl install)',
      'west: istio-system/cacerts ca-key.pem: does not match ca-cert.pem (ECDSA P-256 key of another key pair); use the key that was made together with ca-cert.pem',
    ]);
    expect(report.shared).toBe(false);
  });
});
