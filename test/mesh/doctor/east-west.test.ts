import { describe, expect, it } from 'vitest';
import { checkEastWest } from '../../../source/mesh/doctor/east-west.js';
import { check, crossNetworkGateway, gateway, healthyMesh, summary } from '../../helpers/doctor-snapshot.js';

describe('checkEastWest', () => {
  it('is quiet when each network has an east-west gateway passing 15443 through', () => {
    expect(check(healthyMesh(), checkEastWest)).toEqual([]);
  });

  it('reports a network without an east-west gateway (MD-EW-001)', () => {
    const findings = check(healthyMesh({ west: { gateways: ['ingress'] } }), checkEastWest);
    expect(findings).toEqual([expect.objectContaining({ code: 'MD-EW-001', severity: 'error', cluster: 'west', object: 'Cluster/west', fix: expect.stringContaining('gen-eastwest-gateway.sh --network network2') })]);
  });

  it('needs no east-west gateway on a single-network mesh', () => {
    expect(check(healthyMesh({ east: { network: 'network1', gateways: [] }, west: { network: 'network1', gateways: [] } }), checkEastWest)).toEqual([]);
  });

  it('reports an east-west Service without 15443, and without 15012/15017 where remotes reach istiod (MD-EW-002)', () => {
    const partial = gateway('eastwest', { ports: [15021, 15443] });
    const findings = check(healthyMesh({ east: { gateways: ['ingress'], objects: { deployments: [partial.deployment], services: [partial.service], pods: [partial.pod] } } }), checkEastWest);
    expect(findings).toEqual([expect.objectContaining({ code: 'MD-EW-002', cluster: 'east', object: 'Service/istio-system/istio-eastwestgateway', message: expect.stringMatching(/lacks port 15012, 15017 \(remotes west reach istiod through it\)/) })]);
    const noTls = gateway('eastwest', { ports: [15021, 15012, 15017] });
    const west = check(healthyMesh({ west: { gateways: ['ingress'], objects: { deployments: [noTls.deployment], services: [noTls.service], pods: [noTls.pod] } } }), checkEastWest);
    expect(west).toEqual([expect.objectContaining({ code: 'MD-EW-002', cluster: 'west', message: expect.stringContaining('lacks port 15443;') })]);
  });

  it('reports a network whose east-west gateways nothing passes through (MD-EW-003)', () => {
    // west is a remote: istiod reads Gateways from east, so east's cross-network Gateway covers west too.
    expect(check(healthyMesh({ west: { crossNetwork: false } }), checkEastWest)).toEqual([]);
    const findings = check(healthyMesh({ east: { crossNetwork: false, objects: { gateways: [crossNetworkGateway({ mode: 'PASSTHROUGH' })] } } }), checkEastWest);
    expect(summary(findings)).toEqual(['MD-EW-003 east Deployment/istio-system/istio-eastwestgateway', 'MD-EW-003 west Deployment/istio-system/istio-eastwestgateway']);
  });
});
