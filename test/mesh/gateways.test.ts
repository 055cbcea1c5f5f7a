import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { deriveGatewayRows, formatPorts } from '../../source/mesh/gateways.js';
import type { KubeObject } from '../../source/kube/types.js';
import { deployment, istioGateway, service, snapshot } from '../helpers/snapshot.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const yamlFile = (path: string) => parse(readFileSync(join(fixtures, path), 'utf8'));
const yamlDocs = (path: string) => parseAllDocuments(readFileSync(join(fixtures, path), 'utf8')).map((d) => d.toJSON() as KubeObject);

type Port = { name: string; port: number; targetPort: number; protocol?: string };

// The port layouts Istio's own charts and scripts produce (see test/fixtures/SOURCES.md).
const legacyIngress = yamlFile('gateway-values/istio-ingress-values.yaml')._internal_defaults_do_not_set.gateways['istio-ingressgateway'] as { labels: Record<string, string>; ports: Port[] };
const gatewayChart = yamlFile('gateway-values/gateway-values.yaml')._internal_defaults_do_not_set as { service: { type: string; ports: Port[] } };
const eastWestIop = yamlFile('multicluster/eastwest-network1.iop.yaml').spec.components.ingressGateways[0] as { name: string; label: Record<string, string>; k8s: { service: { ports: Port[] } } };

const ingressDeployment = deployment({ name: 'istio-ingressgateway', namespace: 'istio-system', labels: legacyIngress.labels, podLabels: { ...legacyIngress.labels, 'service.istio.io/canonical-name': 'istio-ingressgateway' }, replicas: 2 });
const ingressService = service(
  'istio-ingressgateway',
  'istio-system',
  { type: 'LoadBalancer', selector: legacyIngress.labels, ports: legacyIngress.ports },
  { loadBalancer: { ingress: [{ ip: '203.0.113.10', ipMode: 'VIP' }] } },
);
const eastWestDeployment = deployment({ name: eastWestIop.name, namespace: 'istio-system', labels: eastWestIop.label, podLabels: eastWestIop.label });
const eastWestService = service(
  eastWestIop.name,
  'istio-system',
  { type: 'LoadBalancer', selector: { app: eastWestIop.label['app']!, istio: eastWestIop.label['istio']! }, ports: eastWestIop.k8s.service.ports },
  { loadBalancer: { ingress: [{ hostname: 'a1b2c3d4e5-1234567890.eu-west-1.elb.amazonaws.com' }] } },
);

describe('formatPorts', () => {
  it.each([
    ['the istio-ingress chart: 80 and 443 go to unprivileged ports', legacyIngress.ports, ['15021/status-port', '80→8080/http2', '443→8443/https']],
    ['the gateway chart: ports map to themselves', gatewayChart.service.ports, ['15021/status-port', '80/http2', '443/https']],
    ['the east-west gateway from gen-eastwest-gateway.sh', eastWestIop.k8s.service.ports, ['15021/status-port', '15443/tls', '15012/tls-istiod', '15017/tls-webhook']],
    ['an unnamed port without targetPort', [{ port: 8080 }], ['8080']],
    ['a named targetPort', [{ name: 'http', port: 80, targetPort: 'http-alt' }], ['80→http-alt/http']],
  ])('%s', (_scenario, ports, expected) => {
    expect(formatPorts(service('gw', 'istio-system', { ports }))).toEqual(expected);
  });
});

