import { describe, expect, it } from 'vitest';
import { checkMeshIdentity } from '../../../source/mesh/doctor/mesh-identity.js';
import { check, healthyMesh, meshCluster, summary } from '../../helpers/doctor-snapshot.js';

describe('checkMeshIdentity', () => {
  it('is quiet when joined clusters agree', () => {
    expect(check(healthyMesh(), checkMeshIdentity)).toEqual([]);
  });

  it('reports a mesh ID that differs from the primary’s (MD-MESH-001)', () => {
    const findings = check(healthyMesh({ west: { meshId: 'mesh2' } }), checkMeshIdentity);
    expect(findings).toEqual([expect.objectContaining({ code: 'MD-MESH-001', severity: 'error', cluster: 'west', message: expect.stringContaining("mesh ID mesh2 differs from east's mesh1") })]);
  });

  it('reports a trust domain that differs (MD-MESH-002)', () => {
    expect(summary(check(healthyMesh({ west: { trustDomain: 'west.example' } }), checkMeshIdentity))).toEqual(['MD-MESH-002 west ConfigMap/istio-system/istio']);
  });

  it('does not compare clusters that are not joined', () => {
    expect(check([meshCluster({ name: 'east', meshId: 'a', trustDomain: 'a.example' }), meshCluster({ name: 'west', meshId: 'b' })], checkMeshIdentity)).toEqual([]);
  });

  it('reports istio-system without a network label on a multi-network mesh (MD-NET-001)', () => {
    const findings = check(healthyMesh({ west: { networkLabel: false } }), checkMeshIdentity);
    expect(findings).toEqual([expect.objectContaining({ code: 'MD-NET-001', severity: 'warning', cluster: 'west', object: 'Namespace/istio-system', fix: 'kubectl --context west label namespace istio-system topology.istio.io/network=network2' })]);
  });

  it('needs no network label on a single-network mesh', () => {
    expect(check(healthyMesh({ east: { network: undefined }, west: { network: undefined } }), checkMeshIdentity)).toEqual([]);
    expect(check(healthyMesh({ west: { network: 'network1', networkLabel: false } }), checkMeshIdentity)).toEqual([]);
  });
});
