import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { detectManagement, preferredSnippet, upgradeSafety, type Management, type SnippetInput } from '../../../source/actions/gateway/index.js';
import type { ServicePort } from '../../../source/mesh/gateway-ports/index.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
type Values = Record<string, any>;
const chart = (file: string) => (parse(readFileSync(join(FIXTURES, 'gateway-values', file), 'utf8')) as Values)['_internal_defaults_do_not_set'] as Values;
const GATEWAY_CHART = chart('gateway-values.yaml');
const INGRESS_CHART = chart('istio-ingress-values.yaml');

const none: Management = { manager: 'none', evidence: [], component: 'ingressGateways' };
const input = (ports: ServicePort[], over: Partial<SnippetInput> = {}): SnippetInput => ({
  service: 'istio-system/istio-ingressgateway',
  namespace: 'istio-system',
  name: 'istio-ingressgateway',
  kind: 'ingress',
  networkGateway: false,
  ports,
  pinnedNodePorts: new Set(),
  management: none,
  ...over,
});
const snippet = (ports: ServicePort[], format: string, over: Partial<SnippetInput> = {}) => {
  const found = upgradeSafety(input(ports, over)).snippets.find((s) => s.format === format)!;
  return { ...found, values: parse(found.yaml) as Values };
};
/** A chart's default ports as the Service the chart renders has them. */
const asService = (ports: Values[]): ServicePort[] => ports.map((p) => ({ name: p['name'], port: p['port'], targetPort: p['targetPort'], protocol: p['protocol'] }));

