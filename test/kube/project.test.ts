import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectFor } from '../../source/kube/project.js';
import { SharedParts } from '../../source/kube/shared-parts.js';
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

  it('pods of one ReplicaSet share their repeated parts, frozen, so 50,000 pods cost a few shapes', () => {
    const replica = (name: string, restarts: number[]) => projectFor('pods')(pod({ name, labels: { app: 'web', 'pod-template-hash': 'abc' }, owner: { kind: 'ReplicaSet', name: 'web-abc' }, containers: ['web', 'istio-proxy'], restarts }));
    const [a, b, c] = [replica('web-1', [0, 0]), replica('web-2', [0, 0]), replica('web-3', [4, 0])];
    expect(b.metadata.labels).toBe(a.metadata.labels);
    expect(b.metadata.ownerReferences).toBe(a.metadata.ownerReferences);
    expect(b['spec']).toBe(a['spec']);
    expect((b['status'] as { conditions: unknown }).conditions).toBe((a['status'] as { conditions: unknown }).conditions);
    expect((b['status'] as { containerStatuses: unknown }).containerStatuses).toBe((a['status'] as { containerStatuses: unknown }).containerStatuses);
    // What differs stays apart: the name, and the restarts of the third pod.
    expect(b.metadata.name).toBe('web-2');
    expect((c['status'] as { containerStatuses: { restartCount: number }[] }).containerStatuses[0]!.restartCount).toBe(4);
    expect(() => {
      (a.metadata.labels as Record<string, string>)['app'] = 'changed';
    }).toThrow(TypeError);
    expect(b.metadata.labels?.['app']).toBe('web');
  });
});

