import { describe, expect, it } from 'vitest';
import { strategiesForKind, type FieldStrategy, type StructStrategy } from '../../../source/sim/patch/patch-strategies.js';

function lookup(strategies: StructStrategy, path: string): FieldStrategy | undefined {
  const steps = path.split('.');
  let current: FieldStrategy | undefined = { fields: strategies };
  for (const step of steps) current = current?.fields?.[step];
  return current;
}

describe('strategiesForKind', () => {
  // Each row restates a patchStrategy/patchMergeKey tag from k8s.io/api.
  it.each<[string, string, FieldStrategy | undefined]>([
    ['Pod', 'spec.containers', expect.objectContaining({ strategy: 'merge', mergeKey: 'name' })],
    ['Pod', 'spec.initContainers', expect.objectContaining({ strategy: 'merge', mergeKey: 'name' })],
    ['Pod', 'spec.ephemeralContainers', expect.objectContaining({ strategy: 'merge', mergeKey: 'name' })],
    ['Pod', 'spec.volumes', { strategy: 'merge', mergeKey: 'name', retainKeys: true }],
    ['Pod', 'spec.imagePullSecrets', { strategy: 'merge', mergeKey: 'name' }],
    ['Pod', 'spec.hostAliases', { strategy: 'merge', mergeKey: 'ip' }],
    ['Pod', 'spec.containers.ports', { strategy: 'merge', mergeKey: 'containerPort' }],
    ['Pod', 'spec.containers.env', { strategy: 'merge', mergeKey: 'name' }],
    ['Pod', 'spec.containers.volumeMounts', { strategy: 'merge', mergeKey: 'mountPath' }],
    ['Pod', 'spec.containers.volumeDevices', { strategy: 'merge', mergeKey: 'devicePath' }],
    ['Pod', 'spec.ephemeralContainers.env', { strategy: 'merge', mergeKey: 'name' }],
    ['Pod', 'spec.tolerations', undefined],
    ['Pod', 'status.conditions', { strategy: 'merge', mergeKey: 'type' }],
    ['Pod', 'metadata.ownerReferences', { strategy: 'merge', mergeKey: 'uid' }],
    ['Pod', 'metadata.finalizers', { strategy: 'merge' }],
    ['Deployment', 'spec.template.spec.containers.ports', { strategy: 'merge', mergeKey: 'containerPort' }],
    ['Deployment', 'spec.template.metadata.finalizers', { strategy: 'merge' }],
    ['Deployment', 'spec.strategy', { retainKeys: true }],
    ['Deployment', 'status.conditions', { strategy: 'merge', mergeKey: 'type' }],
    ['ReplicaSet', 'spec.template.spec.volumes', { strategy: 'merge', mergeKey: 'name', retainKeys: true }],
    ['CronJob', 'spec.jobTemplate.spec.template.spec.containers.env', { strategy: 'merge', mergeKey: 'name' }],
    ['Service', 'spec.ports', { strategy: 'merge', mergeKey: 'port' }],
    ['Node', 'status.addresses', { strategy: 'merge', mergeKey: 'type' }],
    ['Node', 'status.conditions', { strategy: 'merge', mergeKey: 'type' }],
    ['Endpoints', 'subsets', { strategy: 'replace' }],
    ['ConfigMap', 'metadata.finalizers', { strategy: 'merge' }],
    ['ConfigMap', 'data', undefined],
  ])('%s %s', (kind, path, expected) => {
    expect(lookup(strategiesForKind(kind), path)).toEqual(expected);
  });

  it('gives kinds it does not know only the ObjectMeta strategies', () => {
    expect(Object.keys(strategiesForKind('VirtualService'))).toEqual(['metadata']);
    expect(Object.keys(strategiesForKind('constructor'))).toEqual(['metadata']);
  });
});
