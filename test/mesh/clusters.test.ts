import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deriveClusterRow } from '../../source/mesh/clusters.js';
import { istioIdentity } from '../../source/mesh/istio-config.js';
import { shortFingerprint } from '../../source/mesh/format.js';
import { summarizePem } from '../../source/pki/fingerprint.js';
import type { KubeObject } from '../../source/kube/types.js';
import { configMap, deployment, deploymentPod, namespace, NOW, remoteSecret, snapshot, type SnapshotInput } from '../helpers/snapshot.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

/** istiod as istioctl/helm install it, optionally revisioned (istiod-<rev>) and with a CLUSTER_ID. */
function istiod(options: { revision?: string; clusterId?: string; image?: string } = {}): KubeObject {
  const { revision = 'default', clusterId, image = 'docker.io/istio/pilot:1.24.2' } = options;
  const name = revision === 'default' ? 'istiod' : `istiod-${revision}`;
  const env = [
    { name: 'REVISION', value: revision },
    { name: 'PILOT_CERT_PROVIDER', value: 'istiod' },
    ...(clusterId ? [{ name: 'CLUSTER_ID', value: clusterId }] : []),
    { name: 'POD_NAME', value: '' },
  ];
  return deployment({
    name,
    namespace: 'istio-system',
    labels: { app: 'istiod', 'istio.io/rev': revision, istio: 'pilot', 'operator.istio.io/component': 'Pilot' },
    podLabels: { app: 'istiod', 'istio.io/rev': revision, istio: revision === 'default' ? 'pilot' : 'istiod', 'sidecar.istio.io/inject': 'false' },
    containers: [{ name: 'discovery', image, env }],
  });
}

/** The injector's values JSON as Istio renders it into the istio-sidecar-injector ConfigMap (trimmed to global). */
function injectorConfigMap(global: Record<string, unknown>, revision = 'default'): KubeObject {
  const values = { global: { hub: 'docker.io/istio', tag: '1.24.2', istioNamespace: 'istio-system', proxy: { clusterDomain: 'cluster.local' }, ...global }, revision: revision === 'default' ? '' : revision, sidecarInjectorWebhook: { defaultTemplates: [], rewriteAppHTTPProbe: true } };
  return configMap(revision === 'default' ? 'istio-sidecar-injector' : `istio-sidecar-injector-${revision}`, 'istio-system', { config: 'policy: enabled\nalwaysInjectSelector: []\n', values: JSON.stringify(values, null, 2) });
}

function meshConfigMap(mesh: string, revision = 'default'): KubeObject {
  return configMap(revision === 'default' ? 'istio' : `istio-${revision}`, 'istio-system', { mesh, meshNetworks: 'networks: {}' });
}

const MESH_YAML = `defaultConfig:
  discoveryAddress: istiod.istio-system.svc:15012
  meshId: mesh-from-meshconfig
  proxyMetadata: {}
  tracing:
    zipkin:
      address: zipkin.istio-system:9411
defaultProviders:
  metrics:
  - prometheus
enablePrometheusMerge: true
rootNamespace: istio-system
trustDomain: example.org
`;

const istioSystem = (labels: Record<string, string> = {}, annotations?: Record<string, string>) => namespace('istio-system', labels, annotations);

describe('deriveClusterRow: role', () => {
  it.each<[string, SnapshotInput, string]>([
    ['istiod and remote secrets → primary', { objects: { namespaces: [istioSystem()], deployments: [istiod()], remoteSecrets: [remoteSecret('west')] } }, 'primary'],
    ['istiod without remote secrets → standalone', { objects: { namespaces: [istioSystem()], deployments: [istiod()] } }, 'standalone'],
    ['a revisioned istiod (istiod-1-24) → standalone', { objects: { namespaces: [istioSystem()], deployments: [istiod({ revision: '1-24' })] } }, 'standalone'],
    ['a revisioned istiod with remote secrets → primary', { objects: { namespaces: [istioSystem()], deployments: [istiod({ revision: 'canary' })], remoteSecrets: [remoteSecret('west')] } }, 'primary'],
    ['controlPlaneClusters annotation, no istiod → remote', { objects: { namespaces: [istioSystem({}, { 'topology.istio.io/controlPlaneClusters': 'east' })] } }, 'remote'],
    ['only the injector ConfigMap → remote', { objects: { namespaces: [istioSystem()], istioConfigMaps: [injectorConfigMap({})] } }, 'remote'],
    ['only a revisioned injector ConfigMap → remote', { objects: { namespaces: [istioSystem()], istioConfigMaps: [injectorConfigMap({}, '1-24')] } }, 'remote'],
    ['plain Kubernetes → no istio', { objects: { namespaces: [namespace('default'), namespace('kube-system')] } }, 'no istio'],
    ['still connecting → unknown', { state: 'connecting', objects: {} }, 'unknown'],
    ['down before anything was listed → unknown', { state: 'down', error: 'connection refused', objects: {} }, 'unknown'],
    ['stale: judged from what was cached', { state: 'stale', error: 'connection refused', lastEventAt: NOW - 60_000, objects: { namespaces: [istioSystem()], deployments: [istiod()] } }, 'standalone'],
  ])('%s', (_scenario, input, role) => {
    expect(deriveClusterRow(snapshot(input), NOW).role).toBe(role);
  });

  it('lists the control planes a remote names', () => {
    const row = deriveClusterRow(snapshot({ objects: { namespaces: [istioSystem({}, { 'topology.istio.io/controlPlaneClusters': 'east, central' })] } }), NOW);
    expect(row.controlPlanes).toEqual(['east', 'central']);
  });
});

