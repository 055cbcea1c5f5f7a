import { describe, expect, it } from 'vitest';
import { restartPatch, restartStamp, rolloutProgress, wantedPods } from '../../../source/actions/inject/rollout.js';
import { selectorString } from '../../../source/actions/inject/live-state.js';

describe('rolloutProgress, as kubectl rollout status judges each kind', () => {
  it.each([
    ['Deployment', { metadata: { name: 'd', generation: 3 }, spec: { replicas: 2 }, status: { observedGeneration: 2 } }, 'waiting for the deployment controller to see the restart'],
    ['Deployment', { metadata: { name: 'd', generation: 3 }, spec: { replicas: 2 }, status: { observedGeneration: 3, replicas: 3, updatedReplicas: 2, availableReplicas: 2 } }, '1 old pod(s) still terminating'],
    ['Deployment', { metadata: { name: 'd', generation: 3 }, spec: { replicas: 2 }, status: { observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 2 } }, undefined],
    ['StatefulSet', { metadata: { name: 's', generation: 2 }, spec: { replicas: 3 }, status: { observedGeneration: 2, updatedReplicas: 1, readyReplicas: 3 } }, '1 of 3 pods updated'],
    ['StatefulSet', { metadata: { name: 's', generation: 2 }, spec: { replicas: 3 }, status: { observedGeneration: 2, updatedReplicas: 3, readyReplicas: 2 } }, '2 of 3 pods ready'],
    ['StatefulSet', { metadata: { name: 's', generation: 2 }, spec: { replicas: 3 }, status: { observedGeneration: 2, updatedReplicas: 3, readyReplicas: 3, currentRevision: 's-1', updateRevision: 's-2' } }, 'waiting for the last pods to update'],
    ['StatefulSet', { metadata: { name: 's', generation: 2 }, spec: { replicas: 3 }, status: { observedGeneration: 2, updatedReplicas: 3, readyReplicas: 3, currentRevision: 's-2', updateRevision: 's-2' } }, undefined],
    ['DaemonSet', { metadata: { name: 'x', generation: 5 }, status: { observedGeneration: 4 } }, 'waiting for the DaemonSet controller to see the restart'],
    ['DaemonSet', { metadata: { name: 'x', generation: 5 }, status: { observedGeneration: 5, desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 3 } }, '2 of 3 pods updated'],
    ['DaemonSet', { metadata: { name: 'x', generation: 5 }, status: { observedGeneration: 5, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 } }, '2 of 3 updated pods available'],
    ['DaemonSet', { metadata: { name: 'x', generation: 5 }, status: { observedGeneration: 5, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 } }, undefined],
  ] as const)('%s: %s', (kind, object, expected) => {
    expect(rolloutProgress(kind, structuredClone(object) as never)).toBe(expected);
  });

  it('knows how many pods each kind wants', () => {
    expect(wantedPods('Deployment', { metadata: { name: 'd' }, spec: { replicas: 4 } })).toBe(4);
    expect(wantedPods('DaemonSet', { metadata: { name: 'x' }, status: { desiredNumberScheduled: 7 } })).toBe(7);
  });
});

describe('the restart itself', () => {
  it('stamps as kubectl does (whole seconds), with milliseconds when that would change nothing', () => {
    const at = new Date('2025-06-01T12:00:00.250Z');
    expect(restartStamp(at, undefined)).toBe('2025-06-01T12:00:00Z');
    expect(restartStamp(at, '2025-06-01T12:00:00Z')).toBe('2025-06-01T12:00:00.250Z');
  });

  it('is a merge patch of the template annotation that carries the planned resourceVersion', () => {
    expect(JSON.parse(restartPatch('2025-06-01T12:00:00Z', '812'))).toEqual({ metadata: { resourceVersion: '812' }, spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-06-01T12:00:00Z' } } } } });
  });

  it('lists pods by the workload selector, expressions included', () => {
    expect(selectorString({ matchLabels: { app: 'db', tier: 'data' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }, { key: 'canary', operator: 'DoesNotExist' }, { key: 'zone', operator: 'Exists' }, { key: 'x', operator: 'NotIn', values: ['y'] }] })).toBe(
      'app=db,tier=data,env in (a,b),!canary,zone,x notin (y)',
    );
    expect(selectorString({})).toBeUndefined();
  });
});
