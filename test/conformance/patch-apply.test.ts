import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGETS, configMap, freshNamespace, type Target } from './targets.js';

const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          { name: 'app', image: 'example/app:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 8080, name: 'http' }] },
          { name: 'helper', image: 'example/helper:1' },
        ],
      },
    },
  },
});

const virtualService = (name: string, host: string) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name },
  spec: { hosts: [host], http: [{ route: [{ destination: { host } }] }] },
});

describe.each(TARGETS)('patch and apply: $kind', ({ start }) => {
  let target: Target;
  let ns: string;
  const cms = () => `/api/v1/namespaces/${ns}/configmaps`;
  const deploys = () => `/apis/apps/v1/namespaces/${ns}/deployments`;
  const vss = () => `/apis/networking.istio.io/v1/namespaces/${ns}/virtualservices`;
  beforeAll(async () => {
    target = await start();
    ns = await freshNamespace(target, 'patch');
  });
  afterAll(async () => target?.stop());

  it('JSON merge patch: null removes a key, objects merge, lists are replaced', async () => {
    await target.request(cms(), { method: 'POST', body: configMap('merge', { a: '1', b: '2' }) });
    const res = await target.request(`${cms()}/merge`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { data: { a: null, c: '3' }, metadata: { labels: { x: 'y' } } } });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({ b: '2', c: '3' });
    expect(res.json.metadata.labels).toEqual({ x: 'y' });
  });

  it('strategic merge patch merges containers and env by name, and $patch: delete removes one', async () => {
    expect((await target.request(deploys(), { method: 'POST', body: deployment('web') })).status).toBe(201);
    const patch = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'app', image: 'example/app:2', env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }] },
              { name: 'helper', $patch: 'delete' },
              { name: 'sidecar', image: 'example/sidecar:1' },
            ],
          },
        },
      },
    };
    const res = await target.request(`${deploys()}/web`, { method: 'PATCH', contentType: 'application/strategic-merge-patch+json', body: patch });
    expect(res.status).toBe(200);
    const containers = res.json.spec.template.spec.containers;
    expect(containers.map((c: any) => [c.name, c.image])).toEqual([
      ['app', 'example/app:2'],
      ['sidecar', 'example/sidecar:1'],
    ]);
    // Items keep their place; new ones follow.
    expect(containers[0].env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'two' },
      { name: 'C', value: '3' },
    ]);
    expect(containers[0].ports).toEqual([{ containerPort: 8080, name: 'http', protocol: 'TCP' }]);
    expect(res.json.metadata.generation).toBe(2);
  });

  it('JSON patch applies operations in order; a failed test operation changes nothing', async () => {
    const ok = await target.request(`${cms()}/merge`, {
      method: 'PATCH',
      contentType: 'application/json-patch+json',
      body: [
        { op: 'add', path: '/data/d', value: '4' },
        { op: 'remove', path: '/data/b' },
        { op: 'replace', path: '/data/c', value: 'three' },
      ],
    });
    expect(ok.status).toBe(200);
    expect(ok.json.data).toEqual({ c: 'three', d: '4' });
    const failed = await target.request(`${cms()}/merge`, { method: 'PATCH', contentType: 'application/json-patch+json', body: [{ op: 'test', path: '/data/c', value: 'nope' }, { op: 'remove', path: '/data/c' }] });
    expect({ status: failed.status, reason: failed.json.reason }).toEqual({ status: 422, reason: 'Invalid' });
    expect((await target.request(`${cms()}/merge`)).json.data).toEqual({ c: 'three', d: '4' });
  });

  it('a patch that carries a stale resourceVersion gets 409 Conflict', async () => {
    const res = await target.request(`${cms()}/merge`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { metadata: { resourceVersion: '1' }, data: { e: '5' } } });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409, details: { name: 'merge', kind: 'configmaps' } });
  });

  it('a patch of an object that does not exist gets 404 NotFound', async () => {
    const res = await target.request(`${cms()}/absent`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { data: { a: '1' } } });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ reason: 'NotFound', message: 'configmaps "absent" not found' });
  });

  it('a custom resource takes a merge patch and refuses a strategic merge patch with 415', async () => {
    expect((await target.request(vss(), { method: 'POST', body: virtualService('reviews', 'reviews') })).status).toBe(201);
    const merged = await target.request(`${vss()}/reviews`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { spec: { hosts: ['reviews', 'reviews.example.com'] } } });
    expect(merged.status).toBe(200);
    expect(merged.json.spec.hosts).toEqual(['reviews', 'reviews.example.com']);
    expect(merged.json.metadata.generation).toBe(2);
    const strategic = await target.request(`${vss()}/reviews`, { method: 'PATCH', contentType: 'application/strategic-merge-patch+json', body: { spec: { hosts: ['x'] } } });
    expect(strategic.status).toBe(415);
    expect(strategic.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      reason: 'UnsupportedMediaType',
      code: 415,
    });
  });

  it('kubectl apply: created, then unchanged (same resourceVersion), then configured', async () => {
    const manifest = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  namespace: ${ns}\ndata:\n  key: "${value}"\n`;
    const first = await target.kubectl(['apply', '-f', '-'], manifest('1'));
    expect([first.code, first.stdout.trim(), first.stderr]).toEqual([0, 'configmap/applied created', '']);
    const version = (await target.request(`${cms()}/applied`)).json.metadata.resourceVersion;
    const second = await target.kubectl(['apply', '-f', '-'], manifest('1'));
    expect([second.code, second.stdout.trim(), second.stderr]).toEqual([0, 'configmap/applied unchanged', '']);
    expect((await target.request(`${cms()}/applied`)).json.metadata.resourceVersion).toBe(version);
    const third = await target.kubectl(['apply', '-f', '-'], manifest('2'));
    expect([third.code, third.stdout.trim()]).toEqual([0, 'configmap/applied configured']);
    const stored = (await target.request(`${cms()}/applied`)).json;
    expect(stored.data).toEqual({ key: '2' });
    expect(JSON.parse(stored.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'])).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { annotations: {}, name: 'applied', namespace: ns }, data: { key: '2' } });
  });

  it('kubectl apply twice leaves a Deployment and a VirtualService unchanged', async () => {
    const yaml = (object: object) => JSON.stringify({ ...object, metadata: { ...(object as any).metadata, namespace: ns } });
    for (const object of [deployment('applied-web'), virtualService('applied-vs', 'ratings')]) {
      const first = await target.kubectl(['apply', '-f', '-'], yaml(object));
      expect(first.stderr).toBe('');
      expect(first.stdout.trim()).toMatch(/ created$/);
      const second = await target.kubectl(['apply', '-f', '-'], yaml(object));
      expect(second.stdout.trim()).toMatch(/ unchanged$/);
    }
  });

  it('kubectl apply removes what was dropped from the manifest and keeps what others added (three-way merge)', async () => {
    const manifest = (labels: string) => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: threeway\n  namespace: ${ns}\n  labels:\n${labels}spec:\n  hosts: [a]\n`;
    expect((await target.kubectl(['apply', '-f', '-'], manifest('    drop: me\n    keep: me\n'))).code).toBe(0);
    await target.request(`${vss()}/threeway`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { metadata: { labels: { added: 'elsewhere' } } } });
    expect((await target.kubectl(['apply', '-f', '-'], manifest('    keep: me\n'))).stdout.trim()).toBe('virtualservice.networking.istio.io/threeway configured');
    expect((await target.request(`${vss()}/threeway`)).json.metadata.labels).toEqual({ keep: 'me', added: 'elsewhere' });
  });

  it('kubectl apply --server-side: kube-apiserver applies, the simulator refuses with 415 (a documented gap)', async () => {
    const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: server-side\n  namespace: ${ns}\ndata:\n  key: "1"\n`;
    const out = await target.kubectl(['apply', '--server-side', '-f', '-'], manifest);
    if (target.kind === 'kube-apiserver') {
      expect([out.code, out.stdout.trim()]).toEqual([0, 'configmap/server-side serverside-applied']);
    } else {
      // README, "Conformance tier": the simulator has no server-side apply (no managedFields).
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('server-side apply (application/apply-patch+yaml) is not supported by this simulated API server');
    }
  });
});
