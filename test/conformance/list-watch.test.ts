import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGETS, configMap, freshNamespace, type Target } from './targets.js';

const versions = (events: { object: any }[]) => events.map((e) => Number(e.object.metadata.resourceVersion));

describe.each(TARGETS)('list, watch and resourceVersion: $kind', ({ start }) => {
  let target: Target;
  let ns: string;
  beforeAll(async () => {
    target = await start();
    ns = await freshNamespace(target, 'watch');
  });
  afterAll(async () => target?.stop());

  const cms = () => `/api/v1/namespaces/${ns}/configmaps`;

  it('lists with a numeric resourceVersion that covers every write before it', async () => {
    const created = await target.request(cms(), { method: 'POST', body: configMap('listed', { a: '1' }) });
    expect(created.status).toBe(201);
    const list = await target.request(cms());
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
    expect(Number(list.json.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(created.json.metadata.resourceVersion));
    expect(list.json.items.map((i: any) => i.metadata.name)).toEqual(['kube-root-ca.crt', 'listed']);
    // Items of a list carry no kind/apiVersion of their own in the real API server's JSON.
    expect(list.json.items[1]).toMatchObject({ metadata: { name: 'listed', namespace: ns }, data: { a: '1' } });
  });

  it('watches from a list version: ADDED, MODIFIED, DELETED in order, each at a newer version', async () => {
    const list = await target.request(cms());
    const from = Number(list.json.metadata.resourceVersion);
    const watch = target.watch(`${cms()}?watch=true&resourceVersion=${from}`);
    expect(await watch.status).toBe(200);
    expect((await target.request(cms(), { method: 'POST', body: configMap('w1', { a: '1' }) })).status).toBe(201);
    expect((await target.request(`${cms()}/w1`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { data: { a: '2' } } })).status).toBe(200);
    expect((await target.request(`${cms()}/w1`, { method: 'DELETE' })).status).toBe(200);
    const events = await watch.waitForEvents(3);
    watch.close();
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(events.map((e) => e.object.data.a)).toEqual(['1', '2', '2']);
    expect(events.every((e) => e.object.kind === 'ConfigMap' && e.object.apiVersion === 'v1')).toBe(true);
    const seen = versions(events);
    expect(seen[0]).toBeGreaterThan(from);
    expect(seen[1]).toBeGreaterThan(seen[0]!);
    expect(seen[2]).toBeGreaterThan(seen[1]!);
  });

  it('starts a watch without resourceVersion with ADDED for what exists, then follows', async () => {
    const watch = target.watch(`${cms()}?watch=true`);
    const initial = await watch.waitForEvents(2);
    expect(initial.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'kube-root-ca.crt'],
      ['ADDED', 'listed'],
    ]);
    await target.request(cms(), { method: 'POST', body: configMap('later') });
    const events = await watch.waitForEvents(3);
    watch.close();
    expect([events[2]!.type, events[2]!.object.metadata.name]).toEqual(['ADDED', 'later']);
  });

  it('a label-selector watch sees an object that stops matching as DELETED', async () => {
    await target.request(cms(), { method: 'POST', body: configMap('labelled', {}, { tier: 'front' }) });
    const list = await target.request(`${cms()}?labelSelector=tier%3Dfront`);
    expect(list.json.items.map((i: any) => i.metadata.name)).toEqual(['labelled']);
    const watch = target.watch(`${cms()}?watch=true&labelSelector=tier%3Dfront&resourceVersion=${list.json.metadata.resourceVersion}`);
    await watch.status;
    await target.request(`${cms()}/labelled`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { metadata: { labels: { tier: 'back' } } } });
    await target.request(`${cms()}/labelled`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { metadata: { labels: { tier: 'front' } } } });
    const events = await watch.waitForEvents(2);
    watch.close();
    expect(events.map((e) => e.type)).toEqual(['DELETED', 'ADDED']);
    // The object leaves as it was while it matched.
    expect(events[0]!.object.metadata.labels).toEqual({ tier: 'front' });
  });

  it('a field-selector watch on metadata.name sees only that object', async () => {
    const list = await target.request(cms());
    const watch = target.watch(`${cms()}?watch=true&fieldSelector=metadata.name%3Dchosen&resourceVersion=${list.json.metadata.resourceVersion}`);
    await watch.status;
    await target.request(cms(), { method: 'POST', body: configMap('other') });
    await target.request(cms(), { method: 'POST', body: configMap('chosen') });
    const events = await watch.waitForEvents(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    watch.close();
    expect(watch.events().map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'chosen']]);
    expect(events).toHaveLength(1);
  });

  it('a write that changes nothing keeps the resourceVersion and sends no event', async () => {
    const current = await target.request(`${cms()}/listed`);
    const list = await target.request(cms());
    const watch = target.watch(`${cms()}?watch=true&resourceVersion=${list.json.metadata.resourceVersion}`);
    await watch.status;
    const same = await target.request(`${cms()}/listed`, { method: 'PUT', body: current.json });
    expect(same.status).toBe(200);
    expect(same.json.metadata.resourceVersion).toBe(current.json.metadata.resourceVersion);
    await target.request(`${cms()}/listed`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { data: { a: '1' } } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    watch.close();
    expect(watch.events()).toEqual([]);
  });

  it('a watch from a version that is too old gets one ERROR event, 410 Expired, and ends', async () => {
    await target.expireHistory();
    const watch = target.watch(`${cms()}?watch=true&resourceVersion=1`);
    expect(await watch.status).toBe(200);
    const [event] = await watch.waitForEvents(1);
    await watch.ended;
    expect(event).toEqual({
      type: 'ERROR',
      object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: expect.stringMatching(/^too old resource version: 1 \(\d+\)$/), reason: 'Expired', code: 410 },
    });
    expect(watch.events()).toHaveLength(1);
  });

  it('a watch with timeoutSeconds ends by itself', async () => {
    const watch = target.watch(`${cms()}?watch=true&timeoutSeconds=1&resourceVersion=${(await target.request(cms())).json.metadata.resourceVersion}`);
    const started = Date.now();
    await watch.ended;
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses a resourceVersion that is not a number: 400 for a list, 500 (no reason) for a watch', async () => {
    const cause = 'resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax';
    const list = await target.request(`${cms()}?resourceVersion=abc&limit=1`);
    expect({ status: list.status, body: list.json }).toEqual({
      status: 400,
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `invalid resource version: ${cause}`, reason: 'BadRequest', code: 400 },
    });
    const watch = await target.request(`${cms()}?watch=true&resourceVersion=abc`);
    expect({ status: watch.status, body: watch.json }).toEqual({
      status: 500,
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: cause, code: 500 },
    });
  });
});
