import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGETS, freshNamespace, realTarget, startSimulatorTarget, until, type Target } from './targets.js';

/** `kubectl api-resources` as {NAME: row}, the row split on runs of two or more spaces. */
function table(stdout: string): { header: string[]; rows: string[][] } {
  const lines = stdout.trim().split('\n');
  const header = lines[0]!.trim().split(/\s{2,}/);
  // Columns start where the header's words start; cells are cut at those offsets (cells may be empty).
  const starts = header.map((word) => lines[0]!.indexOf(word));
  const rows = lines.slice(1).map((line) => starts.map((start, i) => line.slice(start, starts[i + 1] ?? line.length).trim()));
  return { header, rows };
}

// The Gateway API's CRDs (gateway.networking.k8s.io) are not among Istio's CRDs, so the real control plane
// does not serve them: that group is left out of the comparison (README, "Conformance tier", gaps).
const NOT_ON_THE_REAL_SERVER = ['gateway.networking.k8s.io'];
const onBoth = (groupVersion: string) => !NOT_ON_THE_REAL_SERVER.includes(groupVersion.split('/')[0]!);

describe('discovery as kubectl sees it: the simulator against kube-apiserver', () => {
  let sim: Target;
  let real: Target;
  beforeAll(async () => {
    sim = await startSimulatorTarget();
    real = await realTarget();
  });
  afterAll(async () => sim?.stop());

  it('kubectl api-resources: every kind the simulator serves has the real server\'s row', async () => {
    const [fromSim, fromReal] = await Promise.all([sim.kubectl(['api-resources']), real.kubectl(['api-resources'])]);
    expect(fromSim.stderr).toBe('');
    expect(fromReal.stderr).toBe('');
    const simTable = table(fromSim.stdout);
    const realTable = table(fromReal.stdout);
    expect(simTable.header).toEqual(realTable.header);
    const key = (row: string[]) => `${row[0]} ${row[2]}`;
    const realRows = new Map(realTable.rows.map((row) => [key(row), row]));
    const differences = simTable.rows.filter((row) => onBoth(row[2]!)).filter((row) => JSON.stringify(realRows.get(key(row))) !== JSON.stringify(row)).map((row) => ({ simulator: row, real: realRows.get(key(row)) }));
    expect(differences).toEqual([]);
  });

  it('kubectl api-versions: the simulator serves a subset of the real group versions', async () => {
    const [fromSim, fromReal] = await Promise.all([sim.kubectl(['api-versions']), real.kubectl(['api-versions'])]);
    const realVersions = new Set(fromReal.stdout.trim().split('\n'));
    expect(fromSim.stdout.trim().split('\n').filter(onBoth).filter((v) => !realVersions.has(v))).toEqual([]);
  });

  it('preferred versions agree for the groups both serve', async () => {
    const [simGroups, realGroups] = await Promise.all([sim.request('/apis'), real.request('/apis')]);
    const preferred = (list: any) => new Map<string, string>(list.groups.map((g: any) => [g.name, g.preferredVersion.version]));
    const realPreferred = preferred(realGroups.json);
    const mismatched = [...preferred(simGroups.json)].filter(([group, version]) => onBoth(group) && realPreferred.get(group) !== version);
    expect(mismatched).toEqual([]);
  });

  it('/version carries the fields clients read', async () => {
    const [simVersion, realVersion] = await Promise.all([sim.request('/version'), real.request('/version')]);
    for (const field of ['major', 'minor', 'gitVersion', 'gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform']) {
      expect(typeof simVersion.json[field], field).toBe('string');
      expect(typeof realVersion.json[field], field).toBe('string');
    }
    expect(realVersion.json.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
  });

  it('kubectl get prints the same columns', async () => {
    const [simNs, realNs] = await Promise.all([freshNamespace(sim, 'columns'), freshNamespace(real, 'columns')]);
    const manifest = (ns: string) =>
      [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'one', namespace: ns, labels: { app: 'one' } }, spec: { containers: [{ name: 'app', image: 'example/app:1' }] } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'one', namespace: ns }, spec: { selector: { app: 'one' }, ports: [{ port: 80, targetPort: 8080, name: 'http' }] } },
        { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'one', namespace: ns }, spec: { hosts: ['one'], gateways: ['mesh'] } },
        { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'one', namespace: ns }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] } },
        { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'one', namespace: ns }, spec: { host: 'one' } },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n');
    await Promise.all([sim.kubectl(['apply', '-f', '-'], manifest(simNs)), real.kubectl(['apply', '-f', '-'], manifest(realNs))]);
    for (const kinds of ['pods', 'services', 'configmaps', 'serviceaccounts', 'virtualservices', 'gateways.networking.istio.io', 'destinationrules', 'deployments', 'namespaces']) {
      const [a, b] = await Promise.all([sim.kubectl(['get', kinds, '-n', simNs]), real.kubectl(['get', kinds, '-n', realNs])]);
      const headers = (out: string) => (out.trim() ? table(out).header : []);
      expect({ kinds, columns: headers(a.stdout) }).toEqual({ kinds, columns: headers(b.stdout) });
    }
  });
});

describe.each(TARGETS)('pods without a kubelet of their own: $kind', ({ start }) => {
  let target: Target;
  beforeAll(async () => {
    target = await start();
  });
  afterAll(async () => target?.stop());

  it('a new pod is scheduled and becomes Running and Ready, with an IP', async () => {
    const ns = await freshNamespace(target, 'pods');
    const created = await target.request(`/api/v1/namespaces/${ns}/pods`, { method: 'POST', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'one' }, spec: { containers: [{ name: 'app', image: 'example/app:1' }] } } });
    expect(created.status).toBe(201);
    expect(created.json.status.phase).toBe('Pending');
    let pod: any;
    await until(async () => {
      pod = (await target.request(`/api/v1/namespaces/${ns}/pods/one`)).json;
      return pod.status.phase === 'Running' && pod.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
    }, 'the pod to run');
    expect(pod.spec.nodeName).toEqual(expect.any(String));
    expect(pod.status.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(pod.status.containerStatuses).toEqual([expect.objectContaining({ name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: expect.any(String) } } })]);
    const out = await target.kubectl(['get', 'pods', '-n', ns, '--no-headers']);
    expect(out.stdout.trim().split(/\s+/).slice(0, 4)).toEqual(['one', '1/1', 'Running', '0']);
  });

  it('a deleted pod goes away', async () => {
    const ns = await freshNamespace(target, 'pods');
    await target.request(`/api/v1/namespaces/${ns}/pods`, { method: 'POST', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'gone' }, spec: { containers: [{ name: 'app', image: 'example/app:1' }] } } });
    await until(async () => (await target.request(`/api/v1/namespaces/${ns}/pods/gone`)).json.status.phase === 'Running', 'the pod to run');
    const deleted = await target.request(`/api/v1/namespaces/${ns}/pods/gone`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    await until(async () => (await target.request(`/api/v1/namespaces/${ns}/pods/gone`)).status === 404, 'the pod to go away');
  });
});
