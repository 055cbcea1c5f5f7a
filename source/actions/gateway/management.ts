import type { GatewayKind } from '../../mesh/gateway-ports/index.js';
import type { GatewayLiveState, Management } from './types.js';

const HELM_RELEASE = 'meta.helm.sh/release-name';
const HELM_NAMESPACE = 'meta.helm.sh/release-namespace';
const MANAGED_BY = 'app.kubernetes.io/managed-by';
const HELM_CHART = 'helm.sh/chart';
const OPERATOR_OWNER = 'install.operator.istio.io/owning-resource';
const OPERATOR_COMPONENT = 'operator.istio.io/component';

type Meta = { labels: Record<string, string>; annotations: Record<string, string> };

/**
 * Who owns the gateway's Service and Deployment. Helm stamps `meta.helm.sh/release-*` annotations
 * on everything it installs (and charts often add `app.kubernetes.io/managed-by: Helm`); istioctl
 * and the Istio operator label their objects `install.operator.istio.io/*`. The old istio-ingress /
 * istio-egress charts carry the operator labels too, so Helm's marks win when both are there.
 */
export function detectManagement(objects: readonly Meta[], kind: GatewayKind): Management {
  const evidence: string[] = [];
  const label = (key: string) => objects.map((o) => o.labels[key]).find((v) => v !== undefined);
  const annotation = (key: string) => objects.map((o) => o.annotations[key]).find((v) => v !== undefined);
  const release = annotation(HELM_RELEASE);
  const releaseNamespace = annotation(HELM_NAMESPACE);
  const managedBy = label(MANAGED_BY);
  const chartLabel = label(HELM_CHART);
  const owner = label(OPERATOR_OWNER);
  const componentLabel = label(OPERATOR_COMPONENT);
  const component = componentLabel === 'EgressGateways' || (componentLabel === undefined && kind === 'egress') ? 'egressGateways' : 'ingressGateways';
  if (release !== undefined) evidence.push(`annotation ${HELM_RELEASE}=${release}`);
  if (releaseNamespace !== undefined) evidence.push(`annotation ${HELM_NAMESPACE}=${releaseNamespace}`);
  if (managedBy !== undefined && managedBy.toLowerCase() === 'helm') evidence.push(`label ${MANAGED_BY}=${managedBy}`);
  if (chartLabel !== undefined) evidence.push(`label ${HELM_CHART}=${chartLabel}`);
  if (evidence.length > 0) {
    return {
      manager: 'helm',
      evidence,
      ...(release !== undefined ? { release } : {}),
      ...(releaseNamespace !== undefined ? { releaseNamespace } : {}),
      chart: helmChart(chartLabel, componentLabel),
      component,
    };
  }
  for (const object of objects) {
    for (const key of Object.keys(object.labels).sort()) {
      if (key.startsWith('install.operator.istio.io/') && !evidence.some((e) => e.startsWith(`label ${key}=`))) evidence.push(`label ${key}=${object.labels[key]}`);
    }
  }
  if (evidence.length > 0) return { manager: 'istio-operator', evidence, ...(owner && owner !== 'unknown' ? { operatorResource: owner } : {}), component };
  return { manager: 'none', evidence: [], component };
}

function helmChart(chartLabel: string | undefined, componentLabel: string | undefined): Management['chart'] {
  if (chartLabel?.startsWith('istio-egress')) return 'istio-egress';
  if (chartLabel?.startsWith('istio-ingress') || chartLabel?.startsWith('gateways')) return 'istio-ingress';
  if (chartLabel?.startsWith('gateway-')) return 'gateway';
  // The old charts label their objects like istioctl does; the gateway chart does not.
  if (componentLabel === 'EgressGateways') return 'istio-egress';
  if (componentLabel === 'IngressGateways') return 'istio-ingress';
  return 'gateway';
}

/** The gateway's management, from its Service and Deployments. */
export function gatewayManagement(live: GatewayLiveState, kind: GatewayKind): Management {
  return detectManagement([live.service, ...live.workloads], kind);
}

/** One line for people: what happens to a direct edit of a managed gateway. */
export function managementWarning(management: Management, service: string): string | undefined {
  if (management.manager === 'helm') {
    const release = management.release ? `release ${management.release}${management.releaseNamespace ? ` in ${management.releaseNamespace}` : ''}, ` : '';
    return `${service} is managed by Helm (${release}Istio's ${management.chart} chart): the next helm upgrade renders the Service from the chart's values again and undoes this edit; put the ports into the release's values as well (meshdeck gateway set-port/remove-port --values-out FILE writes them) so they stay`;
  }
  if (management.manager === 'istio-operator') {
    const owner = management.operatorResource ? ` (IstioOperator ${management.operatorResource})` : '';
    return `${service} was installed by istioctl or the Istio operator${owner}: the next istioctl install or upgrade renders the Service again and undoes this edit; put the ports into the IstioOperator as well (meshdeck gateway set-port/remove-port --values-out FILE writes the overlay) so they stay`;
  }
  return undefined;
}
