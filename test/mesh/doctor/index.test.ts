import { describe, expect, it } from 'vitest';
import { countFindings, DOCTOR_CODES, findingKeys, runDoctor, type Finding } from '../../../source/mesh/doctor/index.js';
import { DerivationCache, deriveMeshModel } from '../../../source/mesh/model.js';
import { check, healthyMesh, meshCluster, NOW, summary } from '../../helpers/doctor-snapshot.js';
import { snapshot } from '../../helpers/snapshot.js';

describe('runDoctor', () => {
  it('finds nothing in a healthy primary-remote mesh on two networks', () => {
    expect(check(healthyMesh())).toEqual([]);
  });

  it('finds nothing in standalone clusters that are not joined, nor in clusters without Istio', () => {
    const snapshots = [meshCluster({ name: 'east', network: 'network1' }), meshCluster({ name: 'west', network: 'network2' }), meshCluster({ name: 'plain', role: 'none' })];
    expect(check(snapshots)).toEqual([]);
  });

  it('sorts by severity, then by cluster in the snapshots’ order, then by code', () => {
    const [east, west] = healthyMesh({ east: { clusterz: { west: 'syncing' }, meshId: 'other' }, west: { networkLabel: false } });
    const findings = check([west!, east!, snapshot({ name: 'north', state: 'down', error: 'connection refused' })]);
    expect(summary(findings)).toEqual([
      'MD-MESH-001 west ConfigMap/istio-system/istio-sidecar-injector',
      'MD-CLUSTER-001 north Cluster/north',
      'MD-NET-001 west Namespace/istio-system',
      'MD-REMOTE-001 east Secret/istio-system/istio-remote-secret-west',
    ]);
  });

  it('uses only codes from the catalogue, each with a fix', () => {
    const snapshots = healthyMesh({ east: { clusterz: { west: 'timeout' }, meshId: 'mesh2' }, west: { networkLabel: false } });
    const model = deriveMeshModel(snapshots, NOW, new DerivationCache());
    const findings = runDoctor(snapshots, model, NOW);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(Object.keys(DOCTOR_CODES)).toContain(f.code);
      expect(f.fix.length).toBeGreaterThan(10);
      expect(f.object).toMatch(/^[A-Z]\w+\/[^/]+(\/[^/]+)?$/);
    }
    expect(countFindings(findings)).toEqual({ error: findings.filter((f) => f.severity === 'error').length, warning: findings.filter((f) => f.severity === 'warning').length, info: findings.filter((f) => f.severity === 'info').length });
  });

  it('gives each finding a stable key: cluster/code/object, numbered when one object has several', () => {
    const f = (code: string, object: string): Finding => ({ code, severity: 'error', cluster: 'east', object, message: '', fix: '' });
    expect(findingKeys([f('MD-TRUST-003', 'Secret/istio-system/cacerts'), f('MD-TRUST-002', 'Secret/istio-system/cacerts'), f('MD-TRUST-003', 'Secret/istio-system/cacerts')])).toEqual([
      'east/MD-TRUST-003/Secret/istio-system/cacerts',
      'east/MD-TRUST-002/Secret/istio-system/cacerts',
      'east/MD-TRUST-003/Secret/istio-system/cacerts#2',
    ]);
  });
});