describe('deriveGatewayRows', () => {
  it('the legacy ingress gateway: LoadBalancer address, replicas and ports', () => {
    const rows = deriveGatewayRows(snapshot({ objects: { deployments: [ingressDeployment], services: [ingressService] } }));
    expect(rows).toEqual([
      expect.objectContaining({
        key: 'east/istio-system/Deployment/istio-ingressgateway',
        cluster: 'east',
        namespace: 'istio-system',
        name: 'istio-ingressgateway',
        kind: 'ingress',
        ready: 2,
        desired: 2,
        serviceType: 'LoadBalancer',
        address: '203.0.113.10',
        ports: ['15021/status-port', '80→8080/http2', '443→8443/https'],
        boundGateways: [],
      }),
    ]);
  });

  it('the east-west gateway: hostname address, tls ports', () => {
    const [row] = deriveGatewayRows(snapshot({ objects: { deployments: [eastWestDeployment], services: [eastWestService] } }));
    expect(row).toMatchObject({ kind: 'east-west', address: 'a1b2c3d4e5-1234567890.eu-west-1.elb.amazonaws.com', ports: ['15021/status-port', '15443/tls', '15012/tls-istiod', '15017/tls-webhook'] });
    expect(row!.labels['topology.istio.io/network']).toBe('network1');
  });

  // `helm install istio-ingress istio/gateway -n istio-ingress` (Istio's documented install): the chart labels
  // pods istio=<release name without "istio-">, so the label is `ingress`, not `ingressgateway`.
  it.each([
    ['gateway chart release istio-ingress', 'istio-ingress', 'ingress', 'ingress'],
    ['gateway chart release istio-egress', 'istio-egress', 'egress', 'egress'],
    ['gateway chart release istio-eastwestgateway', 'istio-eastwestgateway', 'eastwestgateway', 'east-west'],
    ['gateway chart release with a custom name', 'platform-gw', 'platform-gw', 'gateway'],
    ['legacy egress gateway', 'istio-egressgateway', 'egressgateway', 'egress'],
  ])('kind from the istio label: %s', (_scenario, name, istioLabel, kind) => {
    const labels = { app: name, istio: istioLabel };
    const [row] = deriveGatewayRows(snapshot({ objects: { deployments: [deployment({ name, namespace: 'istio-ingress', labels, podLabels: labels })] } }));
    expect(row?.kind).toBe(kind);
  });

  it.each([
    ['LoadBalancer without an address yet', { type: gatewayChart.service.type, ports: gatewayChart.service.ports }, { loadBalancer: {} }, 'LoadBalancer', '<pending>'],
    ['ClusterIP', { type: 'ClusterIP', ports: gatewayChart.service.ports }, {}, 'ClusterIP', '10.96.12.34'],
    ['NodePort', { type: 'NodePort', ports: gatewayChart.service.ports }, {}, 'NodePort', '10.96.12.34'],
  ])('service address: %s', (_scenario, spec, status, type, address) => {
    const labels = { app: 'istio-ingress', istio: 'ingress' };
    const objects = { deployments: [deployment({ name: 'istio-ingress', namespace: 'istio-ingress', labels, podLabels: labels })], services: [service('istio-ingress', 'istio-ingress', { ...spec, selector: labels }, status)] };
    expect(deriveGatewayRows(snapshot({ objects }))[0]).toMatchObject({ serviceType: type, address });
  });

  it('finds a differently named Service in the same namespace by its selector, never one in another namespace', () => {
    const labels = { app: 'istio-ingress', istio: 'ingress' };
    const objects = {
      deployments: [deployment({ name: 'istio-ingress', namespace: 'istio-ingress', labels, podLabels: labels })],
      services: [service('ingress-lb', 'istio-ingress', { type: 'LoadBalancer', selector: labels, ports: gatewayChart.service.ports }), service('istio-ingress', 'other', { type: 'ClusterIP', ports: [{ port: 1 }] })],
    };
    expect(deriveGatewayRows(snapshot({ objects }))[0]).toMatchObject({ serviceType: 'LoadBalancer', ports: ['15021/status-port', '80/http2', '443/https'] });
  });

  it('a gateway without a Service has no ports and no type', () => {
    const [row] = deriveGatewayRows(snapshot({ objects: { deployments: [ingressDeployment] } }));
    expect(row!.ports).toEqual([]);
    expect(row!.serviceType).toBeUndefined();
  });

  it('skips istiod and ordinary deployments', () => {
    const istiod = deployment({ name: 'istiod', namespace: 'istio-system', labels: { app: 'istiod', istio: 'pilot' }, podLabels: { app: 'istiod', istio: 'pilot', 'istio.io/rev': 'default' } });
    const app = deployment({ name: 'reviews-v1', namespace: 'bookinfo', podLabels: { app: 'reviews', version: 'v1' } });
    expect(deriveGatewayRows(snapshot({ objects: { deployments: [istiod, app] } }))).toEqual([]);
  });

  it('reports zero ready replicas when the status has none', () => {
    const down = deployment({ name: 'istio-ingressgateway', namespace: 'istio-system', labels: legacyIngress.labels, podLabels: legacyIngress.labels, replicas: 3, readyReplicas: 0 });
    expect(deriveGatewayRows(snapshot({ objects: { deployments: [down] } }))[0]).toMatchObject({ ready: 0, desired: 3 });
  });

  describe('Gateway resources bound by selector, in any namespace', () => {
    // Istio's own samples: cross-network-gateway (expose-services.yaml) and istiod-gateway (expose-istiod.yaml)
    // select istio=eastwestgateway; httpbin-gateway selects istio=ingressgateway.
    const crossNetwork = { ...yamlDocs('multicluster/expose-services.yaml')[0]!, metadata: { name: 'cross-network-gateway', namespace: 'istio-system' } };
    const istiodGateway = { ...yamlDocs('multicluster/expose-istiod.yaml').find((d) => d.kind === 'Gateway')!, metadata: { name: 'istiod-gateway', namespace: 'istio-system' } };
    const httpbinGateway = { ...yamlDocs('samples/httpbin-gateway.yaml').find((d) => d.kind === 'Gateway')!, metadata: { name: 'httpbin-gateway', namespace: 'httpbin' } };
    const unrelated = istioGateway('canary', 'shop', { istio: 'canary-ingress' });
    const partial = istioGateway('strict', 'shop', { istio: 'ingressgateway', app: 'something-else' });
    const objects = { deployments: [ingressDeployment, eastWestDeployment], services: [ingressService, eastWestService], gateways: [crossNetwork, istiodGateway, httpbinGateway, unrelated, partial] };

    it.each([
      ['istio-ingressgateway', ['httpbin/httpbin-gateway']],
      [eastWestIop.name, ['istio-system/cross-network-gateway', 'istio-system/istiod-gateway']],
    ])('%s', (name, bound) => {
      const rows = deriveGatewayRows(snapshot({ objects }));
      expect(rows.find((r) => r.name === name)!.boundGateways).toEqual(bound);
    });

    it('a Gateway without a selector applies to every gateway workload (as istiod merges it)', () => {
      const all = istioGateway('catch-all', 'ops', {});
      delete (all['spec'] as Record<string, unknown>)['selector'];
      const rows = deriveGatewayRows(snapshot({ objects: { ...objects, gateways: [all] } }));
      expect(rows.map((r) => r.boundGateways)).toEqual([['ops/catch-all'], ['ops/catch-all']]);
    });
  });
});
