import { describe, expect, it } from 'vitest';
import { deriveWorkloadRows, sidecarState, WorkloadRowsIndex } from '../../source/mesh/workloads.js';
import type { KubeObject } from '../../source/kube/types.js';
import { deploymentPod, namespace, pod, snapshot } from '../helpers/snapshot.js';

const rowsOf = (pods: KubeObject[], namespaces: KubeObject[] = [namespace('default')]) => deriveWorkloadRows(snapshot({ objects: { pods, namespaces } }));

describe('deriveWorkloadRows: which workload a pod belongs to', () => {
  it.each([
    ['a ReplicaSet pod with its pod-template-hash → the Deployment', deploymentPod('reviews-v1', 'x7kq2'), 'Deployment', 'reviews-v1'],
    ['a Deployment whose name has dashes and digits', deploymentPod('istio-ingressgateway-1-24', 'abcde', {}, '6b8c9d7f5'), 'Deployment', 'istio-ingressgateway-1-24'],
    ['a ReplicaSet made by hand (no pod-template-hash) → the ReplicaSet', pod({ name: 'legacy-rs-abcde', owner: { kind: 'ReplicaSet', name: 'legacy-rs' } }), 'ReplicaSet', 'legacy-rs'],
    ['a hash label that does not end the owner name → the ReplicaSet', pod({ name: 'odd-1', labels: { 'pod-template-hash': 'zzz' }, owner: { kind: 'ReplicaSet', name: 'odd-7d4b9c8f6d' } }), 'ReplicaSet', 'odd-7d4b9c8f6d'],
    ['a bare pod → itself', pod({ name: 'debug-shell' }), 'Pod', 'debug-shell'],
    ['a StatefulSet pod', pod({ name: 'redis-0', owner: { kind: 'StatefulSet', name: 'redis' } }), 'StatefulSet', 'redis'],
    ['a DaemonSet pod', pod({ name: 'istio-cni-node-q8w4z', owner: { kind: 'DaemonSet', name: 'istio-cni-node' } }), 'DaemonSet', 'istio-cni-node'],
    ['a Job pod', pod({ name: 'migrate-28371-abcde', owner: { kind: 'Job', name: 'migrate-28371' } }), 'Job', 'migrate-28371'],
    ['a static pod mirrored by its Node → itself', pod({ name: 'kube-apiserver-east-node-1', owner: { kind: 'Node', name: 'east-node-1' } }), 'Pod', 'kube-apiserver-east-node-1'],
  ])('%s', (_scenario, object, kind, name) => {
    const [row] = rowsOf([object]);
    expect(row).toMatchObject({ kind, name, cluster: 'east', namespace: 'default', key: `east/default/${kind}/${name}` });
  });

  it('groups the pods of one Deployment (two ReplicaSets during a rollout) into one row', () => {
    const rows = rowsOf([
      deploymentPod('reviews-v2', 'aaaaa', { labels: { app: 'reviews', version: 'v2' } }, '5d8f9c7b4'),
      deploymentPod('reviews-v2', 'bbbbb', { labels: { app: 'reviews', version: 'v2' }, ready: false }, '5d8f9c7b4'),
      deploymentPod('reviews-v2', 'ccccc', { labels: { app: 'reviews', version: 'v2' } }, '66c4d9f8b7'),
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'reviews-v2', version: 'v2', ready: 2, total: 3 });
    expect(rows[0]!.pods).toEqual(['default/reviews-v2-5d8f9c7b4-aaaaa', 'default/reviews-v2-5d8f9c7b4-bbbbb', 'default/reviews-v2-66c4d9f8b7-ccccc']);
  });

  it('keeps same-named workloads in different namespaces apart', () => {
    const rows = rowsOf([deploymentPod('api', 'a1', { namespace: 'shop' }), deploymentPod('api', 'b1', { namespace: 'payments' })], [namespace('shop'), namespace('payments')]);
    expect(rows.map((r) => r.key).sort()).toEqual(['east/payments/Deployment/api', 'east/shop/Deployment/api']);
  });

  it.each([
    ['no restarts', [[0, 0]], 0],
    ['restarts summed over containers', [[3, 1]], 4],
    ['restarts summed over pods', [[2, 0], [5, 0]], 7],
  ])('restarts: %s', (_scenario, perPod, expected) => {
    const pods = perPod.map((restarts, i) => deploymentPod('ratings-v1', `p${i}`, { containers: ['ratings', 'istio-proxy'], restarts }));
    expect(rowsOf(pods)[0]!.restarts).toBe(expected);
  });

  it('takes the version from app.kubernetes.io/version when there is no version label', () => {
    expect(rowsOf([deploymentPod('cart', 'a', { labels: { 'app.kubernetes.io/version': '2.1.0' } })])[0]!.version).toBe('2.1.0');
    expect(rowsOf([deploymentPod('cart', 'a')])[0]!.version).toBeUndefined();
  });
});

