import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meshdeck as runMeshdeck, type Run } from '../helpers/run-cli.js';
import { portsEditorService } from '../../source/cli/ports-editor-service.js';
import { kubeconfigFiles, loadKubeconfig } from '../../source/kube/kubeconfig.js';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { kubectl } from '../helpers/kubectl.js';

// The audit log goes here, never into the home directory of whoever runs the tests.
const STATE = mkdtempSync(join(tmpdir(), 'meshdeck-gateway-state-'));
const meshdeck = (args: string[]): Promise<Run> => runMeshdeck(args, { XDG_STATE_HOME: STATE });
const auditLines = (dir = STATE) => readFileSync(join(dir, 'meshdeck', 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);

const GW = 'istio-system/istio-ingressgateway';

describe('meshdeck gateway: usage', () => {
  it.each([
    [['gateway'], 'gateway needs a subcommand: ports, set-port or remove-port'],
    [['gateway', 'open-port'], 'unknown gateway subcommand "open-port" (ports, set-port, remove-port)'],
    [['gateway', 'ports', '--context', 'east', 'istio-ingressgateway'], '"istio-ingressgateway" is not NAMESPACE/NAME (e.g. istio-system/istio-ingressgateway)'],
    [['gateway', 'ports', '--context', 'east'], 'name the gateway as NAMESPACE/NAME (e.g. istio-system/istio-ingressgateway)'],
    [['gateway', 'ports', GW], '--context needs a context name'],
    [['gateway', 'ports', '--context', 'east,west', GW], 'gateway commands act on one context at a time; give --context one name'],
    [['gateway', 'set-port', '--context', 'east', GW, '--port', '9000'], 'set-port needs --name NAME (the Service port to add or change)'],
    [['gateway', 'set-port', '--context', 'east', GW, '--name', 'tcp-x'], 'set-port needs --port N'],
    [['gateway', 'set-port', '--context', 'east', GW, '--name', 'tcp-x', '--port', 'ninety'], '--port takes a whole number, got "ninety"'],
    [['gateway', 'remove-port', '--context', 'east', GW, '--name', 'tcp-x', '--port', '9000'], "--port is not a flag of 'gateway remove-port'"],
    [['gateway', 'ports', '--context', 'east', GW, '--output', 'yaml'], '--output must be text or json, got "yaml"'],
    [['gateway', 'ports', '--context', 'east', GW, '--node-port-range', '30000'], '--node-port-range takes MIN-MAX (e.g. 30000-32767), got "30000"'],
  ])('%j', async (args, message) => {
    expect(await meshdeck(args)).toEqual({ code: 2, stdout: '', stderr: `meshdeck: ${message}\nRun 'meshdeck gateway --help' for usage.\n` });
  });

  it('is listed in meshdeck --help, with its own help', async () => {
    expect((await meshdeck(['--help'])).stdout).toMatch(/\n {2}gateway +gateway Service ports: /);
    const help = await meshdeck(['gateway', '--help']);
    expect(help.stdout).toContain('meshdeck gateway set-port --context C NAMESPACE/NAME --name NAME --port N');
    expect(help.stdout).toContain('--confirm-critical');
  });
});

describe('meshdeck gateway against the simulator', () => {
  let healthy: TestSim;
  let broken: TestSim;
  const on = (t: TestSim) => ['--kubeconfig', t.kubeconfigPath, '--context', 'east'];
  const k = (t: TestSim, ...args: string[]) => kubectl(t.kubeconfigPath, ['--context', 'east', ...args]);

  beforeAll(async () => {
    [healthy, broken] = await Promise.all([startTestSim({ scenario: 'healthy', podsPerCluster: 0 }), startTestSim({ scenario: 'broken', podsPerCluster: 0 })]);
  });
  afterAll(async () => {
    await Promise.all([healthy?.stop(), broken?.stop()]);
  });

  it("ports: the broken scenario's Gateway port the Service lacks is an error (exit 1)", async () => {
    const run = await meshdeck(['gateway', 'ports', ...on(broken), GW]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^east: gateway istio-system\/istio-ingressgateway \(ingress, Service type LoadBalancer, deployment istio-ingressgateway, 1\/1 pods ready\)\n/);
    expect(run.stdout).toMatch(/\n {2}NAME {9}PORT {3}TARGET {2}NODEPORT {2}PROTOCOL {2}APP PROTOCOL\n {2}status-port {2}15021 {2}15021 {3}3\d{4} {5}TCP {7}-\n/);
    expect(run.stdout).toContain('Gateway container ports: 15021, 8080, 8443, 15443, 15090/http-envoy-prom\n');
    expect(run.stdout).toContain('  sample/httpbin-gateway  8088  HTTP      http  *\n');
    expect(run.stdout).toContain('  ✗ error    Gateway sample/httpbin-gateway has a server on port 8088, which is not a port of Service istio-system/istio-ingressgateway (15021, 80→8080, 443→8443, 15443): no traffic reaches it (Istio analyzer IST0162)');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('failed: 1 error');
    const json = JSON.parse((await meshdeck(['gateway', 'ports', ...on(broken), GW, '--output', 'json'])).stdout) as { findings: { code: string; serverPort?: number }[]; ports: { name: string }[] };
    expect(json.findings.filter((f) => f.code === 'gateway-port-missing').map((f) => f.serverPort)).toEqual([8088]);
    expect(json.ports.map((p) => p.name)).toEqual(['status-port', 'http2', 'https', 'tls']);
  });

  it('ports: a healthy gateway is fine (exit 0); an unknown one is one line, exit 1', async () => {
    const run = await meshdeck(['gateway', 'ports', ...on(healthy), GW]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('ok: no problems found');
    expect(await meshdeck(['gateway', 'ports', ...on(healthy), 'istio-system/nope'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'meshdeck: east has no Service or Deployment istio-system/nope (gateway Services in istio-system: istio-system/istio-eastwestgateway, istio-system/istio-ingressgateway)\n',
    });
  });

  it('set-port plans by default and changes nothing', async () => {
    const run = await meshdeck(['gateway', 'set-port', ...on(healthy), GW, '--name', 'tcp-echo', '--port', '31400']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^set port tcp-echo \(31400\) on istio-system\/istio-ingressgateway in east\n\n {2}1\. patch {3}service istio-system\/istio-ingressgateway {2}\(at resourceVersion \d+\)\n {7}\+ tcp-echo 31400\/TCP\n {2}2\. verify {2}endpoints istio-system\/istio-ingressgateway\n/);
    expect(run.stdout).toContain('To keep it across upgrades, IstioOperator overlay');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('nothing changed yet: review the plan, then run again with --apply');
    expect((await k(healthy, 'get', 'svc', '-n', 'istio-system', 'istio-ingressgateway')).stdout).not.toContain('31400');
  });

  it('set-port --apply adds a TCP port that kubectl get svc shows, and writes the values that keep it', async () => {
    const values = join(healthy.dir, 'ingress-ports.yaml');
    const run = await meshdeck(['gateway', 'set-port', ...on(healthy), GW, '--name', 'tcp-echo', '--port', '31400', '--protocol', 'tcp', '--apply', '--values-out', values]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain(`wrote IstioOperator overlay (components.ingressGateways[istio-ingressgateway].k8s.service.ports), to merge into the IstioOperator you install with to ${values}\n`);
    expect(run.stdout).toContain('  ✓ done: patched service istio-system/istio-ingressgateway in east\n');
    expect(run.stdout).toMatch(/ {2}✓ done: Service istio-system\/istio-ingressgateway has the planned ports: .*tcp-echo 31400\/TCP nodePort 3\d{4}; endpoints of istio-system\/istio-ingressgateway: 1 of 1 address ready on .*tcp-echo→31400\n/);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('applied: 2 steps done');
    const svc = await k(healthy, 'get', 'svc', '-n', 'istio-system', 'istio-ingressgateway');
    expect(svc.stdout).toMatch(/,31400:3\d{4}\/TCP/);
    expect(auditLines().at(-1)).toEqual({ time: expect.any(String), user: expect.any(String), context: 'east', object: 'service istio-system/istio-ingressgateway', verb: 'patch', outcome: 'success', message: 'patched service istio-system/istio-ingressgateway in east' });
    const overlay = parse(readFileSync(values, 'utf8')) as { kind: string; spec: { components: { ingressGateways: { name: string; k8s: { service: { ports: { name: string; port: number }[] } } }[] } } };
    expect(overlay.kind).toBe('IstioOperator');
    expect(overlay.spec.components.ingressGateways[0]!.k8s.service.ports.map((p) => `${p.name}:${p.port}`)).toEqual(['status-port:15021', 'http2:80', 'https:443', 'tls:15443', 'tcp-echo:31400']);
    // Again: nothing to do, and the values file is not overwritten.
    const again = await meshdeck(['gateway', 'set-port', ...on(healthy), GW, '--name', 'tcp-echo', '--port', '31400', '--apply', '--values-out', values]);
    expect(again).toEqual({ code: 1, stdout: '', stderr: `meshdeck: ${values} already exists; meshdeck does not overwrite it: pick another --values-out file\n` });
    const noop = await meshdeck(['gateway', 'set-port', ...on(healthy), GW, '--name', 'tcp-echo', '--port', '31400', '--apply']);
    expect(noop.code).toBe(0);
    expect(noop.stdout).toBe('set port tcp-echo (31400) on istio-system/istio-ingressgateway in east\n\nNothing to change: the Service already has this port as given.\n\nnothing to do\n');
  });

  it('refuses a duplicate nodePort and an invalid name with clear errors (exit 1, nothing applied)', async () => {
    const taken = (await k(healthy, 'get', 'svc', '-n', 'istio-system', 'istio-eastwestgateway', '-o', 'jsonpath={.spec.ports[0].nodePort}')).stdout;
    const dup = await meshdeck(['gateway', 'set-port', ...on(healthy), GW, '--name', 'tcp-db', '--port', '31401', '--node-port', taken, '--apply']);
    expect(dup.code).toBe(1);
    expect(dup.stdout).toContain(`Blocked (nothing will be applied):\n  ✗ nodePort ${taken} is already used by Service istio-system/istio-eastwestgateway (pick another node port, or leave it out and Kubernetes picks a free one)\n`);
    expect(dup.stdout.trimEnd().split('\n').at(-1)).toBe('not applied: the plan is blocked (see above)');
    const bad = await meshdeck(['gateway', 'set-port', ...on(healthy), GW, '--name', 'db', '--port', '31402', '--apply']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('  ✗ port name "db" does not start with a protocol Istio knows (http-, http2-, https-, grpc-, grpc-web-, tcp-, tls-, udp-, mongo-, mysql-, redis-) and the port has no appProtocol, so Istio cannot tell what it carries (name it like tcp-db or https-db, or set appProtocol)\n');
    const hostile = await meshdeck(['gateway', 'set-port', ...on(healthy), GW, '--name', 'tcp-\u001b[2J', '--port', '31403']);
    expect(hostile.code).toBe(1);
    expect(hostile.stdout).not.toContain('\u001b');
    expect(hostile.stdout).toContain('port name "tcp-\\u001b[2J" must be lower-case letters');
    const rescued = await meshdeck(['gateway', 'set-port', ...on(healthy), GW, '--name', 'db', '--port', '31402', '--app-protocol', 'tcp', '--output', 'json']);
    expect(rescued.code).toBe(0);
    expect((JSON.parse(rescued.stdout) as { plan: { blocked: unknown[] } }).plan.blocked).toEqual([]);
    expect((await k(healthy, 'get', 'svc', '-n', 'istio-system', 'istio-ingressgateway', '-o', 'jsonpath={.spec.ports[*].name}')).stdout).toBe('status-port http2 https tls tcp-echo');
  });

  it('remove-port: the health port needs --confirm-critical; an ordinary port goes with --apply', async () => {
    const health = await meshdeck(['gateway', 'remove-port', ...on(healthy), GW, '--name', 'status-port', '--apply']);
    expect(health.code).toBe(1);
    expect(health.stdout).toContain('  ✗ this change removes port 15021 (status-port), which breaks the health port: cloud load balancers and external health checks probe /healthz/ready on it through the Service; without it they mark every gateway node unhealthy and stop sending traffic to the gateway; pass --confirm-critical to do it anyway\n');
    const run = await meshdeck(['gateway', 'remove-port', ...on(healthy), GW, '--name', 'tcp-echo', '--apply', '--output', 'json']);
    expect(run.code, run.stdout).toBe(0);
    const json = JSON.parse(run.stdout) as { applied: boolean; result: { ok: boolean; verify: { ok: boolean } } };
    expect(json).toMatchObject({ applied: true, result: { ok: true, verify: { ok: true } } });
    expect((await k(healthy, 'get', 'svc', '-n', 'istio-system', 'istio-ingressgateway')).stdout).not.toContain('31400');
  });

  it('warns on a Helm-managed gateway and writes the chart values', async () => {
    await k(broken, 'label', 'svc', '-n', 'istio-system', 'istio-ingressgateway', 'app.kubernetes.io/managed-by=Helm', 'helm.sh/chart=gateway-1.24.0');
    await k(broken, 'annotate', 'svc', '-n', 'istio-system', 'istio-ingressgateway', 'meta.helm.sh/release-name=istio-ingressgateway', 'meta.helm.sh/release-namespace=istio-system');
    const values = join(broken.dir, 'values.yaml');
    const run = await meshdeck(['gateway', 'set-port', ...on(broken), GW, '--name', 'http-8088', '--port', '8088', '--values-out', values]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("  · istio-system/istio-ingressgateway is managed by Helm (release istio-ingressgateway in istio-system, Istio's gateway chart): the next helm upgrade renders the Service from the chart's values again and undoes this edit");
    expect(run.stdout).toContain('  · fixes: Gateway sample/httpbin-gateway has a server on port 8088');
    expect(run.stdout).toContain(`wrote values for the gateway chart (service.ports) to ${values}\n`);
    const written = readFileSync(values, 'utf8');
    expect(written.split('\n')[2]).toBe('# helm upgrade istio-ingressgateway istio/gateway -n istio-system --reuse-values -f THIS-FILE');
    const ports = (parse(written) as { service: { ports: Record<string, unknown>[] } }).service.ports;
    expect(ports.at(-1)).toEqual({ name: 'http-8088', port: 8088, protocol: 'TCP', targetPort: 8088 });
    const ports2 = await meshdeck(['gateway', 'ports', ...on(broken), GW]);
    expect(ports2.stdout).toContain("Upgrade safety: istio-system/istio-ingressgateway is managed by Helm");
  });
});

describe('the ports editor service (what the cockpit calls)', () => {
  let t: TestSim;
  const target = { cluster: 'east', namespace: 'istio-system', name: 'istio-ingressgateway' };

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'broken', podsPerCluster: 0 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('loads, validates as typed, plans, applies with progress lines, re-plans on a conflict, verifies and saves values', async () => {
    const service = portsEditorService(loadKubeconfig(kubeconfigFiles(t.kubeconfigPath, {})).contexts, { XDG_STATE_HOME: t.dir });
    expect(() => service.validate(target, { action: 'remove', name: 'tls' })).toThrow('is not loaded: call load first');
    const view = await service.load(target);
    expect(view.report.findings.some((f) => f.code === 'gateway-port-missing')).toBe(true);
    expect(view.lines.at(-1)).toBe('failed: 1 error');

    const typing = service.validate(target, { action: 'set', name: 'http-8088', port: 80 });
    expect(typing.blocked).toEqual(['port 80/TCP is already taken by http2; a Service cannot expose it twice']);
    const critical = service.validate(target, { action: 'remove', name: 'status-port' });
    expect(critical).toMatchObject({ needsConfirmation: true, confirmations: [{ port: 'status-port', breaks: expect.stringMatching(/^the health port/) }] });
    expect(service.validate(target, { action: 'remove', name: 'status-port' }, { confirmCritical: true }).blocked).toEqual([]);
    const good = service.validate(target, { action: 'set', name: 'http-8088', port: 8088 });
    expect(good).toMatchObject({ blocked: [], needsConfirmation: false, unchanged: false, diff: ['+ http-8088 8088/TCP'] });

    const { plan, lines, blocked, empty } = await service.plan(target, { action: 'set', name: 'http-8088', port: 8088 });
    expect({ blocked, empty }).toEqual({ blocked: false, empty: false });
    expect(lines[0]).toBe('set port http-8088 (8088) on istio-system/istio-ingressgateway in east');
    // Someone edits the Service after the review: nothing is overwritten, the new plan comes back.
    await kubectl(t.kubeconfigPath, ['--context', 'east', 'label', 'svc', '-n', 'istio-system', 'istio-ingressgateway', 'touched=yes']);
    const progress: string[] = [];
    const clash = await service.apply(plan, (line) => progress.push(line));
    expect(clash).toMatchObject({ ok: false, conflict: true });
    expect(clash.lines[0]).toMatch(/^conflict: service istio-system\/istio-ingressgateway in east was changed by someone else since it was read/);
    expect(clash.replanned!.plan.steps[0]!.diff).toEqual(['+ http-8088 8088/TCP']);
    const done = await service.apply(clash.replanned!.plan, (line) => progress.push(line));
    expect(done).toMatchObject({ ok: true, conflict: false, lines: ['applied: 2 steps done'] });
    expect(progress.filter((l) => l.startsWith('  ✓ done:')).length).toBe(2);
    expect(auditLines(t.dir).map((l) => `${l['object']} ${l['verb']} ${l['outcome']}`)).toEqual(['service istio-system/istio-ingressgateway patch failure', 'service istio-system/istio-ingressgateway patch success']);
    const verified = await service.verify(clash.replanned!.plan);
    expect(verified.ok).toBe(true);
    expect(verified.lines.at(-1)).toBe('✓ verified');

    const values = service.values(done.result.ok ? clash.replanned!.plan : plan);
    expect(values.snippets[0]!.format).toBe('istio-operator');
    expect(values.defaultFile).toBe('east-istio-system-istio-ingressgateway-istio-operator.yaml');
    const file = join(t.dir, values.defaultFile);
    expect(service.saveValues(clash.replanned!.plan, file)).toMatchObject({ ok: true, path: file });
    expect(existsSync(file)).toBe(true);
    expect(service.saveValues(clash.replanned!.plan, file)).toMatchObject({ ok: false, lines: [`✗ ${file} already exists; meshdeck does not overwrite it: pick another file name`] });
    expect((await service.load(target)).report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});
