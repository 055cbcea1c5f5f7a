import { describe, expect, it } from 'vitest';
import { checkClusters } from '../../../source/mesh/doctor/clusters.js';
import { check, healthyMesh, NOW } from '../../helpers/doctor-snapshot.js';
import { snapshot } from '../../helpers/snapshot.js';

describe('checkClusters', () => {
  it('says nothing about clusters that answered', () => {
    expect(check(healthyMesh(), checkClusters)).toEqual([]);
  });

  it('an unreachable cluster is an error naming the reason', () => {
    const findings = check([snapshot({ name: 'west', state: 'down', error: 'connection refused', retryAt: NOW + 2_000 })], checkClusters);
    expect(findings).toEqual([
      {
        code: 'MD-CLUSTER-001',
        severity: 'error',
        cluster: 'west',
        object: 'Cluster/west',
        message: 'the API server at https://west.example:6443 cannot be reached: connection refused',
        fix: "check that the cluster is up and reachable from here (kubectl --context west get --raw /version), and the context's credentials",
      },
    ]);
  });

  it('a cluster that went away after answering says the other checks used its last state', () => {
    const [finding] = check([snapshot({ name: 'west', state: 'stale', error: 'connection reset', lastEventAt: NOW - 95_000 })], checkClusters);
    expect(finding!.message).toBe('the API server at https://west.example:6443 cannot be reached: connection reset; the other checks used what it last said (1m35s ago)');
  });

  it('a cluster still connecting at the deadline is a warning', () => {
    expect(check([snapshot({ name: 'west', state: 'connecting' })], checkClusters)).toEqual([expect.objectContaining({ code: 'MD-CLUSTER-002', severity: 'warning' })]);
  });

  it('kinds the credentials may not read are an info finding: their checks were skipped', () => {
    const findings = check([snapshot({ name: 'west', forbidden: ['secrets in istio-system'] })], checkClusters);
    expect(findings).toEqual([expect.objectContaining({ code: 'MD-CLUSTER-003', severity: 'info', message: 'these credentials may not read secrets in istio-system; checks that need it were skipped for west' })]);
  });
});
