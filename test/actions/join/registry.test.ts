import { describe, expect, it } from 'vitest';
import { missingFromRegistry, remoteServiceNames, verifyRegistry, type ReaderAnswer, type RegistryzService } from '../../../source/actions/join/index.js';
import type { KubeApi } from '../../../source/actions/join/types.js';

// The simulator tests (test/cli/join.test.ts) reach the registry check over HTTP; these pin its decisions.

const T = { primary: 'east', remote: 'west', clusterName: 'west', istiodService: 'istiod' };
const ACCESS = { server: 'https://10.0.0.5:6443', insecure: false, token: 'x' };
const svc = (namespace: string, name: string) => ({ metadata: { namespace, name } });
const entry = (key: string, clusters: string[]): RegistryzService => {
  const [namespace, name] = key.split('/');
  return { hostname: `${name}.${namespace}.svc.cluster.local`, Attributes: { Name: name!, Namespace: namespace! }, clusterVIPs: { Addresses: Object.fromEntries(clusters.map((c) => [c, ['10.0.0.1']])) } };
};
const ok = (items: unknown[]): ReaderAnswer => ({ outcome: 'ok', detail: 'HTTP 200', status: 200, body: JSON.stringify({ items }) });
const forbidden: ReaderAnswer = { outcome: 'forbidden', detail: 'HTTP 403 Forbidden', status: 403 };
const api = (registry: () => unknown): KubeApi => ({ requestJson: async () => registry() }) as unknown as KubeApi;

describe('the remote services looked for', () => {
  it("leaves out kube-system's and default/kubernetes (every cluster has them), sorted", () => {
    expect(remoteServiceNames([svc('sample', 'sleep'), svc('kube-system', 'kube-dns'), svc('default', 'kubernetes'), svc('default', 'web'), svc('istio-system', 'istiod')])).toEqual(['default/web', 'istio-system/istiod', 'sample/sleep']);
  });

  it('counts a hostname only when its clusterVIPs name the remote (the primary may have the same service)', () => {
    const registry = [entry('sample/sleep', ['east']), entry('sample/helloworld', ['east', 'west']), { hostname: 'x.y.svc.cluster.local', clusterVIPs: { Addresses: null } }];
    expect(missingFromRegistry(['sample/helloworld', 'sample/sleep', 'other/gone'], registry, 'west')).toEqual(['sample/sleep', 'other/gone']);
  });
});

describe('verifyRegistry', () => {
  const deps = (over: Partial<Parameters<typeof verifyRegistry>[1]>) => ({ api: api(() => []), access: ACCESS, deadline: Date.now() + 200, pollMs: 20, onProgress: () => {}, ...over });

  it("passes once istiod's registry lists every remote service for the remote's cluster ID, reporting progress", async () => {
    let calls = 0;
    const progress: string[] = [];
    const registry = () => (++calls < 3 ? [entry('sample/sleep', ['west'])] : [entry('sample/sleep', ['west']), entry('sample/helloworld', ['east', 'west'])]);
    const result = await verifyRegistry(T, deps({ api: api(registry), get: async () => ok([svc('sample', 'sleep'), svc('sample', 'helloworld')]), onProgress: (m) => progress.push(m), deadline: Date.now() + 5000 }));
    expect(result).toMatchObject({ ok: true, expected: ['sample/helloworld', 'sample/sleep'], missing: [] });
    expect(result.lines).toEqual(["✓ east's registry has west's services: 2 of 2 (sample/helloworld, sample/sleep)"]);
    expect(progress[0]).toBe("east's registry has 1 of 2 of west's services");
  });

  it('a reader that may not list services fails at once with the RBAC cause, without waiting for istiod', async () => {
    const result = await verifyRegistry(T, deps({ get: async () => forbidden, deadline: Date.now() + 60_000 }));
    expect(result).toMatchObject({ ok: false, cause: 'reader-rbac' });
    expect(result.lines[0]).toBe("✗ istiod on east reports west synced, but its registry can get none of west's services");
    expect(result.lines[1]).toMatch(/^ {2}cause: west refuses the remote secret's reader token to list services \(HTTP 403 Forbidden\)/);
  });

  it('a reader that may list services but not endpointslices: the same cause, naming endpointslices', async () => {
    const get = async (_: unknown, path: string) => (path.includes('endpointslices') ? forbidden : ok([svc('sample', 'sleep')]));
    const result = await verifyRegistry(T, deps({ get }));
    expect(result).toMatchObject({ ok: false, cause: 'reader-rbac', expected: ['sample/sleep'] });
    expect(result.lines[1]).toContain('to list endpointslices.discovery.k8s.io (HTTP 403 Forbidden)');
  });

  it('services istiod never registers: after the deadline, which are missing and the likely cause', async () => {
    const result = await verifyRegistry(T, deps({ api: api(() => [entry('sample/sleep', ['west'])]), get: async () => ok([svc('sample', 'sleep'), svc('shop', 'cart'), svc('shop', 'db'), svc('shop', 'web'), svc('shop', 'api')]) }));
    expect(result).toMatchObject({ ok: false, cause: 'not-in-registry', missing: ['shop/api', 'shop/cart', 'shop/db', 'shop/web'] });
    expect(result.lines[0]).toBe("✗ istiod on east reports west synced, but 4 of west's 5 services are not in its registry (missing shop/api, shop/cart, shop/db and 1 more)");
    expect(result.lines[1]).toMatch(/discoverySelectors/);
  });

  it('cannot check (registryz unreadable, or the remote not reachable from here): a warning, not a failure', async () => {
    const unreadable = await verifyRegistry(T, deps({ api: { requestJson: async () => Promise.reject(new Error('HTTP 404 NotFound')) } as unknown as KubeApi, get: async () => ok([svc('sample', 'sleep')]) }));
    expect(unreadable).toMatchObject({ ok: true, skipped: "istiod's /debug/registryz in east cannot be read (HTTP 404 NotFound)" });
    expect(unreadable.lines[0]).toMatch(/^! /);
    const far = await verifyRegistry(T, deps({ get: async () => ({ outcome: 'unreachable', detail: 'no route to host' }) }));
    expect(far).toMatchObject({ ok: true });
    expect(far.lines[0]).toBe("! west's services in east's registry not checked: https://10.0.0.5:6443 cannot be asked for the remote's services from here (no route to host)");
  });

  it('a remote with no services of its own passes with a note', async () => {
    expect((await verifyRegistry(T, deps({ get: async () => ok([svc('kube-system', 'kube-dns')]) }))).lines).toEqual(["✓ west has no services outside kube-system yet: nothing to look for in east's registry"]);
  });
});
