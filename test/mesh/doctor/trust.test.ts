import { describe, expect, it } from 'vitest';
import { checkTrust, isIstioSample } from '../../../source/mesh/doctor/trust.js';
import { ISTIO_SAMPLE_FINGERPRINTS } from '../../../source/pki/sample-ca.js';
import { cacerts, cert, check, healthyMesh, meshCluster, NOW, summary } from '../../helpers/doctor-snapshot.js';

const DAY = 86_400_000;
const at = (ms: number) => new Date(ms).toISOString();

describe('checkTrust: roots of trust (MD-TRUST-001)', () => {
  it('is quiet when joined clusters share a root', () => {
    expect(check(healthyMesh(), checkTrust)).toEqual([]);
  });

  it('reports a remote whose cacerts has another root than its primary', () => {
    const findings = check(healthyMesh({ west: { cacerts: cacerts(cert('Other Root'), 'west') } }), checkTrust);
    expect(summary(findings)).toEqual(['MD-TRUST-001 west Secret/istio-system/cacerts']);
    expect(findings[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(/differs from east's.*CN=Other Root.*CN=Root CA/) });
  });

  it('reports a primary joined under a remote secret that signs with its own self-signed root', () => {
    const root = cert('Root CA');
    const snapshots = [
      meshCluster({ name: 'east', remoteSecrets: [{ clusterId: 'central' }], cacerts: cacerts(root, 'east') }),
      meshCluster({ name: 'central', selfSigned: { 'ca-cert.pem': [cert('cluster.local')] } }),
    ];
    expect(summary(check(snapshots, checkTrust))).toContain('MD-TRUST-001 central Secret/istio-system/istio-ca-secret');
  });

  it('falls back to istio-ca-root-cert, and accepts a bundle that still holds the other root (rotation)', () => {
    const old = cert('Old Root');
    const rotated = { 'root-cert.pem': [cert('New Root'), old] };
    const snapshots = healthyMesh({ east: { cacerts: { 'root-cert.pem': [old] } }, west: { cacerts: rotated } });
    expect(check(snapshots, checkTrust)).toEqual([]);
    const viaConfigMap = healthyMesh({ east: { cacerts: undefined, rootCertificate: cert('A') }, west: { cacerts: undefined, rootCertificate: cert('B') } });
    expect(summary(check(viaConfigMap, checkTrust))).toContain('MD-TRUST-001 west ConfigMap/istio-system/istio-ca-root-cert');
  });

  it('does not compare clusters that are not joined', () => {
    const snapshots = [meshCluster({ name: 'east', cacerts: cacerts(cert('A'), 'east') }), meshCluster({ name: 'west', cacerts: cacerts(cert('B'), 'west') })];
    expect(check(snapshots, checkTrust)).toEqual([]);
  });
});

describe("checkTrust: Istio's sample CA (MD-TRUST-002)", () => {
  it("flags cacerts that hold the sample root or intermediate", () => {
    const [fingerprint] = [...ISTIO_SAMPLE_FINGERPRINTS.keys()];
    const sample = { ...cert('Root CA'), fingerprint: fingerprint!, subject: 'C=US, ST=California, L=Sunnyvale, O=Istio, OU=Test, CN=Root CA' };
    const findings = check(healthyMesh({ east: { cacerts: cacerts(sample, 'east') }, west: { cacerts: cacerts(sample, 'west') } }), checkTrust);
    expect(summary(findings)).toEqual(['MD-TRUST-002 east Secret/istio-system/cacerts', 'MD-TRUST-002 west Secret/istio-system/cacerts']);
    expect(findings[0]!.message).toMatch(/private key is public/);
    expect(findings[0]!.fix).toContain('meshdeck ca root --out certs && meshdeck ca intermediate --root certs --cluster east,west');
  });

  it("recognises the sample's alternative roots by their e-mail address, and nothing else", () => {
    expect(isIstioSample({ ...cert('Root CA'), subject: 'C=US, ST=California, L=Sunnyvale, O=Istio, OU=Test, CN=Root CA, emailAddress=testrootca@istio.io' })).toBe(true);
    expect(isIstioSample(cert('Root CA'))).toBe(false);
  });
});

describe('checkTrust: expiry (MD-TRUST-003)', () => {
  it.each([
    ['in 10 days: warning', NOW + 10 * DAY, 'warning'],
    ['yesterday: error', NOW - DAY, 'error'],
  ])('an intermediate expiring %s', (_name, notAfter, severity) => {
    const findings = check(healthyMesh({ west: { cacerts: cacerts(cert('Root CA'), 'west', at(notAfter)) } }), checkTrust);
    expect(findings).toEqual([expect.objectContaining({ code: 'MD-TRUST-003', severity, cluster: 'west', object: 'Secret/istio-system/cacerts', message: expect.stringMatching(/intermediate O=Istio, CN=Intermediate CA west \(ca-cert.pem\)/) })]);
  });

  it('a root that expires within 30 days, once per cluster however many places hold it', () => {
    const root = cert('Root CA', at(NOW + 20 * DAY));
    const findings = check(healthyMesh({ east: { cacerts: cacerts(root, 'east'), rootCertificate: root }, west: { cacerts: cacerts(root, 'west'), rootCertificate: root } }), checkTrust);
    expect(summary(findings)).toEqual(['MD-TRUST-003 east Secret/istio-system/cacerts', 'MD-TRUST-003 west Secret/istio-system/cacerts']);
    expect(findings[0]!.message).toMatch(/the root .* expires on .* \(in 20 days\)/);
  });

  it('nothing for certificates valid beyond 30 days', () => {
    expect(check(healthyMesh({ west: { cacerts: cacerts(cert('Root CA'), 'west', at(NOW + 31 * DAY)) } }), checkTrust)).toEqual([]);
  });
});

describe('checkTrust: cacerts on primaries of a multi-cluster mesh (MD-TRUST-004)', () => {
  it('warns about a joined primary without cacerts', () => {
    const snapshots = healthyMesh({ east: { cacerts: undefined, rootCertificate: cert('Root CA') } });
    expect(check(snapshots, checkTrust)).toEqual([expect.objectContaining({ code: 'MD-TRUST-004', severity: 'warning', cluster: 'east', object: 'Secret/istio-system/cacerts' })]);
  });

  it('says nothing for a standalone primary, a remote without cacerts, or when secrets are not watched', () => {
    expect(check([meshCluster({ name: 'east' })], checkTrust)).toEqual([]);
    expect(check(healthyMesh({ west: { cacerts: undefined } }), checkTrust)).toEqual([]);
    const [east, west] = healthyMesh({ east: { cacerts: undefined } });
    const { istioSecrets: _dropped, ...kinds } = east!.kinds;
    expect(check([{ ...east!, kinds }, west!], checkTrust)).toEqual([]);
  });

describe('checkTrust: secrets the credentials may not read', () => {
  it('does not take hidden secrets for a missing cacerts', () => {
    const snapshots = healthyMesh({ east: { cacerts: undefined, rootCertificate: cert('Root CA'), snapshot: { forbidden: ['secrets in istio-system'] } } });
    expect(check(snapshots, checkTrust)).toEqual([]);
  });
});
});
