import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../source/sim/objects.js';
import { ago, table } from './fixtures.js';

const service: KubeObject = {
  metadata: { name: 'reviews', namespace: 'bookinfo', uid: 'u1', resourceVersion: '17', creationTimestamp: ago(60), labels: { app: 'reviews' } },
  spec: { clusterIPs: ['10.96.1.2'], ports: [{ port: 9080, protocol: 'TCP' }] },
};

describe('toTable envelope', () => {
  it('wraps rows in a meta.k8s.io/v1 Table with list metadata', () => {
    const result = table('', 'Service', [service], { resourceVersion: '99', continueToken: 'abc', remainingItemCount: 3 });
    expect(result.kind).toBe('Table');
    expect(result.apiVersion).toBe('meta.k8s.io/v1');
    expect(result.metadata).toEqual({ resourceVersion: '99', continue: 'abc', remainingItemCount: 3 });
    expect(result.columnDefinitions).toContainEqual({
      name: 'Name',
      type: 'string',
      format: 'name',
      description: expect.any(String),
      priority: 0,
    });
  });

  it('leaves out an empty continue token', () => {
    expect(table('', 'Service', [service]).metadata).toEqual({ resourceVersion: '42' });
  });

  it('puts PartialObjectMetadata in rows by default', () => {
    const rows = table('', 'Service', [service]).rows as unknown as Array<{ object: unknown }>;
    expect(rows[0]!.object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: service.metadata });
  });

  it('puts the whole object, with kind and apiVersion, for includeObject=Object', () => {
    const rows = table('apps', 'Deployment', [{ metadata: { name: 'web' }, spec: {} }], { includeObject: 'Object' })
      .rows as unknown as Array<{ object: unknown }>;
    expect(rows[0]!.object).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: {} });
  });

  it('omits the object for includeObject=None', () => {
    const rows = table('', 'Service', [service], { includeObject: 'None' }).rows as unknown as Array<Record<string, unknown>>;
    expect(rows[0]).not.toHaveProperty('object');
  });

  it('does not share column definitions or metadata between tables and the store', () => {
    const first = table('', 'Service', [service]);
    (first.columnDefinitions as unknown as Array<{ name: string }>)[0]!.name = 'Mutated';
    ((first.rows as unknown as Array<{ object: { metadata: { name: string } } }>)[0]!.object.metadata).name = 'changed';
    expect((table('', 'Service', []).columnDefinitions as unknown as Array<{ name: string }>)[0]!.name).toBe('Name');
    expect(service.metadata.name).toBe('reviews');
  });
});
