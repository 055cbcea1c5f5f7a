import { describe, expect, it } from 'vitest';
import { certificatePhrase, checkProxies } from '../../../source/mesh/doctor/proxies.js';
import { check, gateway, healthyMesh, meshCluster, proxyPod, summary } from '../../helpers/doctor-snapshot.js';
import { namespace } from '../../helpers/snapshot.js';

const X509 = '2025-06-01T11:59:01.123456Z\twarning\tenvoy config grpc_stream.h:190\tStreamAggregatedResources gRPC config stream to xds-grpc closed since 19s ago: 14, connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority"';
const injected = namespace('sample', { 'istio-injection': 'enabled' });

describe('checkProxies: sidecars missing where injection is asked (MD-INJ-001)', () => {
  it('reports a labelled namespace whose pods started without a sidecar, once per namespace', () => {
    const pods = [proxyPod({ name: 'httpbin-7d4b9c8f6d-a', namespace: 'legacy', owner: 'httpbin', sidecar: false }), proxyPod({ name: 'sleep-7d4b9c8f6d-a', namespace: 'legacy', owner: 'sleep', sidecar: false })];
    const findings = check([meshCluster({ name: 'east', objects: { namespaces: [namespace('legacy', { 'istio-injection': 'enabled' })], pods } })], checkProxies);
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'MD-INJ-001',
        severity: 'warning',
        object: 'Namespace/legacy',
        message: expect.stringContaining('namespace legacy asks for injection (istio-injection=enabled), but 2 workload(s) run pods without a sidecar: httpbin, sleep'),
        fix: expect.stringContaining('kubectl --context east -n legacy rollout restart deployment/httpbin deployment/sleep'),
      }),
    ]);
  });

  it('says nothing where injection is not asked or every pod has its sidecar', () => {
    const plain = [proxyPod({ name: 'web-7d4b9c8f6d-a', namespace: 'platform', owner: 'web', sidecar: false })];
    const fine = [proxyPod({ name: 'web-7d4b9c8f6d-a', namespace: 'sample', owner: 'web' })];
    expect(check([meshCluster({ name: 'east', objects: { namespaces: [namespace('platform'), injected], pods: [...plain, ...fine] } })], checkProxies)).toEqual([]);
  });
});

describe('checkProxies: proxies that stay not ready (MD-PROXY-001, MD-PROXY-002)', () => {
  const notReady = [proxyPod({ name: 'sleep-7d4b9c8f6d-a', namespace: 'sample', owner: 'sleep', ready: false })];

  it('an error with the log line when a not-ready proxy logged a certificate error', () => {
    const findings = check(healthyMesh({ west: { objects: { namespaces: [injected], pods: notReady }, proxyLogs: [{ pod: 'sample/sleep-7d4b9c8f6d-a', line: X509 }] } }), checkProxies);
    expect(findings).toEqual([
      expect.objectContaining({ code: 'MD-PROXY-001', severity: 'error', cluster: 'west', object: 'Deployment/sample/sleep', message: '1 of 1 sidecar proxy not ready; the log of sample/sleep-7d4b9c8f6d-a shows a certificate error: x509: certificate signed by unknown authority' }),
    ]);
  });

  it('a warning for sidecars and an error for gateways without such evidence', () => {
    const gw = gateway('ingress', { ready: false });
    const findings = check(healthyMesh({ west: { gateways: ['eastwest'], objects: { namespaces: [injected], pods: [...notReady, gw.pod], deployments: [gw.deployment], services: [gw.service] }, proxyLogs: [] } }), checkProxies);
    const sorted = findings.sort((a, b) => a.object.localeCompare(b.object));
    expect(sorted.map((f) => [f.code, f.severity, f.object])).toEqual([
      ['MD-PROXY-002', 'error', 'Deployment/istio-system/istio-ingressgateway'],
      ['MD-PROXY-002', 'warning', 'Deployment/sample/sleep'],
    ]);
    expect(sorted[1]!.message).toBe('1 of 1 sidecar proxy not ready; their recent logs show no certificate error');
  });

  it('nothing for ready proxies', () => {
    expect(check(healthyMesh({ west: { objects: { namespaces: [injected], pods: [proxyPod({ name: 'sleep-7d4b9c8f6d-a', namespace: 'sample', owner: 'sleep' })] } } }), checkProxies)).toEqual([]);
  });

  it('pulls the error out of a long log line', () => {
    expect(certificatePhrase(X509)).toBe('x509: certificate signed by unknown authority');
    expect(certificatePhrase('tls: failed to verify certificate: bad')).toBe('tls: failed to verify certificate: bad');
    expect(certificatePhrase('y'.repeat(300))).toHaveLength(200);
  });
});

describe("checkProxies: proxy versions against istiod's (MD-PROXY-003)", () => {
  it("reports proxies on another version than the istiod serving them, in remotes against the primary's", () => {
    const old = [proxyPod({ name: 'sleep-7d4b9c8f6d-a', namespace: 'sample', owner: 'sleep', version: '1.26.1' }), proxyPod({ name: 'sleep-7d4b9c8f6d-b', namespace: 'sample', owner: 'sleep' })];
    const findings = check(healthyMesh({ west: { objects: { namespaces: [injected], pods: old } } }), checkProxies);
    expect(findings).toEqual([expect.objectContaining({ code: 'MD-PROXY-003', severity: 'warning', cluster: 'west', object: 'Deployment/sample/sleep', message: 'proxies run another version than istiod (1.27.3 in east): 1 on 1.26.1' })]);
  });

  it('says nothing when istiod’s version is unknown (primary out of view)', () => {
    const old = [proxyPod({ name: 'sleep-7d4b9c8f6d-a', namespace: 'sample', owner: 'sleep', version: '1.26.1' })];
    const [, west] = healthyMesh({ west: { objects: { namespaces: [injected], pods: old } } });
    expect(summary(check([west!], checkProxies))).toEqual([]);
  });
});
