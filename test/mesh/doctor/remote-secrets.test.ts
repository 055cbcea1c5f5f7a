import { describe, expect, it } from 'vitest';
import { checkRemoteSecrets } from '../../../source/mesh/doctor/remote-secrets.js';
import { check, healthyMesh, meshCluster, serverOf, summary } from '../../helpers/doctor-snapshot.js';
import { snapshot } from '../../helpers/snapshot.js';

const NORTH = 'Secret/istio-system/istio-remote-secret-north';

describe('checkRemoteSecrets: istiod’s view (MD-REMOTE-001, MD-REMOTE-006)', () => {
  it('is quiet when istiod reports every remote synced', () => {
    expect(check(healthyMesh(), checkRemoteSecrets)).toEqual([]);
  });

  it.each([
    ['timeout', 'error'],
    ['closed', 'error'],
    ['syncing', 'warning'],
  ])('reports a remote istiod calls %s', (status, severity) => {
    const findings = check(healthyMesh({ east: { clusterz: { west: status } } }), checkRemoteSecrets);
    expect(findings).toEqual([expect.objectContaining({ code: 'MD-REMOTE-001', severity, cluster: 'east', object: 'Secret/istio-system/istio-remote-secret-west', message: expect.stringContaining(`as ${status}`) })]);
  });

  it('reports a secret istiod has not registered at all', () => {
    const findings = check(healthyMesh({ east: { clusterz: {} } }), checkRemoteSecrets);
    expect(findings).toEqual([expect.objectContaining({ code: 'MD-REMOTE-001', severity: 'warning', message: expect.stringContaining('not registered') })]);
  });

  it('says (info) when clusterz could not be read', () => {
    const findings = check(healthyMesh({ east: { clusterz: undefined } }), checkRemoteSecrets);
    expect(findings).toEqual([expect.objectContaining({ code: 'MD-REMOTE-006', severity: 'info', cluster: 'east' })]);
  });

  it("names why: istiod's refusal through the service proxy is not the credentials, and the fix is the port-forward RBAC", () => {
    const why = "port-forward to istiod-1 is not allowed (forbidden: ...); through the API server's service proxy: istiod refused /debug/clusterz through the API server's service proxy (HTTP 401 from istiod, not the API server: ...)";
    const mesh = healthyMesh({ east: { clusterz: undefined } }).map((s) => (s.name === 'east' ? { ...s, istiodError: why } : s));
    const [finding] = check(mesh, checkRemoteSecrets);
    expect(finding).toMatchObject({ code: 'MD-REMOTE-006', cluster: 'east' });
    expect(finding!.message).toBe(`istiod's /debug/clusterz could not be read (${why}), so whether istiod reached its 1 remote cluster(s) is unknown`);
    expect(finding!.fix).toMatch(/^the kubeconfig's credentials are fine; .*--verb=get,create --resource=pods\/portforward/);
    const other = check(healthyMesh({ east: { clusterz: undefined } }).map((s) => (s.name === 'east' ? { ...s, istiodError: 'HTTP 503 ServiceUnavailable' } : s)), checkRemoteSecrets)[0]!;
    expect(other.fix).toMatch(/get pods -l app=istiod/);
  });
});

describe('checkRemoteSecrets: the secret against the remote (MD-REMOTE-002, MD-REMOTE-003)', () => {
  it('reports a cluster ID that is not the remote’s own (matched by server address)', () => {
    const snapshots = [meshCluster({ name: 'east', remoteSecrets: [{ clusterId: 'cluster3', server: serverOf('central') }], clusterz: { cluster3: 'synced' } }), meshCluster({ name: 'central' })];
    const findings = check(snapshots, checkRemoteSecrets);
    expect(summary(findings)).toEqual(['MD-REMOTE-002 east Secret/istio-system/istio-remote-secret-cluster3']);
    expect(findings[0]!.message).toMatch(/names cluster ID cluster3, but its server .* is central, whose cluster ID is central/);
    expect(findings[0]!.fix).toContain('istioctl create-remote-secret --context=central --name=central | kubectl apply --context=east -f -');
  });

  it('reports a loopback server when istiod cannot sync it, not when it can', () => {
    const failing = check([meshCluster({ name: 'east', remoteSecrets: [{ clusterId: 'north', server: 'https://127.0.0.1:1' }], clusterz: { north: 'timeout' } })], checkRemoteSecrets);
    expect(summary(failing)).toEqual([`MD-REMOTE-001 east ${NORTH}`, `MD-REMOTE-003 east ${NORTH}`]);
    const synced = check([meshCluster({ name: 'east', remoteSecrets: [{ clusterId: 'north', server: 'https://localhost:6443' }], clusterz: { north: 'synced' } })], checkRemoteSecrets);
    expect(synced).toEqual([]);
  });
});

describe('checkRemoteSecrets: duplicate cluster IDs (MD-REMOTE-004)', () => {
  it('two secrets in one primary for the same cluster ID', () => {
    const east = meshCluster({ name: 'east', remoteSecrets: [{ clusterId: 'west' }, { clusterId: 'west', secretName: 'west-again' }], clusterz: { west: 'synced' } });
    const findings = check([east, meshCluster({ name: 'west', role: 'remote' })], checkRemoteSecrets);
    expect(summary(findings)).toEqual(['MD-REMOTE-004 east Secret/istio-system/west-again']);
  });

  it('a secret naming the primary’s own cluster ID', () => {
    const findings = check([meshCluster({ name: 'east', remoteSecrets: [{ clusterId: 'east', server: 'https://elsewhere:6443' }], clusterz: {} })], checkRemoteSecrets);
    expect(summary(findings)).toEqual(['MD-REMOTE-004 east Secret/istio-system/istio-remote-secret-east']);
  });

  it('two joined clusters with the same cluster ID, not two unrelated ones', () => {
    const joined = [meshCluster({ name: 'east', clusterId: 'Kubernetes', remoteSecrets: [{ clusterId: 'Kubernetes', server: serverOf('west') }], clusterz: {} }), meshCluster({ name: 'west', clusterId: 'Kubernetes' })];
    expect(summary(check(joined, checkRemoteSecrets))).toContain('MD-REMOTE-004 west ConfigMap/istio-system/istio-sidecar-injector');
    const apart = [meshCluster({ name: 'east', clusterId: 'Kubernetes' }), meshCluster({ name: 'west', clusterId: 'Kubernetes' })];
    expect(check(apart, checkRemoteSecrets)).toEqual([]);
  });
});

describe('checkRemoteSecrets: remotes nobody joined (MD-REMOTE-005)', () => {
  it('reports a remote whose primary holds no secret for it', () => {
    const findings = check(healthyMesh({ east: { remoteSecrets: [], clusterz: {} } }), checkRemoteSecrets);
    expect(findings).toEqual([expect.objectContaining({ code: 'MD-REMOTE-005', severity: 'error', cluster: 'west', object: 'Namespace/istio-system', fix: expect.stringContaining('--context=west') })]);
  });

  it('says nothing when the primary is out of view or unreachable', () => {
    const [, west] = healthyMesh();
    expect(check([west!], checkRemoteSecrets)).toEqual([]);
    expect(check([snapshot({ name: 'east', state: 'down', error: 'connection refused' }), west!], checkRemoteSecrets)).toEqual([]);
  });

describe('checkRemoteSecrets: secrets the credentials may not read', () => {
  it('does not call a remote unjoined when its primary’s secrets are hidden', () => {
    const snapshots = healthyMesh({ east: { remoteSecrets: [], clusterz: undefined, snapshot: { forbidden: ['secrets in istio-system'] } } });
    expect(check(snapshots, checkRemoteSecrets).map((f) => f.code)).not.toContain('MD-REMOTE-005');
  });
});
});