describe('deriveClusterRow: identity', () => {
  it.each<[string, SnapshotInput, { meshId?: string; clusterId?: string; network?: string; trustDomain?: string }]>([
    [
      'everything from the injector values and the mesh config',
      { objects: { deployments: [istiod({ clusterId: 'env-cluster' })], namespaces: [istioSystem({ 'topology.istio.io/network': 'ns-network' })], istioConfigMaps: [injectorConfigMap({ meshID: 'mesh1', multiCluster: { clusterName: 'cluster1' }, network: 'network1' }), meshConfigMap(MESH_YAML)] } },
      { meshId: 'mesh1', clusterId: 'cluster1', network: 'network1', trustDomain: 'example.org' },
    ],
    [
      'cluster ID from istiod CLUSTER_ID, mesh ID from the mesh config, network from the namespace label',
      { objects: { deployments: [istiod({ clusterId: 'env-cluster' })], namespaces: [istioSystem({ 'topology.istio.io/network': 'ns-network' })], istioConfigMaps: [injectorConfigMap({ meshID: '', multiCluster: { clusterName: '' } }), meshConfigMap(MESH_YAML)] } },
      { meshId: 'mesh-from-meshconfig', clusterId: 'env-cluster', network: 'ns-network', trustDomain: 'example.org' },
    ],
    [
      'a revisioned control plane reads its own ConfigMaps and istiod',
      { objects: { deployments: [istiod({ revision: '1-24', clusterId: 'rev-cluster' })], namespaces: [istioSystem()], istioConfigMaps: [injectorConfigMap({ meshID: 'rev-mesh', network: 'rev-net' }, '1-24'), meshConfigMap('trustDomain: rev.example\n', '1-24')] } },
      { meshId: 'rev-mesh', clusterId: 'rev-cluster', network: 'rev-net', trustDomain: 'rev.example' },
    ],
    ['a broken values document and mesh config are ignored', { objects: { istioConfigMaps: [configMap('istio-sidecar-injector', 'istio-system', { values: '{not json: [' }), meshConfigMap(': : :\n  - [')] } }, {}],
    ['nothing Istio at all', { objects: { namespaces: [namespace('default')] } }, {}],
  ])('%s', (_scenario, input, expected) => {
    const s = snapshot(input);
    expect(istioIdentity(s)).toEqual(expected);
    const row = deriveClusterRow(s, NOW);
    expect({ meshId: row.meshId, clusterId: row.clusterId, network: row.network }).toEqual({ meshId: expected.meshId, clusterId: expected.clusterId, network: expected.network });
  });
});

describe('deriveClusterRow: versions', () => {
  it.each<[string, SnapshotInput, string | undefined]>([
    ['from the istiod image tag', { objects: { deployments: [istiod({ image: 'gcr.io/istio-release/pilot:1.23.4-distroless' })] } }, '1.23.4-distroless'],
    ['from a revisioned istiod', { objects: { deployments: [istiod({ revision: '1-24', image: 'docker.io/istio/pilot:1.24.2' })] } }, '1.24.2'],
    ['from a registry with a port', { objects: { deployments: [istiod({ image: 'registry.local:5000/istio/pilot:1.22.0' })] } }, '1.22.0'],
    ['a digest-only image has no version', { objects: { deployments: [istiod({ image: 'docker.io/istio/pilot@sha256:0123abcd' })] } }, undefined],
    ['no Istio', { objects: { deployments: [deployment({ name: 'web', podLabels: { app: 'web' }, containers: [{ name: 'web', image: 'nginx:1.27' }] })] } }, undefined],
  ])('Istio version %s', (_scenario, input, version) => {
    expect(deriveClusterRow(snapshot(input), NOW).istioVersion).toBe(version);
  });

  it('carries the Kubernetes version and counts pods', () => {
    const row = deriveClusterRow(snapshot({ kubernetesVersion: 'v1.31.2-gke.1000', objects: { pods: [deploymentPod('a', '1'), deploymentPod('a', '2')] } }), NOW);
    expect(row).toMatchObject({ kubernetesVersion: 'v1.31.2-gke.1000', pods: 2 });
  });
});

