import { describe, expect, it } from 'vitest';
import { projectFor } from '../../source/kube/project.js';
import { WATCHED_KINDS } from '../../source/kube/watched-kinds.js';
import { pod, remoteSecret } from '../helpers/snapshot.js';

describe('projections: what the caches keep', () => {
  const secretKinds = WATCHED_KINDS.filter((kind) => kind.path.endsWith('/secrets'));

  it('watches at least one kind of Secret (remote secrets)', () => {
    expect(secretKinds.map((k) => k.id)).toContain('remoteSecrets');
  });

  it.each(secretKinds.map((k) => [k.id]))('%s: secret values never reach the cache, only which keys exist', (id) => {
    const secret = { ...remoteSecret('west'), stringData: { north: 'apiVersion: v1\nusers:\n- user:\n    token: another-secret\n' } };
    const kept = projectFor(id)(secret);
    expect(kept['data']).toBeUndefined();
    expect(kept['stringData']).toBeUndefined();
    expect(kept['dataKeys']).toEqual(['west', 'north']);
    expect(JSON.stringify(kept)).not.toMatch(/s3cr3t|another-secret|dG9rZW4|c3ViamVjdA/);
    expect(kept.metadata).toMatchObject({ name: 'istio-remote-secret-west', namespace: 'istio-system', labels: { 'istio/multiCluster': 'true' }, annotations: { 'networking.istio.io/cluster': 'west' } });
  });

  it('pods keep what the derivations read and drop the rest', () => {
    const object = pod({ name: 'web-1', labels: { app: 'web', 'pod-template-hash': 'abc' }, owner: { kind: 'ReplicaSet', name: 'web-abc' }, containers: ['web', 'istio-proxy'], initContainers: ['istio-init'], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"huge":true}', 'sidecar.istio.io/status': '{"containers":["istio-proxy"]}' }, restarts: [2, 1] });
    const kept = projectFor('pods')(object);
    // Nothing the derivations read lives in these annotations; the owner's uid is not read either.
    expect(kept.metadata.annotations).toBeUndefined();
    expect(kept.metadata.ownerReferences).toEqual([{ kind: 'ReplicaSet', name: 'web-abc', uid: '', controller: true }]);
    const spec = kept['spec'] as { containers: { name: string; image: string }[]; initContainers: { name: string }[] };
    expect(spec.containers.map((c) => c.name)).toEqual(['web', 'istio-proxy']);
    expect(spec.containers[1]!.image).toBe('docker.io/istio/proxyv2:1.24.2');
    expect(spec.initContainers.map((c) => c.name)).toEqual(['istio-init']);
    expect(JSON.stringify(spec)).not.toContain('terminationMessagePath');
    const status = kept['status'] as { conditions: unknown[]; containerStatuses: { restartCount: number }[] };
    expect(status.conditions).toEqual([{ type: 'Ready', status: 'True' }]);
    expect(status.containerStatuses.map((s) => s.restartCount)).toEqual([2, 1]);
  });
});
