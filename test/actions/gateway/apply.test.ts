import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../helpers/sim.js';
import { kubectl } from '../../helpers/kubectl.js';
import { connectContexts } from '../../../source/actions/ca/connect.js';
import { kubeconfigFiles, loadKubeconfig } from '../../../source/kube/kubeconfig.js';
import {
  applyPortPlan,
  planAgain,
  planPortEdit,
  PortPlanBlockedError,
  readGatewayState,
  verifyPortPlan,
  type KubeApi,
  type PortStepProgress,
} from '../../../source/actions/gateway/index.js';
import type { PortEdit } from '../../../source/mesh/gateway-ports/index.js';

const INGRESS = { namespace: 'istio-system', name: 'istio-ingressgateway' };
const FAST = { verifyMs: 10_000, pollMs: 50 };

describe('gateway port engine against the simulator (healthy scenario)', () => {
  let t: TestSim;
  let api: KubeApi;
  const k = (...args: string[]) => kubectl(t.kubeconfigPath, ['--context', 'east', ...args]);
  const plan = async (edit: PortEdit, options: { updateGateways?: boolean; confirmCritical?: boolean } = {}) => planPortEdit(await readGatewayState('east', api, INGRESS), edit, { now: new Date(), ...options });
  const apply = (p: Awaited<ReturnType<typeof plan>>, events: PortStepProgress[] = []) => applyPortPlan(p, { api, timeouts: FAST, onProgress: (e) => events.push(e) });

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'healthy', podsPerCluster: 0 });
    api = (await connectContexts(loadKubeconfig(kubeconfigFiles(t.kubeconfigPath, {})).contexts)).get('east')!;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('adds a TCP port: patched at the read resourceVersion, verified, and kubectl get svc shows it', async () => {
    const p = await plan({ action: 'set', name: 'tcp-echo', port: 31400 });
    expect(p.blocked).toEqual([]);
    expect(p.steps.map((s) => `${s.verb} ${s.target}`)).toEqual(['patch service istio-system/istio-ingressgateway', 'verify endpoints istio-system/istio-ingressgateway']);
    expect(p.steps[0]!.diff).toEqual(['+ tcp-echo 31400/TCP']);
    expect(p.steps[0]!.precondition?.resourceVersion).toMatch(/^\d+$/);
    const events: PortStepProgress[] = [];
    const result = await apply(p, events);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(events.filter((e) => e.state === 'done').map((e) => e.stepId)).toEqual(['east/patch-service', 'east/verify']);
    expect(result.verify?.checks.map((c) => [c.what, c.ok])).toEqual([
      ['service', true],
      ['endpoints', true],
    ]);
    expect(result.verify!.checks[1]!.message).toMatch(/^endpoints of istio-system\/istio-ingressgateway: 1 of 1 address ready on .*tcp-echo→31400$/);
    const svc = await k('get', 'svc', '-n', 'istio-system', 'istio-ingressgateway');
    expect(svc.code, svc.stderr).toBe(0);
    expect(svc.stdout).toMatch(/,31400:3\d{4}\/TCP/);
    // Planning again plans nothing.
    const again = await plan({ action: 'set', name: 'tcp-echo', port: 31400 });
    expect(again.steps).toEqual([]);
    expect(again.blocked).toEqual([]);
  });

  it('refuses a nodePort another Service holds, and one twice in the Service, saying which', async () => {
    const held = JSON.parse((await k('get', 'svc', '-n', 'istio-system', 'istio-eastwestgateway', '-o', 'json')).stdout) as { spec: { ports: { nodePort: number }[] } };
    const other = held.spec.ports[0]!.nodePort;
    const p = await plan({ action: 'set', name: 'tcp-db', port: 31401, nodePort: other });
    expect(p.steps).toEqual([]);
    expect(p.blocked).toEqual([{ cluster: 'east', reason: `nodePort ${other} is already used by Service istio-system/istio-eastwestgateway (pick another node port, or leave it out and Kubernetes picks a free one)` }]);
    await expect(apply(p)).rejects.toBeInstanceOf(PortPlanBlockedError);
    const own = (await readGatewayState('east', api, INGRESS)).service.ports.find((x) => x.name === 'http2')!.nodePort!;
    const twice = await plan({ action: 'set', name: 'tcp-db', port: 31401, nodePort: own });
    expect(twice.blocked.map((b) => b.reason)).toEqual([`nodePort ${own} is given to both http2 and tcp-db`]);
  });

  it('refuses an invalid name with the reason', async () => {
    const p = await plan({ action: 'set', name: 'Echo_Port', port: 31402 });
    expect(p.blocked.map((b) => b.reason)).toEqual([
      'port name "Echo_Port" must be lower-case letters, digits and "-", starting and ending with a letter or digit (a DNS-1123 label)',
      'port name "Echo_Port" does not start with a protocol Istio knows (http-, http2-, https-, grpc-, grpc-web-, tcp-, tls-, udp-, mongo-, mysql-, redis-) and the port has no appProtocol, so Istio cannot tell what it carries (name it like tcp-echo-port or https-echo-port, or set appProtocol)',
    ]);
  });

  it('does not overwrite a concurrent edit: the write conflicts, and planning again shows the diff against the new version', async () => {
    const p = await plan({ action: 'set', name: 'tcp-late', port: 31410 });
    // Someone else edits the Service between the review and the apply.
    const label = await k('label', 'svc', '-n', 'istio-system', 'istio-ingressgateway', 'edited-by=someone-else');
    expect(label.code, label.stderr).toBe(0);
    const result = await apply(p);
    expect(result.ok).toBe(false);
    expect(result.conflict).toEqual({
      stepId: 'east/patch-service',
      target: 'service istio-system/istio-ingressgateway',
      message: `service istio-system/istio-ingressgateway in east was changed by someone else since it was read (resourceVersion ${p.steps[0]!.precondition!.resourceVersion}); nothing was overwritten: read it again and review the new plan`,
    });
    expect(result.steps.map((s) => s.status)).toEqual(['failed', 'skipped']);
    const live = await readGatewayState('east', api, INGRESS);
    expect(live.service.labels['edited-by']).toBe('someone-else');
    expect(live.service.ports.some((x) => x.name === 'tcp-late')).toBe(false);
    const fresh = await planAgain(api, p, { now: new Date() });
    expect(fresh.steps[0]!.precondition!.resourceVersion).toBe(live.service.resourceVersion);
    expect(fresh.steps[0]!.diff).toEqual(['+ tcp-late 31410/TCP']);
    expect((await apply(fresh)).ok).toBe(true);
    expect((await readGatewayState('east', api, INGRESS)).service.labels['edited-by']).toBe('someone-else');
  });

  it('removes a port: gone from the Service and its endpoints', async () => {
    const p = await plan({ action: 'remove', name: 'tcp-late' });
    expect(p.steps[0]!.diff).toEqual(['- tcp-late 31410/TCP nodePort ' + p.before.find((x) => x.name === 'tcp-late')!.nodePort]);
    const result = await apply(p);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const svc = await k('get', 'svc', '-n', 'istio-system', 'istio-ingressgateway', '-o', 'jsonpath={.spec.ports[*].name}');
    expect(svc.stdout.split(' ')).toEqual(['status-port', 'http2', 'https', 'tls', 'tcp-echo']);
    const endpoints = await k('get', 'endpoints', '-n', 'istio-system', 'istio-ingressgateway', '-o', 'jsonpath={.subsets[*].ports[*].name}');
    expect(endpoints.stdout.split(' ').sort()).toEqual(['http2', 'https', 'status-port', 'tcp-echo', 'tls']);
  });

  it('needs a confirmation to remove the health port, and says what breaks', async () => {
    const p = await plan({ action: 'remove', name: 'status-port' });
    expect(p.blocked.map((b) => b.reason)).toEqual([
      'this change removes port 15021 (status-port), which breaks the health port: cloud load balancers and external health checks probe /healthz/ready on it through the Service; without it they mark every gateway node unhealthy and stop sending traffic to the gateway; pass --confirm-critical to do it anyway',
    ]);
    const confirmed = await plan({ action: 'remove', name: 'status-port' }, { confirmCritical: true });
    expect(confirmed.blocked).toEqual([]);
    expect(confirmed.findings.find((f) => f.code === 'critical-port')?.severity).toBe('warning');
  });

  it('renumbers a port together with the Gateway server on it (--update-gateways)', async () => {
    const refused = await plan({ action: 'set', name: 'http2', port: 8081 });
    expect(refused.blocked[0]!.reason).toMatch(/^Gateway sample\/httpbin-gateway has a server on port 80, .*; pass --update-gateways to move or drop that server too, or --confirm-critical to cut it off anyway$/);
    const p = await plan({ action: 'set', name: 'http2', port: 8081 }, { updateGateways: true });
    expect(p.blocked).toEqual([]);
    expect(p.steps.map((s) => `${s.verb} ${s.target}`)).toEqual(['patch service istio-system/istio-ingressgateway', 'patch gateway sample/httpbin-gateway', 'verify endpoints istio-system/istio-ingressgateway']);
    expect(p.steps[1]!.diff).toEqual(['- server 80/HTTP http hosts *', '+ server 8081/HTTP http hosts *']);
    const result = await apply(p);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(result.verify?.checks.map((c) => c.what)).toEqual(['service', 'endpoints', 'gateway']);
    const gw = await k('get', 'gateways.networking.istio.io', '-n', 'sample', 'httpbin-gateway', '-o', 'jsonpath={.spec.servers[0].port.number}');
    expect(gw.stdout).toBe('8081');
    expect((await verifyPortPlan(api, p, { timeoutMs: 0 })).ok).toBe(true);
  });

  it('warns on a Helm-managed gateway and offers the values that keep the change', async () => {
    expect((await k('annotate', 'svc', '-n', 'istio-system', 'istio-ingressgateway', 'meta.helm.sh/release-name=istio-ingress', 'meta.helm.sh/release-namespace=istio-system')).code).toBe(0);
    expect((await k('label', 'svc', '-n', 'istio-system', 'istio-ingressgateway', 'app.kubernetes.io/managed-by=Helm')).code).toBe(0);
    const p = await plan({ action: 'set', name: 'tcp-helm', port: 31420 });
    expect(p.upgrade.management).toMatchObject({ manager: 'helm', release: 'istio-ingress', releaseNamespace: 'istio-system', chart: 'istio-ingress' });
    expect(p.upgrade.warning).toBe(
      "istio-system/istio-ingressgateway is managed by Helm (release istio-ingress in istio-system, Istio's istio-ingress chart): the next helm upgrade renders the Service from the chart's values again and undoes this edit; put the ports into the release's values as well (meshdeck gateway set-port/remove-port --values-out FILE writes them) so they stay",
    );
    expect(p.notes.map((n) => n.message)).toContain(p.upgrade.warning);
    expect(p.upgrade.preferred).toBe('helm-istio-ingress');
    const values = p.upgrade.snippets.find((s) => s.format === 'helm-istio-ingress')!.yaml;
    expect(values).toContain('# helm upgrade istio-ingress <istio-ingress chart> -n istio-system --reuse-values -f THIS-FILE\ngateways:\n  istio-ingressgateway:\n    ports:\n');
    expect(values).toContain('      - port: 31420\n        targetPort: 31420\n        name: tcp-helm\n        protocol: TCP\n');
  });
});