describe('deriveClusterRow: remote secrets and istiod sync status', () => {
  const primary = { namespaces: [istioSystem()], deployments: [istiod()] };
  it.each<[string, SnapshotInput, { clusterId: string; secret: string; status: string }[]]>([
    [
      'statuses from istiod /debug/clusterz, sorted by cluster',
      { objects: { ...primary, remoteSecrets: [remoteSecret('west'), remoteSecret('central')] }, istiodClusters: [{ id: 'east', syncStatus: 'synced' }, { id: 'west', syncStatus: 'synced' }, { id: 'central', syncStatus: 'timeout' }] },
      [
        { clusterId: 'central', secret: 'istio-remote-secret-central', status: 'timeout' },
        { clusterId: 'west', secret: 'istio-remote-secret-west', status: 'synced' },
      ],
    ],
    ['istiod not reachable: unknown', { objects: { ...primary, remoteSecrets: [remoteSecret('west')] } }, [{ clusterId: 'west', secret: 'istio-remote-secret-west', status: 'unknown' }]],
    ['a remote secret on a cluster without istiod', { objects: { namespaces: [istioSystem()], remoteSecrets: [remoteSecret('west')] } }, [{ clusterId: 'west', secret: 'istio-remote-secret-west', status: 'no istiod' }]],
    ['the cluster ID is the data key even without the annotation', { objects: { ...primary, remoteSecrets: [remoteSecret('west', { annotate: false })] }, istiodClusters: [{ id: 'west', syncStatus: 'syncing' }] }, [{ clusterId: 'west', secret: 'istio-remote-secret-west', status: 'syncing' }]],
    [
      "Istio's analyzer fixture: stringData, no annotation",
      { objects: { ...primary, remoteSecrets: [parse(readFileSync(join(fixtures, 'remote-secret', 'multicluster-unknown-serviceregistry.yaml'), 'utf8')) as KubeObject] } },
      [{ clusterId: 'istio-remote', secret: 'istio-remote-secret-istio-remote', status: 'unknown' }],
    ],
    [
      'one secret naming two clusters',
      { objects: { ...primary, remoteSecrets: [{ ...remoteSecret('west'), data: { west: 'YQ==', north: 'Yg==' } }] }, istiodClusters: [{ id: 'north', syncStatus: 'synced' }] },
      [
        { clusterId: 'north', secret: 'istio-remote-secret-west', status: 'synced' },
        { clusterId: 'west', secret: 'istio-remote-secret-west', status: 'unknown' },
      ],
    ],
  ])('%s', (_scenario, input, expected) => {
    expect(deriveClusterRow(snapshot(input), NOW).remoteSecrets).toEqual(expected);
  });
});

describe('deriveClusterRow: why remote sync states are unknown', () => {
  const primary = { namespaces: [istioSystem()], deployments: [istiod()] };
  const refused = "port-forward to istiod-1 is not allowed (forbidden: ...); through the API server's service proxy: istiod refused /debug/clusterz through the API server's service proxy (HTTP 401 from istiod, not the API server: ...)";
  it("a primary whose istiod /debug could not be read says why in its row (istiod's refusal, not the credentials)", () => {
    const row = deriveClusterRow(snapshot({ objects: { ...primary, remoteSecrets: [remoteSecret('west')] }, istiodError: refused }), NOW);
    expect(row.remoteSecrets).toEqual([{ clusterId: 'west', secret: 'istio-remote-secret-west', status: 'unknown' }]);
    expect(row.problem).toBe(`remote sync unknown: ${refused}`);
  });
  it('a standalone primary (no remote secrets) has nothing to say', () => {
    expect(deriveClusterRow(snapshot({ objects: primary, istiodError: refused }), NOW).problem).toBeUndefined();
  });
});

describe('deriveClusterRow: root of trust and problems', () => {
  const root = summarizePem(readFileSync(join(fixtures, 'istio-sample-certs', 'root-cert.pem'), 'utf8'))[0]!;

  it("shows the root's fingerprint (Istio's sample root CA, as openssl prints it)", () => {
    const row = deriveClusterRow(snapshot({ rootCertificate: root }), NOW);
    expect(row.rootFingerprint).toBe('63:72:7A:17:85:CA:B4:7A:CE:C5:C2:4C:C0:66:9C:20:82:4E:8A:E1:AC:28:07:9A:4D:2F:8C:83:05:92:E7:B0');
    expect(shortFingerprint(row.rootFingerprint)).toBe('63:72:7A:17');
    expect(row.rootSubject).toContain('CN=Root CA');
    expect(deriveClusterRow(snapshot(), NOW).rootFingerprint).toBeUndefined();
  });

  it.each<[string, SnapshotInput, string | undefined]>([
    ['synced: no problem', {}, undefined],
    ['connecting: no problem yet', { state: 'connecting' }, undefined],
    ['down with the next retry', { state: 'down', error: 'connection refused', retryAt: NOW + 4_200 }, 'connection refused, retry in 5s'],
    ['stale since the last event', { state: 'stale', error: 'timed out', lastEventAt: NOW - 125_000, retryAt: NOW + 30_000 }, 'timed out, retry in 30s, data 2m5s old'],
    ['down without a reason', { state: 'down' }, 'unreachable'],
    ['up, but some kinds may not be read', { forbidden: ['secrets in istio-system'] }, 'may not read secrets in istio-system'],
    ['down wins over what may not be read', { state: 'down', error: 'connection refused', forbidden: ['secrets in istio-system'] }, 'connection refused'],
  ])('%s', (_scenario, input, problem) => {
    expect(deriveClusterRow(snapshot(input), NOW).problem).toBe(problem);
  });
});