describe('sidecar state', () => {
  const injected = { containers: ['app', 'istio-proxy'], initContainers: ['istio-init'] };
  it.each([
    ['istio-proxy container', 'injected', namespace('shop', { 'istio-injection': 'enabled' }), injected],
    ['native sidecar: istio-proxy as a restartable init container', 'injected', namespace('shop', { 'istio-injection': 'enabled' }), { containers: ['app'], initContainers: ['istio-validation', 'istio-proxy'] }],
    ['istio-proxy in a namespace that no longer asks for it', 'injected', namespace('shop'), injected],
    ['no proxy, namespace istio-injection=enabled', 'missing', namespace('shop', { 'istio-injection': 'enabled' }), {}],
    ['no proxy, namespace labelled istio.io/rev (revisioned install)', 'missing', namespace('shop', { 'istio.io/rev': '1-24' }), {}],
    ['no proxy, namespace istio-injection=disabled wins over istio.io/rev', 'none', namespace('shop', { 'istio-injection': 'disabled', 'istio.io/rev': '1-24' }), {}],
    ['no proxy, namespace without injection labels', 'none', namespace('shop'), {}],
    ['no proxy, namespace unknown to the cache', 'none', undefined, {}],
    ['opted out by pod annotation', 'disabled', namespace('shop', { 'istio-injection': 'enabled' }), { annotations: { 'sidecar.istio.io/inject': 'false' } }],
    ['opted out by pod label', 'disabled', namespace('shop', { 'istio.io/rev': 'canary' }), { labels: { 'sidecar.istio.io/inject': 'false' } }],
    ['pod label sidecar.istio.io/inject=true asks for injection in a plain namespace', 'missing', namespace('shop'), { labels: { 'sidecar.istio.io/inject': 'true' } }],
    ['pod label istio.io/rev asks for injection in a plain namespace', 'missing', namespace('shop'), { labels: { 'istio.io/rev': '1-24' } }],
    ['pod label inject=true cannot override namespace istio-injection=disabled', 'none', namespace('shop', { 'istio-injection': 'disabled' }), { labels: { 'sidecar.istio.io/inject': 'true' } }],
    ['the label wins over the deprecated annotation', 'missing', namespace('shop', { 'istio-injection': 'enabled' }), { labels: { 'sidecar.istio.io/inject': 'true' }, annotations: { 'sidecar.istio.io/inject': 'false' } }],
  ] as const)('%s → %s', (_scenario, expected, ns, podInput) => {
    const object = deploymentPod('web', 'a', { namespace: 'shop', ...podInput });
    expect(sidecarState(object, ns)).toBe(expected);
    // The same through the row derivation (which sees the pod after projection).
    const rows = deriveWorkloadRows(snapshot({ objects: { pods: [object], namespaces: ns ? [ns] : [] } }));
    expect(rows[0]!.sidecar).toBe(expected);
  });

  const enabled = namespace('shop', { 'istio-injection': 'enabled' });
  const withProxy = (suffix: string) => deploymentPod('web', suffix, { namespace: 'shop', containers: ['web', 'istio-proxy'] });
  const without = (suffix: string, extra: Parameters<typeof deploymentPod>[2] = {}) => deploymentPod('web', suffix, { namespace: 'shop', ...extra });
  const optedOut = (suffix: string) => without(suffix, { annotations: { 'sidecar.istio.io/inject': 'false' } });
  it.each([
    ['all pods injected', 'injected', enabled, [withProxy('a'), withProxy('b')]],
    ['one pod restarted before the namespace was labelled', 'partial', enabled, [withProxy('a'), without('b')]],
    ['mid-rollout to an opted-out template', 'partial', enabled, [withProxy('a'), optedOut('b')]],
    ['the same, pods listed the other way round', 'partial', enabled, [optedOut('b'), withProxy('a')]],
    ['opted out and missing', 'missing', enabled, [optedOut('a'), without('b')]],
    ['the same, the other way round', 'missing', enabled, [without('b'), optedOut('a')]],
  ] as const)('a workload whose pods differ: %s → %s', (_scenario, expected, ns, pods) => {
    const [row] = deriveWorkloadRows(snapshot({ objects: { pods: [...pods], namespaces: [ns] } }));
    expect(row!.sidecar).toBe(expected);
  });
});

