import { join } from 'node:path';
import { stringify } from 'yaml';
import type { JoinSettings } from './types.js';

// What meshdeck writes for installing Istio itself (it never installs Istio): the remote profile's
// Helm values and IstioOperator, as Istio's primary-remote guide writes them, and east-west gateways
// as samples/multicluster/gen-eastwest-gateway.sh prints them.

export interface InstallFile {
  path: string;
  /** What it is for, in a few words. */
  purpose: string;
  /** Context the file is for. */
  cluster: string;
  content: string;
}

const YAML = { indentSeq: false, lineWidth: 0 } as const;

/** `/inject/cluster/<cluster>/net/<network>`: the path the primary's istiod injects the remote's pods on. */
export function injectionPath(s: Pick<JoinSettings, 'clusterName' | 'network'>): string {
  return `/inject/cluster/${s.clusterName}/net/${s.network}`;
}

function header(s: JoinSettings, what: string): string {
  const lines = [`# ${what} for ${s.remote} as a remote of ${s.primary} (written by meshdeck join; meshdeck does not install Istio).`];
  if (!s.discoveryAddress) lines.push(`# remotePilotAddress is empty: ${s.primary} has no east-west gateway address yet. Install the gateway, then run meshdeck join again to fill it in.`);
  return `${lines.join('\n')}\n`;
}

/** Helm values for `helm install istiod istio/istiod` with the remote profile (Istio 1.24+). */
export function remoteHelmValues(s: JoinSettings): string {
  const values = {
    profile: 'remote',
    global: { meshID: s.meshId, multiCluster: { clusterName: s.clusterName }, network: s.network, configCluster: true, remotePilotAddress: s.discoveryAddress ?? '' },
    istiodRemote: { injectionPath: injectionPath(s) },
  };
  return header(s, 'Helm values of the Istio remote profile') + stringify(values, YAML);
}

/** The IstioOperator for `istioctl install` with the remote profile. */
export function remoteIstioOperator(s: JoinSettings): string {
  const iop = {
    apiVersion: 'install.istio.io/v1alpha1',
    kind: 'IstioOperator',
    spec: {
      profile: 'remote',
      values: {
        istiodRemote: { injectionPath: injectionPath(s) },
        global: { meshID: s.meshId, multiCluster: { clusterName: s.clusterName }, network: s.network, remotePilotAddress: s.discoveryAddress ?? '' },
      },
    },
  };
  return header(s, 'IstioOperator of the Istio remote profile') + stringify(iop, YAML);
}

/** What `gen-eastwest-gateway.sh --network NETWORK` prints, byte for byte. */
export function eastWestGatewayOperator(network: string): string {
  return `apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata:
  name: eastwest
spec:
  revision: ""
  profile: empty
  components:
    ingressGateways:
      - name: istio-eastwestgateway
        label:
          istio: eastwestgateway
          app: istio-eastwestgateway
          topology.istio.io/network: ${network}
        enabled: true
        k8s:
          env:
            # traffic through this gateway should be routed inside the network
            - name: ISTIO_META_REQUESTED_NETWORK_VIEW
              value: ${network}
          service:
            ports:
              - name: status-port
                port: 15021
                targetPort: 15021
              - name: tls
                port: 15443
                targetPort: 15443
              - name: tls-istiod
                port: 15012
                targetPort: 15012
              - name: tls-webhook
                port: 15017
                targetPort: 15017
  values:
    gateways:
      istio-ingressgateway:
        injectionTemplate: gateway
    global:
      network: ${network}
`;
}

/** A file name from a context name (EKS contexts are ARNs with ':' and '/'). */
export function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** A word for a shell command line, quoted only when it must be. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The files for a join and the commands that use them: the remote profile (Helm or istioctl), and an
 * east-west gateway for each cluster that needs one and has none (`needsGateway`: context → network).
 */
export function installFiles(s: JoinSettings, needsGateway: { cluster: string; network: string }[]): { files: InstallFile[]; commands: string[] } {
  const dir = s.outDir;
  const remote = fileSafe(s.remote);
  const values: InstallFile = { path: join(dir, `${remote}-remote-values.yaml`), purpose: 'Helm values of the remote profile', cluster: s.remote, content: remoteHelmValues(s) };
  const operator: InstallFile = { path: join(dir, `${remote}-remote-istiooperator.yaml`), purpose: 'IstioOperator of the remote profile', cluster: s.remote, content: remoteIstioOperator(s) };
  const gateways = needsGateway.map((g): InstallFile => ({ path: join(dir, `${fileSafe(g.cluster)}-eastwest-gateway.yaml`), purpose: `east-west gateway on ${g.network}`, cluster: g.cluster, content: eastWestGatewayOperator(g.network) }));
  const ctx = shellWord;
  const commands = [
    ...gateways.map((g) => `istioctl install --context=${ctx(g.cluster)} -y -f ${ctx(g.path)}`),
    `istioctl install --context=${ctx(s.remote)} -f ${ctx(operator.path)}`,
    `# or, with Helm (Istio 1.24+):`,
    `helm install istio-base istio/base -n istio-system --set profile=remote --kube-context ${ctx(s.remote)}`,
    `helm install istiod istio/istiod -n istio-system -f ${ctx(values.path)} --kube-context ${ctx(s.remote)}`,
  ];
  return { files: [...gateways, values, operator], commands };
}
