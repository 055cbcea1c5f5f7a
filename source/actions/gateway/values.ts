import { stringify } from 'yaml';
import type { GatewayKind, ServicePort } from '../../mesh/gateway-ports/index.js';
import { managementWarning } from './management.js';
import type { Management, SnippetFormat, UpgradeSafety, ValuesSnippet } from './types.js';

/** The ports the gateway chart renders from `networkGatewayPorts` when `networkGateway` is set. */
const NETWORK_GATEWAY_PORTS = ['status-port', 'tls', 'tls-istiod', 'tls-webhook'];

export interface SnippetInput {
  /** `namespace/name` of the Service. */
  service: string;
  namespace: string;
  name: string;
  kind: GatewayKind;
  /** The Service is labelled with a network (the gateway chart's `networkGateway`). */
  networkGateway: boolean;
  /** The whole port list after the change: Helm and istioctl replace lists, they do not merge them. */
  ports: readonly ServicePort[];
  /** Node ports to pin (those the user set); others are left for Kubernetes to keep or allocate. */
  pinnedNodePorts: ReadonlySet<string>;
  management: Management;
}

// Key order as each chart's own values.yaml writes its ports.
function chartPort(port: ServicePort, order: 'gateway' | 'legacy', pinned: ReadonlySet<string>): Record<string, unknown> {
  const nodePort = port.nodePort !== undefined && pinned.has(port.name ?? '') ? { nodePort: port.nodePort } : {};
  const appProtocol = port.appProtocol !== undefined ? { appProtocol: port.appProtocol } : {};
  const protocol = port.protocol ?? 'TCP';
  const targetPort = port.targetPort ?? port.port;
  if (order === 'gateway') return { name: port.name, port: port.port, protocol, targetPort, ...nodePort, ...appProtocol };
  return { port: port.port, targetPort, name: port.name, protocol, ...nodePort, ...appProtocol };
}

const header = (lines: string[]) => lines.map((l) => `# ${l}`.trimEnd()).join('\n') + '\n';

function helmGateway(input: SnippetInput): ValuesSnippet {
  const release = input.management.release ?? input.name;
  const namespace = input.management.releaseNamespace ?? input.namespace;
  const use = `helm upgrade ${release} istio/gateway -n ${namespace} --reuse-values -f THIS-FILE`;
  if (input.kind === 'east-west' && input.networkGateway) {
    const known = input.ports.filter((p) => NETWORK_GATEWAY_PORTS.includes(p.name ?? ''));
    const extra = input.ports.filter((p) => !NETWORK_GATEWAY_PORTS.includes(p.name ?? ''));
    const values = { networkGatewayPorts: Object.fromEntries(known.map((p) => [p.name!, { port: p.port, targetPort: p.targetPort ?? p.port, ...(p.nodePort !== undefined && input.pinnedNodePorts.has(p.name!) ? { nodePort: p.nodePort } : {}) }])) };
    const notes = [
      'with networkGateway set, the gateway chart renders only status-port, tls, tls-istiod and tls-webhook (from networkGatewayPorts, Istio 1.30 and later; older charts fix them)',
      ...(extra.length > 0 ? [`it cannot render ${extra.map((p) => p.name ?? p.port).join(', ')}: expose those through a second Service selecting the gateway's pods, or install the gateway without networkGateway and list every port in service.ports`] : []),
    ];
    return {
      format: 'helm-gateway',
      title: `values for the gateway chart (networkGatewayPorts): ${use}`,
      yaml: header([`meshdeck: the network-gateway ports of Service ${input.service} for Istio's gateway chart`, use]) + stringify(values),
      notes,
    };
  }
  const values = { service: { ports: input.ports.map((p) => chartPort(p, 'gateway', input.pinnedNodePorts)) } };
  return {
    format: 'helm-gateway',
    title: `values for the gateway chart (service.ports): ${use}`,
    yaml: header([`meshdeck: the ports of Service ${input.service} for Istio's gateway chart (service.ports)`, 'Helm replaces lists: this is the whole list, keep every port in it.', use]) + stringify(values),
    notes: [],
  };
}

function helmLegacy(input: SnippetInput): ValuesSnippet {
  const egress = input.management.chart === 'istio-egress' || (input.management.chart !== 'istio-ingress' && input.management.component === 'egressGateways');
  const chart = egress ? 'istio-egress' : 'istio-ingress';
  const key = egress ? 'istio-egressgateway' : 'istio-ingressgateway';
  const release = input.management.release ?? chart;
  const use = `helm upgrade ${release} <${chart} chart> -n ${input.management.releaseNamespace ?? input.namespace} --reuse-values -f THIS-FILE`;
  const values = { gateways: { [key]: { ports: input.ports.map((p) => chartPort(p, 'legacy', input.pinnedNodePorts)) } } };
  return {
    format: egress ? 'helm-istio-egress' : 'helm-istio-ingress',
    title: `values for the ${chart} chart (gateways.${key}.ports): ${use}`,
    yaml: header([`meshdeck: the ports of Service ${input.service} for Istio's ${chart} chart (gateways.${key}.ports)`, 'Helm replaces lists: this is the whole list, keep every port in it.', use]) + stringify(values),
    notes: [],
  };
}

function istioOperator(input: SnippetInput): ValuesSnippet {
  const owner = input.management.operatorResource;
  const overlay = {
    apiVersion: 'install.istio.io/v1alpha1',
    kind: 'IstioOperator',
    ...(owner ? { metadata: { name: owner } } : {}),
    spec: {
      components: {
        [input.management.component]: [
          {
            name: input.name,
            namespace: input.namespace,
            enabled: true,
            k8s: { service: { ports: input.ports.map((p) => chartPort(p, 'gateway', input.pinnedNodePorts)) } },
          },
        ],
      },
    },
  };
  const use = 'istioctl install -f YOUR-ISTIOOPERATOR.yaml';
  return {
    format: 'istio-operator',
    title: `IstioOperator overlay (components.${input.management.component}[${input.name}].k8s.service.ports), to merge into the IstioOperator you install with: ${use}`,
    yaml:
      header([
        `meshdeck: the ports of Service ${input.service} as an IstioOperator overlay`,
        `Copy k8s.service.ports into the ${input.name} entry of components.${input.management.component} in the`,
        'IstioOperator you install with, keeping that entry\'s other fields (label, env, ...): a list in a',
        `second -f file replaces the first one's list. istioctl replaces the port list too: keep every port. Then: ${use}`,
      ]) + stringify(overlay),
    notes: [],
  };
}

/** Whether a direct edit survives the next upgrade, and the values that make it survive. */
export function upgradeSafety(input: SnippetInput): UpgradeSafety {
  const snippets = [helmGateway(input), helmLegacy(input), istioOperator(input)];
  const m = input.management;
  const preferred: SnippetFormat = m.manager === 'istio-operator' ? 'istio-operator' : m.manager === 'helm' && m.chart !== 'gateway' ? snippets[1]!.format : 'helm-gateway';
  const warning = managementWarning(m, input.service);
  return { management: m, ...(warning ? { warning } : {}), snippets, preferred };
}

export function preferredSnippet(safety: UpgradeSafety): ValuesSnippet {
  return safety.snippets.find((s) => s.format === safety.preferred) ?? safety.snippets[0]!;
}
