import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGETS, configMap, freshNamespace, type Target } from './targets.js';

describe.each(TARGETS)('paging with limit and continue: $kind', ({ start }) => {
  let target: Target;
  let ns: string;
  const cms = () => `/api/v1/namespaces/${ns}/configmaps`;
  beforeAll(async () => {
    target = await start();
    ns = await freshNamespace(target, 'paging');
    // With kube-root-ca.crt: six config maps, three of them labelled.
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) {
      const labels = name === 'p1' || name === 'p3' || name === 'p5' ? { odd: 'yes' } : undefined;
      expect((await target.request(cms(), { method: 'POST', body: configMap(name, {}, labels) })).status).toBe(201);
    }
  });
  afterAll(async () => target?.stop());

  it('pages in key order at one resourceVersion, with remainingItemCount, until no continue', async () => {
    const first = await target.request(`${cms()}?limit=2`);
    expect(first.status).toBe(200);
    expect(first.json.items.map((i: any) => i.metadata.name)).toEqual(['kube-root-ca.crt', 'p1']);
    expect(first.json.metadata).toEqual({ resourceVersion: expect.stringMatching(/^\d+$/), continue: expect.any(String), remainingItemCount: 4 });
    const second = await target.request(`${cms()}?limit=2&continue=${encodeURIComponent(first.json.metadata.continue)}`);
    expect(second.json.items.map((i: any) => i.metadata.name)).toEqual(['p2', 'p3']);
    expect(second.json.metadata).toEqual({ resourceVersion: first.json.metadata.resourceVersion, continue: expect.any(String), remainingItemCount: 2 });
    const third = await target.request(`${cms()}?limit=2&continue=${encodeURIComponent(second.json.metadata.continue)}`);
    expect(third.json.items.map((i: any) => i.metadata.name)).toEqual(['p4', 'p5']);
    expect(third.json.metadata).toEqual({ resourceVersion: first.json.metadata.resourceVersion });
  });

  it('a limit equal to the number of items gives one page without continue', async () => {
    const all = await target.request(`${cms()}?limit=6`);
    expect(all.json.items).toHaveLength(6);
    expect(all.json.metadata).toEqual({ resourceVersion: expect.stringMatching(/^\d+$/) });
  });

  it('later pages show the list as it was at the first page (a consistent snapshot)', async () => {
    const first = await target.request(`${cms()}?limit=3`);
    expect(first.json.items.map((i: any) => i.metadata.name)).toEqual(['kube-root-ca.crt', 'p1', 'p2']);
    try {
      // After the first page: one object added after the cut, one deleted, one changed.
      expect((await target.request(cms(), { method: 'POST', body: configMap('p9') })).status).toBe(201);
      expect((await target.request(`${cms()}/p4`, { method: 'DELETE' })).status).toBe(200);
      expect((await target.request(`${cms()}/p5`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { data: { changed: 'yes' } } })).status).toBe(200);
      const rest = await target.request(`${cms()}?limit=10&continue=${encodeURIComponent(first.json.metadata.continue)}`);
      expect(rest.json.items.map((i: any) => i.metadata.name)).toEqual(['p3', 'p4', 'p5']);
      expect(rest.json.items[2].data ?? {}).toEqual({});
      expect(rest.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion);
      // A new list sees the present.
      const now = await target.request(cms());
      expect(now.json.items.map((i: any) => i.metadata.name)).toEqual(['kube-root-ca.crt', 'p1', 'p2', 'p3', 'p5', 'p9']);
    } finally {
      // Put things back for the other tests.
      await target.request(`${cms()}/p9`, { method: 'DELETE' });
      await target.request(cms(), { method: 'POST', body: configMap('p4') });
      await target.request(`${cms()}/p5`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { data: null } });
    }
  });

  it('with a label selector, pages hold only matching items and carry no remainingItemCount', async () => {
    const first = await target.request(`${cms()}?limit=2&labelSelector=odd%3Dyes`);
    expect(first.json.items.map((i: any) => i.metadata.name)).toEqual(['p1', 'p3']);
    expect(first.json.metadata).toEqual({ resourceVersion: expect.stringMatching(/^\d+$/), continue: expect.any(String) });
    const second = await target.request(`${cms()}?limit=2&labelSelector=odd%3Dyes&continue=${encodeURIComponent(first.json.metadata.continue)}`);
    expect(second.json.items.map((i: any) => i.metadata.name)).toEqual(['p5']);
    expect(second.json.metadata).toEqual({ resourceVersion: first.json.metadata.resourceVersion });
  });

  it('refuses a continue token it did not make with 400 BadRequest', async () => {
    const bad = await target.request(`${cms()}?limit=2&continue=not-a-token`);
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400, message: expect.stringMatching(/^invalid continue token: continue key is not valid: /) });
  });

  it('reads limit as kube-apiserver does: negative is no limit, anything but an integer is a 400', async () => {
    const negative = await target.request(`${cms()}?limit=-1`);
    expect([negative.status, negative.json.items.length, negative.json.metadata.continue]).toEqual([200, 6, undefined]);
    for (const raw of ['abc', '1.5', '']) {
      const bad = await target.request(`${cms()}?limit=${raw}`);
      expect({ status: bad.status, body: bad.json }).toEqual({
        status: 400,
        body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`, reason: 'BadRequest', code: 400 },
      });
    }
    const watch = await target.request(`${cms()}?watch=true&timeoutSeconds=abc`);
    expect([watch.status, watch.json.message]).toEqual([400, 'strconv.ParseInt: parsing "abc": invalid syntax']);
  });

  it('kubectl get --chunk-size pages through everything', async () => {
    const out = await target.kubectl(['get', 'configmaps', '-n', ns, '--chunk-size=2', '-o', 'name']);
    expect(out.stderr).toBe('');
    expect(out.stdout.trim().split('\n')).toEqual(['configmap/kube-root-ca.crt', 'configmap/p1', 'configmap/p2', 'configmap/p3', 'configmap/p4', 'configmap/p5']);
  });
});
