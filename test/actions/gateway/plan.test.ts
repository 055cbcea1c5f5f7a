import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../helpers/sim.js';
import { connectContexts } from '../../../source/actions/ca/connect.js';
import { kubeconfigFiles, loadKubeconfig } from '../../../source/kube/kubeconfig.js';
import { BROKEN_GATEWAY_PORT } from '../../../source/sim/scenarios/broken.js';
import { applyPortPlan, GatewayNotFoundError, planPortEdit, portsReport, readGatewayState, type GatewayLiveState, type KubeApi } from '../../../source/actions/gateway/index.js';
import { renderPlan } from '../../../source/actions/plan.js';

const INGRESS = { namespace: 'istio-system', name: 'istio-ingressgateway' };

describe('gateway ports in the broken scenario', () => {
  let t: TestSim;
  let apis: Map<string, KubeApi>;

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'broken', podsPerCluster: 0 });
    apis = await connectContexts(loadKubeconfig(kubeconfigFiles(t.kubeconfigPath, {})).contexts);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("detects the Gateway port the ingress gateway's Service lacks (IST0162)", async () => {
    const report = portsReport(await readGatewayState('east', apis.get('east')!, INGRESS));
    expect(report.gateway).toEqual({ namespace: 'istio-system', name: 'istio-ingressgateway', kind: 'ingress', type: 'LoadBalancer', workload: 'istio-ingressgateway' });
    expect(report.servers).toEqual([{ gateway: 'sample/httpbin-gateway', port: BROKEN_GATEWAY_PORT, name: 'http', protocol: 'HTTP', hosts: ['*'] }]);
    expect(report.containerPorts.map((c) => c.containerPort)).toEqual([15021, 8080, 8443, 15443, 15090]);
    const errors = report.findings.filter((f) => f.severity === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'gateway-port-missing',
        gateway: 'sample/httpbin-gateway',
        serverPort: BROKEN_GATEWAY_PORT,
        message: `Gateway sample/httpbin-gateway has a server on port ${BROKEN_GATEWAY_PORT}, which is not a port of Service istio-system/istio-ingressgateway (15021, 80→8080, 443→8443, 15443): no traffic reaches it (Istio analyzer IST0162)`,
      }),
    ]);
    // The simulator installs gateways as istioctl does.
    expect(report.management.manager).toBe('istio-operator');
    expect(report.upgradeWarning).toMatch(/^istio-system\/istio-ingressgateway was installed by istioctl or the Istio operator: the next istioctl install or upgrade renders the Service again and undoes this edit/);
  });

  it('an unrelated edit is not blocked by it; adding the port fixes it', async () => {
    const api = apis.get('east')!;
    const other = planPortEdit(await readGatewayState('east', api, INGRESS), { action: 'set', name: 'tcp-other', port: 31500 }, { now: new Date() });
    expect(other.blocked).toEqual([]);
    const fix = planPortEdit(await readGatewayState('east', api, INGRESS), { action: 'set', name: `http-${BROKEN_GATEWAY_PORT}`, port: BROKEN_GATEWAY_PORT }, { now: new Date() });
    expect(fix.blocked).toEqual([]);
    expect(fix.resolved.map((f) => f.key)).toEqual([`gateway-port-missing:sample/httpbin-gateway:${BROKEN_GATEWAY_PORT}`]);
    expect(fix.notes[0]!.message).toMatch(/^fixes: Gateway sample\/httpbin-gateway has a server on port 8088/);
    expect((await applyPortPlan(fix, { api, timeouts: { verifyMs: 10_000, pollMs: 50 } })).ok).toBe(true);
    const after = portsReport(await readGatewayState('east', api, INGRESS));
    expect(after.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it("checks an east-west gateway's ports against the Gateways that expose services and istiod", async () => {
    const report = portsReport(await readGatewayState('east', apis.get('east')!, { namespace: 'istio-system', name: 'istio-eastwestgateway' }));
    expect(report.gateway.kind).toBe('east-west');
    expect(report.findings).toEqual([]);
    expect(report.servers.map((s) => `${s.gateway}:${s.port}`)).toEqual(['istio-system/cross-network-gateway:15443', 'istio-system/istiod-gateway:15012', 'istio-system/istiod-gateway:15017']);
  });

  it('names the gateway Services there are when the one asked for does not exist', async () => {
    await expect(readGatewayState('east', apis.get('east')!, { namespace: 'istio-system', name: 'nope' })).rejects.toThrow(
      new GatewayNotFoundError('east has no Service or Deployment istio-system/nope (gateway Services in istio-system: istio-system/istio-eastwestgateway, istio-system/istio-ingressgateway)'),
    );
  });
});

describe('plans are data (no cluster needed)', () => {
  const live: GatewayLiveState = {
    cluster: 'east',
    service: {
      namespace: 'istio-system',
      name: 'istio-ingressgateway',
      resourceVersion: '100',
      type: 'LoadBalancer',
      selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
      labels: {},
      annotations: {},
      ports: [
        { name: 'status-port', port: 15021, targetPort: 15021, nodePort: 31021, protocol: 'TCP' },
        { name: 'http2', port: 80, targetPort: 8080, nodePort: 31080, protocol: 'TCP' },
      ],
    },
    workloads: [{ kind: 'Deployment', name: 'istio-ingressgateway', labels: {}, annotations: {}, podLabels: { app: 'istio-ingressgateway', istio: 'ingressgateway' }, container: { name: 'istio-proxy', ports: [{ containerPort: 8080 }, { containerPort: 15021 }], lowestBindablePort: 1024 } }],
    pods: [{ name: 'istio-ingressgateway-1', ready: true, labels: { istio: 'ingressgateway' } }],
    gateways: [{ namespace: 'sample', name: 'httpbin-gateway', resourceVersion: '7', apiVersion: 'networking.istio.io/v1', selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] }],
    gatewayApiVersion: 'networking.istio.io/v1',
    siblings: [],
    nodePortsInUse: {},
    istiod: true,
    notes: [],
  };
  const now = new Date('2026-01-02T03:04:05Z');

  it('renders on the shared review screen as it is', () => {
    const plan = planPortEdit(live, { action: 'set', name: 'http2', port: 8081 }, { now, updateGateways: true });
    expect(renderPlan(plan)).toMatchInlineSnapshot(`
      [
        "set port http2 (8081) on istio-system/istio-ingressgateway in east",
        "",
        "1. [east] patch service istio-system/istio-ingressgateway",
        "     - http2 80→8080/TCP nodePort 31080",
        "     + http2 8081→8080/TCP nodePort 31080",
        "2. [east] patch gateway sample/httpbin-gateway",
        "     - server 80/HTTP http hosts *",
        "     + server 8081/HTTP http hosts *",
        "3. [east] verify endpoints istio-system/istio-ingressgateway  (cannot be undone)",
      ]
    `);
    expect(plan.steps.map((s) => [s.path, s.precondition?.resourceVersion, s.patch])).toEqual([
      ['/api/v1/namespaces/istio-system/services/istio-ingressgateway', '100', { spec: { ports: [live.service.ports[0], { name: 'http2', port: 8081, targetPort: 8080, nodePort: 31080, protocol: 'TCP' }] } }],
      ['/apis/networking.istio.io/v1/namespaces/sample/gateways/httpbin-gateway', '7', { spec: { servers: [{ port: { number: 8081, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] } }],
      ['/api/v1/namespaces/istio-system/services/istio-ingressgateway', undefined, undefined],
    ]);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('plans nothing for an edit already in place, and blocks what would break', () => {
    expect(planPortEdit(live, { action: 'set', name: 'http2', port: 80 }, { now }).steps).toEqual([]);
    const cut = planPortEdit(live, { action: 'remove', name: 'http2' }, { now, updateGateways: true });
    expect(cut.notes.map((n) => n.message)).toEqual(['Gateway sample/httpbin-gateway would be left with no servers, so it is not changed; delete it if nothing needs it any more (kubectl --context east delete gateway -n sample httpbin-gateway)']);
    expect(cut.blocked).toHaveLength(1);
    expect(cut.steps).toEqual([]);
  });
});