describe('values snippets match the charts', () => {
  it("the gateway chart: service.ports, entries laid out as the chart's own defaults", () => {
    const defaults = GATEWAY_CHART['service']['ports'] as Values[];
    const { values, yaml } = snippet(asService(defaults), 'helm-gateway');
    expect(Object.keys(values)).toEqual(['service']);
    // The same list, keys in the same order: a chart's defaults come back unchanged.
    expect(JSON.stringify(values['service']['ports'])).toBe(JSON.stringify(defaults));
    expect(yaml).toMatch(/^# meshdeck: .*\n# Helm replaces lists: this is the whole list, keep every port in it\.\n# helm upgrade istio-ingressgateway istio\/gateway -n istio-system --reuse-values -f THIS-FILE\nservice:\n/);
  });

  it('the istio-ingress chart: gateways.istio-ingressgateway.ports, entries laid out as its defaults', () => {
    const defaults = INGRESS_CHART['gateways']['istio-ingressgateway']['ports'] as Values[];
    const { values } = snippet(asService(defaults), 'helm-istio-ingress');
    expect(Object.keys(values)).toEqual(['gateways']);
    expect(Object.keys(values['gateways'])).toEqual(['istio-ingressgateway']);
    expect(JSON.stringify(values['gateways']['istio-ingressgateway']['ports'])).toBe(JSON.stringify(defaults));
  });

  it('a new port appears with only keys the chart templates pass through, node ports only when pinned', () => {
    const ports: ServicePort[] = [...asService(GATEWAY_CHART['service']['ports']), { name: 'tcp-db', port: 31400, targetPort: 31400, nodePort: 31400, protocol: 'TCP' }];
    const loose = snippet(ports, 'helm-gateway').values['service']['ports'] as Values[];
    expect(loose.at(-1)).toEqual({ name: 'tcp-db', port: 31400, protocol: 'TCP', targetPort: 31400 });
    const pinned = snippet(ports, 'helm-istio-ingress', { pinnedNodePorts: new Set(['tcp-db']) }).values['gateways']['istio-ingressgateway']['ports'] as Values[];
    expect(pinned.at(-1)).toEqual({ port: 31400, targetPort: 31400, name: 'tcp-db', protocol: 'TCP', nodePort: 31400 });
    const keys = new Set((INGRESS_CHART['gateways']['istio-ingressgateway']['ports'] as Values[]).flatMap((p) => Object.keys(p)));
    for (const port of pinned) for (const key of Object.keys(port)) expect([...keys, 'nodePort']).toContain(key);
  });

  it('the gateway chart with networkGateway: networkGatewayPorts for its four ports, and what it cannot render', () => {
    const ports: ServicePort[] = [...asService(Object.entries(GATEWAY_CHART['networkGatewayPorts'] as Values).map(([name, p]) => ({ name, ...p, protocol: 'TCP' }))), { name: 'tls-extra', port: 16443, targetPort: 16443 }];
    const { values, notes } = snippet(ports, 'helm-gateway', { kind: 'east-west', networkGateway: true });
    expect(values).toEqual({ networkGatewayPorts: GATEWAY_CHART['networkGatewayPorts'] });
    expect(notes[1]).toContain('it cannot render tls-extra');
  });

  it("the IstioOperator overlay has gen-eastwest-gateway.sh's layout", () => {
    const iop = parse(readFileSync(join(FIXTURES, 'multicluster', 'eastwest-network1.iop.yaml'), 'utf8')) as Values;
    const component = (iop['spec']['components']['ingressGateways'] as Values[])[0]!;
    const ports = (component['k8s']['service']['ports'] as Values[]).map((p) => ({ ...p, protocol: 'TCP' })) as ServicePort[];
    const { values } = snippet(ports, 'istio-operator', { name: 'istio-eastwestgateway', kind: 'east-west', management: { manager: 'istio-operator', evidence: [], component: 'ingressGateways', operatorResource: 'eastwest' } });
    expect(values['apiVersion']).toBe(iop['apiVersion']);
    expect(values['kind']).toBe('IstioOperator');
    expect(values['metadata']).toEqual({ name: 'eastwest' });
    const mine = (values['spec']['components']['ingressGateways'] as Values[])[0]!;
    expect(mine['name']).toBe(component['name']);
    expect((mine['k8s']['service']['ports'] as Values[]).map(({ protocol: _p, ...rest }) => rest)).toEqual(component['k8s']['service']['ports']);
  });
});

describe('who manages a gateway', () => {
  const meta = (labels: Record<string, string>, annotations: Record<string, string> = {}) => ({ labels, annotations });
  it.each<[string, ReturnType<typeof meta>[], Partial<Management>]>([
    ['nothing', [meta({ app: 'gw' })], { manager: 'none' }],
    ['istioctl install', [meta({ 'install.operator.istio.io/owning-resource': 'installed-state', 'operator.istio.io/component': 'IngressGateways' })], { manager: 'istio-operator', operatorResource: 'installed-state' }],
    ['the gateway chart', [meta({ 'app.kubernetes.io/managed-by': 'Helm', 'helm.sh/chart': 'gateway-1.24.0' }, { 'meta.helm.sh/release-name': 'istio-ingress', 'meta.helm.sh/release-namespace': 'istio-ingress' })], { manager: 'helm', chart: 'gateway', release: 'istio-ingress', releaseNamespace: 'istio-ingress' }],
    ['the old istio-ingress chart (operator labels and Helm annotations)', [meta({ 'install.operator.istio.io/owning-resource': 'unknown', 'operator.istio.io/component': 'IngressGateways' }, { 'meta.helm.sh/release-name': 'istio-ingress' })], { manager: 'helm', chart: 'istio-ingress' }],
    ['the old istio-egress chart', [meta({ 'operator.istio.io/component': 'EgressGateways', 'app.kubernetes.io/managed-by': 'Helm' })], { manager: 'helm', chart: 'istio-egress', component: 'egressGateways' }],
  ])('%s', (_case, objects, expected) => {
    expect(detectManagement(objects, 'ingress')).toMatchObject(expected);
  });

  it('prefers the snippet of the manager, and warns only for managed gateways', () => {
    const helm = detectManagement([meta({ 'app.kubernetes.io/managed-by': 'Helm', 'operator.istio.io/component': 'IngressGateways' })], 'ingress');
    const safety = upgradeSafety(input([], { management: helm }));
    expect(preferredSnippet(safety).format).toBe('helm-istio-ingress');
    expect(safety.warning).toMatch(/is managed by Helm \(Istio's istio-ingress chart\): the next helm upgrade renders the Service from the chart's values again and undoes this edit/);
    expect(upgradeSafety(input([])).warning).toBeUndefined();
    expect(preferredSnippet(upgradeSafety(input([]))).format).toBe('helm-gateway');
  });
});