describe('WorkloadRowsIndex: incremental rows', () => {
  const sample = namespace('sample', { 'istio-injection': 'enabled' });
  const injected = { namespace: 'sample', containers: ['app', 'istio-proxy'] };
  // Each step is a whole pod list, as the reflector's cache would hold it after some watch events.
  const steps: [string, KubeObject[], KubeObject[]][] = [
    ['start', [deploymentPod('cart', 'a', injected), deploymentPod('cart', 'b', injected), pod({ name: 'debug', namespace: 'sample' })], [sample]],
    ['a pod stops being ready', [deploymentPod('cart', 'a', { ...injected, ready: false }), deploymentPod('cart', 'b', injected), pod({ name: 'debug', namespace: 'sample' })], [sample]],
    ['a pod is added without a sidecar', [deploymentPod('cart', 'a', injected), deploymentPod('cart', 'b', injected), deploymentPod('cart', 'c', { namespace: 'sample' }), pod({ name: 'debug', namespace: 'sample' })], [sample]],
    ['a pod goes away, another workload appears', [deploymentPod('cart', 'b', injected), pod({ name: 'debug', namespace: 'sample' }), deploymentPod('shop', 'x', injected)], [sample]],
    ['the bare pod goes', [deploymentPod('cart', 'b', injected), deploymentPod('shop', 'x', injected)], [sample]],
    ['the namespace stops asking for injection', [deploymentPod('cart', 'b', injected), pod({ name: 'debug2', namespace: 'sample' })], [namespace('sample')]],
  ];

  it('gives the rows deriveWorkloadRows gives, step after step', () => {
    const index = new WorkloadRowsIndex();
    steps.forEach(([step, pods, namespaces], i) => {
      // Every object is new at every step (as after a relist), with resourceVersions that move.
      const snap = snapshot({ objects: { pods: pods.map((p) => ({ ...p, metadata: { ...p.metadata, resourceVersion: String(100 + i) } })), namespaces }, versions: { pods: i + 1, namespaces: i === 5 ? 2 : 1 } });
      const sort = (rows: ReturnType<typeof deriveWorkloadRows>) => [...rows].sort((a, b) => (a.key < b.key ? -1 : 1));
      expect(sort(index.rowsFor(snap)), step).toEqual(sort(deriveWorkloadRows(snap)));
    });
  });

  it('keeps the list and its row objects when only a label nobody shows changed', () => {
    const index = new WorkloadRowsIndex();
    const pods = [deploymentPod('cart', 'a', injected), pod({ name: 'debug', namespace: 'sample' })];
    const first = index.rowsFor(snapshot({ objects: { pods, namespaces: [sample] } }));
    const relabelled = pods.map((p) => ({ ...p, metadata: { ...p.metadata, resourceVersion: '999', labels: { ...p.metadata.labels, 'bench/round': '7' } } }));
    const second = index.rowsFor(snapshot({ objects: { pods: relabelled, namespaces: [sample] }, versions: { pods: 2 } }));
    expect(second).toBe(first);
  });
});
