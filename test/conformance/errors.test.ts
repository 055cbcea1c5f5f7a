import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGETS, configMap, freshNamespace, type Target } from './targets.js';

const failure = (code: number, reason: string, message: string, details?: object) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  ...(details ? { details } : {}),
  code,
});

describe.each(TARGETS)('Status errors: $kind', ({ start }) => {
  let target: Target;
  let ns: string;
  const cms = () => `/api/v1/namespaces/${ns}/configmaps`;
  beforeAll(async () => {
    target = await start();
    ns = await freshNamespace(target, 'errors');
    await target.request(cms(), { method: 'POST', body: configMap('present', { a: '1' }) });
  });
  afterAll(async () => target?.stop());

  it('404 NotFound for an object that does not exist', async () => {
    const res = await target.request(`${cms()}/absent`);
    expect(res.status).toBe(404);
    expect(res.json).toEqual(failure(404, 'NotFound', 'configmaps "absent" not found', { name: 'absent', kind: 'configmaps' }));
  });

  it('404 NotFound for an object of a named group', async () => {
    const res = await target.request(`/apis/apps/v1/namespaces/${ns}/deployments/absent`);
    expect(res.json).toEqual(failure(404, 'NotFound', 'deployments.apps "absent" not found', { name: 'absent', group: 'apps', kind: 'deployments' }));
  });

  it('404 NotFound when creating in a namespace that does not exist', async () => {
    const res = await target.request('/api/v1/namespaces/no-such-namespace/configmaps', { method: 'POST', body: configMap('x') });
    expect(res.status).toBe(404);
    expect(res.json).toEqual(failure(404, 'NotFound', 'namespaces "no-such-namespace" not found', { name: 'no-such-namespace', kind: 'namespaces' }));
  });

  it('404 NotFound for a resource the server does not serve', async () => {
    const res = await target.request(`/api/v1/namespaces/${ns}/widgets`);
    expect(res.status).toBe(404);
    expect(res.json).toEqual(failure(404, 'NotFound', 'the server could not find the requested resource', {}));
  });

  it('409 AlreadyExists on a second create', async () => {
    const res = await target.request(cms(), { method: 'POST', body: configMap('present') });
    expect(res.status).toBe(409);
    expect(res.json).toEqual(failure(409, 'AlreadyExists', 'configmaps "present" already exists', { name: 'present', kind: 'configmaps' }));
  });

  it('409 Conflict on an update from a stale resourceVersion', async () => {
    const current = (await target.request(`${cms()}/present`)).json;
    await target.request(`${cms()}/present`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { data: { a: String(Date.now()) } } });
    const res = await target.request(`${cms()}/present`, { method: 'PUT', body: { ...current, data: { a: 'stale' } } });
    expect(res.status).toBe(409);
    expect(res.json).toEqual(
      failure(409, 'Conflict', 'Operation cannot be fulfilled on configmaps "present": the object has been modified; please apply your changes to the latest version and try again', { name: 'present', kind: 'configmaps' }),
    );
  });

  it('422 Invalid with causes for a name that is not a DNS subdomain', async () => {
    const res = await target.request(cms(), { method: 'POST', body: configMap('Not_Valid') });
    expect(res.status).toBe(422);
    const detail =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    expect(res.json).toEqual(
      failure(422, 'Invalid', `ConfigMap "Not_Valid" is invalid: metadata.name: Invalid value: "Not_Valid": ${detail}`, {
        name: 'Not_Valid',
        kind: 'ConfigMap',
        causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "Not_Valid": ${detail}`, field: 'metadata.name' }],
      }),
    );
  });

  it('400 BadRequest when the body names another object than the URL', async () => {
    const current = (await target.request(`${cms()}/present`)).json;
    const res = await target.request(`${cms()}/present`, { method: 'PUT', body: { ...current, metadata: { ...current.metadata, name: 'other' } } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(failure(400, 'BadRequest', 'the name of the object (other) does not match the name on the URL (present)'));
  });

  it('405 MethodNotAllowed for PUT on a collection', async () => {
    const res = await target.request(cms(), { method: 'PUT', body: configMap('x') });
    expect(res.status).toBe(405);
    expect(res.json).toEqual(failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}));
  });

  it('a DELETE answers a Success Status naming what it deleted', async () => {
    const made = (await target.request(cms(), { method: 'POST', body: configMap('deleted-one') })).json;
    const res = await target.request(`${cms()}/deleted-one`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'deleted-one', kind: 'configmaps', uid: made.metadata.uid } });
  });

  it('401 Unauthorized for a token the server does not know', async () => {
    const res = await target.request(cms(), { token: 'not-a-token' });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(failure(401, 'Unauthorized', 'Unauthorized'));
  });

  it('403 Forbidden for a service account without RBAC, and kubectl says so', async () => {
    await target.request(`/api/v1/namespaces/${ns}/serviceaccounts`, { method: 'POST', body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'nobody' } } });
    const issued = await target.request(`/api/v1/namespaces/${ns}/serviceaccounts/nobody/token`, { method: 'POST', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } } });
    expect(issued.status).toBe(201);
    expect(issued.json).toMatchObject({ kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', status: { token: expect.any(String), expirationTimestamp: expect.any(String) } });
    const token = issued.json.status.token as string;
    const user = `system:serviceaccount:${ns}:nobody`;
    const res = await target.request(cms(), { token });
    expect(res.status).toBe(403);
    expect(res.json).toEqual(failure(403, 'Forbidden', `configmaps is forbidden: User "${user}" cannot list resource "configmaps" in API group "" in the namespace "${ns}"`, { kind: 'configmaps' }));
    const named = await target.request(`/apis/apps/v1/namespaces/${ns}/deployments/web`, { token });
    expect(named.json).toEqual(failure(403, 'Forbidden', `deployments.apps "web" is forbidden: User "${user}" cannot get resource "deployments" in API group "apps" in the namespace "${ns}"`, { name: 'web', group: 'apps', kind: 'deployments' }));
    const cluster = await target.request('/api/v1/nodes', { token });
    expect(cluster.json).toEqual(failure(403, 'Forbidden', `nodes is forbidden: User "${user}" cannot list resource "nodes" in API group "" at the cluster scope`, { kind: 'nodes' }));
    const review = await target.request('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      method: 'POST',
      token,
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: ns, verb: 'list', resource: 'configmaps' } } },
    });
    expect(review.status).toBe(201);
    expect(review.json.status).toMatchObject({ allowed: false });
  });

  it('kubectl prints the server errors the same way', async () => {
    const missing = await target.kubectl(['get', 'configmap', 'absent', '-n', ns]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): configmaps "absent" not found');
    const exists = await target.kubectl(['create', 'configmap', 'present', '-n', ns]);
    expect(exists.stderr.trim()).toBe('error: failed to create configmap: configmaps "present" already exists');
    const invalid = await target.kubectl(['create', 'configmap', 'Bad_Name', '-n', ns]);
    expect(invalid.stderr.trim()).toMatch(/^error: failed to create configmap: ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  });
});
