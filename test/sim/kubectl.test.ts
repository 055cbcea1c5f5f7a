import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestSim, waitFor, type TestSim } from '../helpers/sim.js';
import { kubectl, kubectlStream } from '../helpers/kubectl.js';

const samples = join(import.meta.dirname, '..', 'fixtures', 'samples');

describe('meshdeck sim, driven by the real kubectl', () => {
  let t: TestSim;
  const k = (...args: string[]) => kubectl(t.kubeconfigPath, args);

  beforeAll(async () => {
    t = await startTestSim({ clusters: 2, podsPerCluster: 30 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('writes a private kubeconfig with one context per cluster', async () => {
    expect(statSync(t.kubeconfigPath).mode & 0o777).toBe(0o600);
    const contexts = await k('config', 'get-contexts', '-o', 'name');
    expect(contexts.stdout.trim().split('\n')).toEqual(['east', 'west']);
  });

  it('lists pods across namespaces with the columns of a real server', async () => {
    const result = await k('--context', 'west', 'get', 'pods', '-A');
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines).toHaveLength(31);
    expect(lines.slice(1).every((line) => /\s1\/1\s+Running\s+0\s/.test(line))).toBe(true);
  });

  it('serves discovery so api-resources lists core, apps and Istio kinds', async () => {
    const result = await k('api-resources', '-o', 'name');
    expect(result.code, result.stderr).toBe(0);
    for (const name of ['pods', 'deployments.apps', 'gateways.networking.istio.io', 'virtualservices.networking.istio.io', 'peerauthentications.security.istio.io', 'endpointslices.discovery.k8s.io']) {
      expect(result.stdout.split('\n')).toContain(name);
    }
  });

  it('applies real Istio sample manifests, and re-applying is a no-op', async () => {
    expect((await k('create', 'namespace', 'sample')).code).toBe(0);
    const first = await k('apply', '-n', 'sample', '-f', join(samples, 'helloworld.yaml'), '-f', join(samples, 'httpbin-gateway.yaml'));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('deployment.apps/helloworld-v1 created');
    expect(first.stdout).toContain('virtualservice.networking.istio.io/httpbin created');
    const second = await k('apply', '-n', 'sample', '-f', join(samples, 'helloworld.yaml'), '-f', join(samples, 'httpbin-gateway.yaml'));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim().split('\n').every((line) => line.endsWith(' unchanged'))).toBe(true);
    const pods = await waitFor(async () => {
      const r = await k('get', 'pods', '-n', 'sample', '-l', 'app=helloworld', '-o', 'json');
      const items = JSON.parse(r.stdout).items as { status: { phase: string } }[];
      return items.length === 2 && items.every((p) => p.status.phase === 'Running') && items;
    }, 'helloworld pods running');
    expect(pods).toHaveLength(2);
  });

  it('merges a changed manifest by key (strategic merge patch keeps container ports)', async () => {
    const manifest = readFileSync(join(samples, 'helloworld.yaml'), 'utf8').replace('examples-helloworld-v1:1.0', 'examples-helloworld-v1:1.1');
    const result = await kubectl(t.kubeconfigPath, ['apply', '-n', 'sample', '-f', '-'], manifest);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('deployment.apps/helloworld-v1 configured');
    expect(result.stdout).toContain('deployment.apps/helloworld-v2 unchanged');
    const deployment = JSON.parse((await k('get', 'deploy', 'helloworld-v1', '-n', 'sample', '-o', 'json')).stdout);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toMatch(/examples-helloworld-v1:1\.1$/);
    expect(container.ports).toEqual([{ containerPort: 5000, protocol: 'TCP' }]);
    expect(deployment.metadata.generation).toBe(2);
  });

  it('scales a deployment and rolls it out', async () => {
    expect((await k('scale', 'deploy/helloworld-v2', '-n', 'sample', '--replicas=3')).code).toBe(0);
    const status = await k('rollout', 'status', 'deploy/helloworld-v2', '-n', 'sample', '--timeout=20s');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('successfully rolled out');
    const pods = await k('get', 'pods', '-n', 'sample', '-l', 'version=v2', '-o', 'name');
    expect(pods.stdout.trim().split('\n')).toHaveLength(3);
    const restart = await k('rollout', 'restart', 'deploy/helloworld-v2', '-n', 'sample');
    expect(restart.code, restart.stderr).toBe(0);
    const after = await k('rollout', 'status', 'deploy/helloworld-v2', '-n', 'sample', '--timeout=30s');
    expect(after.stdout).toContain('successfully rolled out');
    const rs = await k('get', 'rs', '-n', 'sample', '-l', 'app=helloworld,version=v2', '-o', 'json');
    const replicas = (JSON.parse(rs.stdout).items as { spec: { replicas: number } }[]).map((r) => r.spec.replicas).sort();
    expect(replicas).toEqual([0, 3]);
  });

  it('reports an optimistic-concurrency conflict like the real API server', async () => {
    const stale = parse((await k('get', 'cm', 'kube-root-ca.crt', '-n', 'sample', '-o', 'yaml')).stdout);
    expect((await k('label', 'cm', 'kube-root-ca.crt', '-n', 'sample', 'touched=yes')).code).toBe(0);
    stale.metadata.labels = { stale: 'true' };
    const replaced = await kubectl(t.kubeconfigPath, ['replace', '-f', '-'], JSON.stringify(stale));
    expect(replaced.code).toBe(1);
    expect(replaced.stderr).toContain('Error from server (Conflict)');
    expect(replaced.stderr).toContain('the object has been modified; please apply your changes to the latest version and try again');
  });

  it('answers missing and invalid objects with NotFound and Invalid', async () => {
    const missing = await k('get', 'pod', 'nope', '-n', 'sample');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): pods "nope" not found');
    const bad = await kubectl(t.kubeconfigPath, ['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad', namespace: 'sample' }, spec: { containers: [{ name: 'app' }] } }));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('The Pod "bad" is invalid: spec.containers[0].image: Required value');
  });

  it('pages with --chunk-size and still lists everything once', async () => {
    const paged = await k('--context', 'west', 'get', 'pods', '-A', '--chunk-size=7', '-o', 'name');
    const whole = await k('--context', 'west', 'get', 'pods', '-A', '--chunk-size=0', '-o', 'name');
    expect(paged.code, paged.stderr).toBe(0);
    const names = paged.stdout.trim().split('\n');
    expect(names).toHaveLength(30);
    expect(new Set(names).size).toBe(30);
    expect(names).toEqual(whole.stdout.trim().split('\n'));
  });

  it('streams changes to kubectl get -w', async () => {
    const watch = kubectlStream(t.kubeconfigPath, ['get', 'deploy', 'helloworld-v1', '-n', 'sample', '-w']);
    try {
      await waitFor(() => watch.output().includes('helloworld-v1'), 'initial row');
      expect((await k('scale', 'deploy/helloworld-v1', '-n', 'sample', '--replicas=2')).code).toBe(0);
      await waitFor(() => /helloworld-v1\s+2\/2\s+2\s+2/.test(watch.output()), 'the scaled deployment in the watch');
    } finally {
      watch.stop();
    }
  });

  it('serves container logs with tail, timestamps and follow', async () => {
    const pod = (await k('get', 'pods', '-n', 'sample', '-l', 'version=v1', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const tail = await k('logs', '-n', 'sample', pod, '--tail=2', '--timestamps');
    expect(tail.code, tail.stderr).toBe(0);
    const lines = tail.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /);
    const follow = kubectlStream(t.kubeconfigPath, ['logs', '-f', '-n', 'sample', pod, '--tail=1']);
    try {
      await waitFor(() => follow.output().trim().split('\n').length >= 3, 'followed log lines', 8000);
    } finally {
      follow.stop();
    }
  });

  it('describes pods and services', async () => {
    const pod = (await k('get', 'pods', '-n', 'sample', '-l', 'version=v1', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
    const described = await k('describe', 'pod', pod, '-n', 'sample');
    expect(described.code, described.stderr).toBe(0);
    expect(described.stdout).toMatch(/Status:\s+Running/);
    expect(described.stdout).toMatch(/Controlled By:\s+ReplicaSet\/helloworld-v1-/);
    const service = await k('describe', 'svc', 'helloworld', '-n', 'sample');
    expect(service.stdout).toMatch(/Endpoints:\s+10\.\d+\.\d+\.\d+:5000/);
  });

  it('issues service-account tokens that authenticate, and authorizes them with RBAC', async () => {
    expect((await k('create', 'serviceaccount', 'reader', '-n', 'sample')).code).toBe(0);
    const token = (await k('create', 'token', 'reader', '-n', 'sample', '--duration', '20m')).stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const server = t.sim.cluster('east').address();
    const asReader = (...args: string[]) => kubectl(t.kubeconfigPath, ['--server', server, '--token', token, ...args]);
    const denied = await asReader('auth', 'can-i', 'list', 'pods', '-n', 'sample');
    expect(denied.stdout.trim()).toBe('no');
    expect(denied.code).toBe(1);
    const forbidden = await asReader('get', 'pods', '-n', 'sample');
    expect(forbidden.stderr).toContain('Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:sample:reader" cannot list resource "pods"');
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'reader-view', namespace: 'sample' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'sample' }] };
    expect((await kubectl(t.kubeconfigPath, ['apply', '-f', '-'], JSON.stringify(binding))).code).toBe(0);
    expect((await asReader('auth', 'can-i', 'list', 'pods', '-n', 'sample')).stdout.trim()).toBe('yes');
    expect((await asReader('auth', 'can-i', 'delete', 'pods', '-n', 'sample')).stdout.trim()).toBe('no');
    expect((await asReader('get', 'pods', '-n', 'sample')).code).toBe(0);
    // The token is bound to its cluster: the other cluster does not accept it.
    const elsewhere = await kubectl(t.kubeconfigPath, ['--server', t.sim.cluster('west').address(), '--token', token, 'get', 'pods']);
    expect(elsewhere.stderr).toContain('error: You must be logged in to the server');
  });

  it('refuses a wrong token with 401', async () => {
    const result = await k('--token', 'not-a-token', 'get', 'pods');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: You must be logged in to the server');
  });

  it('honours impersonation for auth can-i --as', async () => {
    expect((await k('auth', 'can-i', 'get', 'pods')).stdout.trim()).toBe('yes');
    expect((await k('auth', 'can-i', 'get', 'pods', '--as', 'someone')).stdout.trim()).toBe('no');
  });

  it('deletes a deployment with its replica sets and pods', async () => {
    const result = await k('delete', 'deploy', 'helloworld-v1', '-n', 'sample');
    expect(result.code, result.stderr).toBe(0);
    await waitFor(async () => (await k('get', 'pods', '-n', 'sample', '-l', 'version=v1', '-o', 'name')).stdout.trim() === '', 'pods of the deleted deployment to go');
    expect((await k('get', 'rs', '-n', 'sample', '-l', 'version=v1', '-o', 'name')).stdout.trim()).toBe('');
  });

  it('deletes a namespace with everything in it', async () => {
    expect((await k('create', 'namespace', 'doomed')).code).toBe(0);
    expect((await k('create', 'configmap', 'c', '-n', 'doomed', '--from-literal=a=b')).code).toBe(0);
    const result = await k('delete', 'namespace', 'doomed', '--timeout=20s');
    expect(result.code, result.stderr).toBe(0);
    expect((await k('get', 'configmaps', '-n', 'doomed', '-o', 'name')).stdout.trim()).toBe('');
    expect((await k('get', 'namespace', 'doomed')).stderr).toContain('namespaces "doomed" not found');
  });
});
