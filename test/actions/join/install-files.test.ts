import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { crossNetworkGateway, eastWestGatewayOperator, installFiles, istiodGateway, istiodVirtualService, readerTokenSecret, remoteHelmValues, remoteIstioOperator, type JoinSettings } from '../../../source/actions/join/index.js';

const MULTICLUSTER = join(import.meta.dirname, '..', '..', 'fixtures', 'multicluster');
const fixture = (file: string) => readFileSync(join(MULTICLUSTER, file), 'utf8');
const docs = (file: string) => parseAllDocuments(fixture(file)).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: unknown });

const SETTINGS: JoinSettings = {
  primary: 'east',
  remote: 'west',
  clusterName: 'west',
  secretName: 'istio-remote-secret-west',
  network: 'network2',
  meshId: 'mesh1',
  primaryClusterId: 'east',
  primaryNetwork: 'network1',
  remoteApiServer: 'https://10.0.0.5:6443',
  multiNetwork: true,
  discoveryAddress: '34.75.71.237',
  istiodService: 'istiod',
  outDir: '/work/out',
};

const meshdeckMarks = { labels: { 'app.kubernetes.io/managed-by': 'meshdeck' }, annotations: { 'meshdeck.io/join-cluster': 'west' } };

describe("the objects join creates are Istio's samples/multicluster, marked as meshdeck's", () => {
  it.each([
    ['expose-istiod.yaml Gateway', 'expose-istiod.yaml', 'istiod-gateway', istiodGateway('west')],
    ['expose-istiod.yaml VirtualService', 'expose-istiod.yaml', 'istiod-vs', istiodVirtualService('west')],
    ['expose-services.yaml Gateway', 'expose-services.yaml', 'cross-network-gateway', crossNetworkGateway('west')],
  ])('%s', (_name, file, objectName, ours) => {
    const sample = docs(file).find((d) => d.metadata.name === objectName)!;
    expect(ours).toEqual({ ...sample, metadata: { name: objectName, namespace: 'istio-system', ...meshdeckMarks } });
  });

  it('routes to a revisioned istiod when the primary runs one', () => {
    const vs = istiodVirtualService('west', 'istiod-canary') as { spec: { tls: { route: { destination: { host: string } }[] }[] } };
    expect(vs.spec.tls.map((t) => t.route[0]!.destination.host)).toEqual(['istiod-canary.istio-system.svc.cluster.local', 'istiod-canary.istio-system.svc.cluster.local']);
  });

  it('asks for a long-lived reader token the API server fills in', () => {
    expect(readerTokenSecret('west')).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'istio-reader-service-account-istio-remote-secret-token', namespace: 'istio-system', labels: meshdeckMarks.labels, annotations: { 'kubernetes.io/service-account.name': 'istio-reader-service-account', ...meshdeckMarks.annotations } },
      type: 'kubernetes.io/service-account-token',
    });
  });
});

describe('the files for installing Istio (meshdeck does not install it)', () => {
  it('writes an east-west gateway exactly as gen-eastwest-gateway.sh --network prints it', () => {
    expect(eastWestGatewayOperator('network1')).toBe(fixture('eastwest-network1.iop.yaml'));
  });

  it('writes the remote profile as Helm values with the settings of the primary-remote guide', () => {
    const text = remoteHelmValues(SETTINGS);
    expect(text.split('\n')[0]).toBe('# Helm values of the Istio remote profile for west as a remote of east (written by meshdeck join; meshdeck does not install Istio).');
    expect(parse(text)).toEqual({
      profile: 'remote',
      global: { meshID: 'mesh1', multiCluster: { clusterName: 'west' }, network: 'network2', configCluster: true, remotePilotAddress: '34.75.71.237' },
      istiodRemote: { injectionPath: '/inject/cluster/west/net/network2' },
    });
  });

  it('writes the remote profile as an IstioOperator', () => {
    expect(parse(remoteIstioOperator(SETTINGS))).toEqual({
      apiVersion: 'install.istio.io/v1alpha1',
      kind: 'IstioOperator',
      spec: { profile: 'remote', values: { istiodRemote: { injectionPath: '/inject/cluster/west/net/network2' }, global: { meshID: 'mesh1', multiCluster: { clusterName: 'west' }, network: 'network2', remotePilotAddress: '34.75.71.237' } } },
    });
  });

  it('says so in the file when the primary has no east-west gateway address yet', () => {
    const { discoveryAddress: _none, ...settings } = SETTINGS;
    const text = remoteHelmValues(settings);
    expect(text).toContain('# remotePilotAddress is empty: east has no east-west gateway address yet. Install the gateway, then run meshdeck join again to fill it in.\n');
    expect((parse(text) as { global: { remotePilotAddress: string } }).global.remotePilotAddress).toBe('');
  });

  it('prints the exact commands, with context names quoted for the shell when they need it', () => {
    const arn = 'arn:aws:eks:eu-west-1:123456789012:cluster/west';
    const { files, commands } = installFiles({ ...SETTINGS, remote: arn }, [{ cluster: 'east', network: 'network1' }]);
    expect(files.map((f) => f.path)).toEqual(['/work/out/east-eastwest-gateway.yaml', '/work/out/arn_aws_eks_eu-west-1_123456789012_cluster_west-remote-values.yaml', '/work/out/arn_aws_eks_eu-west-1_123456789012_cluster_west-remote-istiooperator.yaml']);
    expect(commands).toEqual([
      'istioctl install --context=east -y -f /work/out/east-eastwest-gateway.yaml',
      `istioctl install --context=${arn} -f /work/out/arn_aws_eks_eu-west-1_123456789012_cluster_west-remote-istiooperator.yaml`,
      '# or, with Helm (Istio 1.24+):',
      `helm install istio-base istio/base -n istio-system --set profile=remote --kube-context ${arn}`,
      `helm install istiod istio/istiod -n istio-system -f /work/out/arn_aws_eks_eu-west-1_123456789012_cluster_west-remote-values.yaml --kube-context ${arn}`,
    ]);
    expect(installFiles({ ...SETTINGS, remote: "kind west's" }, []).commands[0]).toBe(`istioctl install --context='kind west'\\''s' -f /work/out/kind_west_s-remote-istiooperator.yaml`);
  });
});
