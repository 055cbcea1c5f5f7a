import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../source/kube/types.js';
import { checkGateways } from '../../../source/mesh/doctor/gateways.js';
import { check, healthyMesh, summary } from '../../helpers/doctor-snapshot.js';

function istioGateway(name: string, selector: Record<string, string>, servers: { port: number; hosts?: string[]; protocol?: string }[], namespace = 'sample'): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace },
    spec: { selector, servers: servers.map((s) => ({ port: { number: s.port, name: 'http', protocol: s.protocol ?? 'HTTP' }, hosts: s.hosts ?? ['*'] })) },
  };
}

const INGRESS = { istio: 'ingressgateway' };

describe('checkGateways: ports and selectors', () => {
  it('accepts a server on a Service port or on its target port (httpbin-gateway on 80)', () => {
    const gateways = [istioGateway('httpbin-gateway', INGRESS, [{ port: 80 }]), istioGateway('direct', INGRESS, [{ port: 8443, hosts: ['a.example.com'] }])];
    expect(check(healthyMesh({ east: { objects: { gateways } } }), checkGateways)).toEqual([]);
  });

  it('reports a server port the selected gateway’s Service lacks (MD-GW-001, IST0162), in the remotes it configures too', () => {
    const findings = check(healthyMesh({ east: { objects: { gateways: [istioGateway('httpbin-gateway', INGRESS, [{ port: 8088 }])] } } }), checkGateways);
    expect(findings).toEqual([expect.objectContaining({ code: 'MD-GW-001', severity: 'error', cluster: 'east', object: 'Gateway/sample/httpbin-gateway' })]);
    expect(findings[0]!.message).toMatch(/server port 8088 .*Service\/istio-system\/istio-ingressgateway \(15021, 80→8080, 443→8443\); Service\/istio-system\/istio-ingressgateway in west/);
  });

  it('names every missing port in one finding per Gateway', () => {
    const findings = check(healthyMesh({ east: { objects: { gateways: [istioGateway('two', INGRESS, [{ port: 9000 }, { port: 80 }, { port: 8088 }])] } } }), checkGateways);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(/^server ports 8088, 9000 are not ports of the Service/);
  });

  it('reports a selector that matches no pods (MD-GW-002), but not one matching a remote’s gateway', () => {
    const findings = check(healthyMesh({ east: { objects: { gateways: [istioGateway('typo', { istio: 'ingresgateway' }, [{ port: 80 }])] } } }), checkGateways);
    expect(findings).toEqual([expect.objectContaining({ code: 'MD-GW-002', severity: 'warning', object: 'Gateway/sample/typo', message: expect.stringContaining('selector istio=ingresgateway matches no pods in east, west') })]);
    const remoteOnly = check(healthyMesh({ east: { gateways: ['eastwest'], objects: { gateways: [istioGateway('to-west', INGRESS, [{ port: 80 }])] } } }), checkGateways);
    expect(remoteOnly).toEqual([]);
  });
});

describe('checkGateways: port conflicts (MD-GW-003)', () => {
  it('reports two Gateways claiming one port for overlapping hosts on one gateway', () => {
    const gateways = [istioGateway('a', INGRESS, [{ port: 443, hosts: ['*.example.com'], protocol: 'HTTPS' }]), istioGateway('b', INGRESS, [{ port: 443, hosts: ['shop/api.example.com'], protocol: 'HTTPS' }])];
    const findings = check(healthyMesh({ east: { objects: { gateways } } }), checkGateways);
    // Reported once, in east (where both live), though west's ingress gateway takes them too.
    expect(summary(findings)).toEqual(['MD-GW-003 east Gateway/sample/b']);
    expect(findings[0]!.message).toMatch(/claims port 443 for api\.example\.com .* as Gateway\/sample\/a does for \*\.example\.com/);
  });

  it('accepts distinct hosts on one port, and the same Gateway in a remote and its primary', () => {
    const gateways = [istioGateway('a', INGRESS, [{ port: 443, hosts: ['a.example.com'] }]), istioGateway('b', INGRESS, [{ port: 443, hosts: ['b.example.com'] }])];
    expect(check(healthyMesh({ east: { objects: { gateways } } }), checkGateways)).toEqual([]);
    // healthyMesh has cross-network-gateway in both east and west: west's proxies take east's only.
    expect(check(healthyMesh(), checkGateways)).toEqual([]);
  });
});