describe('deployment projections', () => {
  const deployment = (namespace: string, templateLabels: Record<string, string>) => ({
    metadata: { name: 'web', namespace, labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate' }, template: { metadata: { labels: templateLabels, annotations: { 'sidecar.istio.io/inject': 'true', other: 'x' } }, spec: { dnsPolicy: 'ClusterFirst', containers: [{ name: 'web', image: 'web:1', env: [{ name: 'A', value: 'b' }], terminationMessagePath: '/dev/termination-log' }] } } },
    status: { replicas: 3, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 3, conditions: [{ type: 'Available', message: 'Deployment has minimum availability.' }] },
  });

  it('an application Deployment keeps its replicas, selector, template labels and inject annotation, and drops the rest', () => {
    const kept = projectFor('deployments')(deployment('shop', { app: 'web', version: 'v1' }));
    expect(kept['spec']).toEqual({ replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', version: 'v1' }, annotations: { 'sidecar.istio.io/inject': 'true' } }, spec: { containers: [{ name: 'web' }] } } });
    expect(kept['status']).toEqual({ replicas: 3, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 3 });
    expect(kept.metadata.annotations).toBeUndefined();
  });

  it.each([
    ['istio-system (istiod: its env is read)', 'istio-system', { app: 'istiod' }],
    ['a gateway anywhere (its containers are read)', 'ingress', { istio: 'ingressgateway' }],
  ])('%s keeps its whole spec', (_what, namespace, labels) => {
    const kept = projectFor('deployments')(deployment(namespace, labels));
    expect(JSON.stringify(kept['spec'])).toContain('"env":[{"name":"A","value":"b"}]');
    expect(kept.metadata.annotations).toBeUndefined();
  });
});

describe('SharedParts', () => {
  it('gives back the first copy of equal values and stays within its cap', () => {
    const parts = new SharedParts(3);
    const first = parts.of({ a: '1' });
    expect(parts.of({ a: '1' })).toBe(first);
    expect(parts.of({ a: '2' })).not.toBe(first);
    parts.of({ a: '3' });
    parts.of({ a: '4' });
    expect(parts.size).toBeLessThanOrEqual(3);
    expect(parts.text('x')).toBe('x');
    expect(parts.of(undefined)).toBeUndefined();
  });
});

describe('projections for the mesh doctor', () => {
  const rootPem = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'istio-sample-certs', 'root-cert.pem'), 'utf8');
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const KEY = '-----BEGIN RSA PRIVATE KEY-----\nTUlJRXBBSUJBQUtDQVFFQXl6Q3hyL3h1MHp5NXJWQmlzbzlmZmdsMDBiUktzZWNyZXQ=\n-----END RSA PRIVATE KEY-----\n';

  it('watches istio-system secrets, VirtualServices, DestinationRules and ServiceEntries (the Istio kinds optional)', () => {
    const byId = new Map(WATCHED_KINDS.map((k) => [k.id, k]));
    expect(byId.get('istioSecrets')).toMatchObject({ path: '/api/v1/namespaces/istio-system/secrets' });
    for (const id of ['virtualServices', 'destinationRules', 'serviceEntries']) expect(byId.get(id)).toMatchObject({ path: expect.stringMatching(/^\/apis\/networking\.istio\.io\/v1\//), optional: true });
  });

  it.each([['remoteSecrets'], ['istioSecrets']])('%s: a remote secret keeps the server of each kubeconfig, never the token or CA data', (id) => {
    const kubeconfig = (server: string) => `apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: ${b64('CA-DATA')}\n    server: ${server}\n  name: c\ncontexts:\n- context: {cluster: c, user: u}\n  name: c\ncurrent-context: c\nusers:\n- name: u\n  user:\n    token: s3cr3t-token\n`;
    const secret = { ...remoteSecret('west'), data: { west: b64(kubeconfig('https://10.0.0.5:6443')), north: b64(kubeconfig('https://127.0.0.1:1')), broken: b64(': not yaml [') } };
    const kept = projectFor(id)(secret);
    expect(kept['dataKeys']).toEqual(['west', 'north', 'broken']);
    expect(kept['servers']).toEqual({ west: 'https://10.0.0.5:6443', north: 'https://127.0.0.1:1' });
    expect(JSON.stringify(kept)).not.toMatch(/s3cr3t|CA-DATA|Q0EtREFUQQ/);
  });

  it('cacerts and istio-ca-secret keep summaries of their public certificates and nothing of the key', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cacerts', namespace: 'istio-system' }, type: 'Opaque', data: { 'ca-cert.pem': b64(rootPem), 'ca-key.pem': b64(KEY), 'cert-chain.pem': b64(rootPem), 'root-cert.pem': b64(rootPem) } };
    const kept = projectFor('istioSecrets')(secret);
    expect(kept['dataKeys']).toEqual(['ca-cert.pem', 'ca-key.pem', 'cert-chain.pem', 'root-cert.pem']);
    const certificates = kept['certificates'] as Record<string, { fingerprint: string; subject: string; notAfter: string }[]>;
    expect(Object.keys(certificates).sort()).toEqual(['ca-cert.pem', 'cert-chain.pem', 'root-cert.pem']);
    expect(certificates['root-cert.pem']).toEqual([
      expect.objectContaining({ fingerprint: '63:72:7A:17:85:CA:B4:7A:CE:C5:C2:4C:C0:66:9C:20:82:4E:8A:E1:AC:28:07:9A:4D:2F:8C:83:05:92:E7:B0', subject: expect.stringContaining('CN=Root CA'), notAfter: '2117-12-31T19:15:51.000Z' }),
    ]);
    expect(JSON.stringify(kept)).not.toMatch(/PRIVATE KEY|TUlJRXBBSUJBQUtD|BEGIN CERTIFICATE/);
    expect(projectFor('istioSecrets')({ ...secret, metadata: { name: 'istio-ca-secret', namespace: 'istio-system' } })['certificates']).toBeDefined();
  });

  it('other secrets keep key names only', () => {
    const kept = projectFor('istioSecrets')({ metadata: { name: 'istio-ingressgateway-certs', namespace: 'istio-system' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(rootPem), 'tls.key': b64(KEY) } });
    expect(kept).toEqual({ metadata: { name: 'istio-ingressgateway-certs', namespace: 'istio-system' }, type: 'kubernetes.io/tls', dataKeys: ['tls.crt', 'tls.key'] });
  });
});
