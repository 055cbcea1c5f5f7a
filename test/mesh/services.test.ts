import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../source/kube/types.js';
import { deriveServiceRows, ServiceRowsCache, type ServiceRow } from '../../source/mesh/services.js';
import { gateway, healthyMesh, meshCluster, proxyPod, type ClusterSpec } from '../helpers/doctor-snapshot.js';
import { namespace, service } from '../helpers/snapshot.js';

// Small meshes: primary east (network1) and remote west (network2) with east-west gateways passing
// 15443 through (healthyMesh), plus the sample namespace's objects per test.

const dr = (name: string, ns: string, host: string, subsets: Record<string, Record<string, string>>, trafficPolicy?: Record<string, unknown>): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name, namespace: ns },
  spec: { host, ...(trafficPolicy ? { trafficPolicy } : {}), subsets: Object.entries(subsets).map(([n, labels]) => ({ name: n, labels })) },
});
const vs = (name: string, ns: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: ns }, spec });
const split = (host: string, weights: Record<string, number>) => ({ hosts: [host], http: [{ route: Object.entries(weights).map(([subset, weight]) => ({ destination: { host, subset }, weight })) }] });
const serviceEntry = (name: string, ns: string, hosts: string[]): KubeObject => ({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace: ns }, spec: { hosts, location: 'MESH_INTERNAL', ports: [{ number: 5000, name: 'http', protocol: 'HTTP' }] } });

const sampleNs = namespace('sample', { 'istio-injection': 'enabled' });
const helloSvc = service('helloworld', 'sample', { selector: { app: 'helloworld' }, ports: [{ port: 5000, name: 'http' }] });
const hello = (version: string, extra: { ready?: boolean; suffix?: string } = {}) =>
  proxyPod({ name: `helloworld-${version}-7d4b9c8f6d-${extra.suffix ?? 'a'}`, namespace: 'sample', owner: `helloworld-${version}`, labels: { app: 'helloworld', version }, ready: extra.ready ?? true });

/** east runs helloworld v1, west v2, both with the Service; `extra` adds objects to east. */
function helloMesh(extra: ClusterSpec['objects'] = {}, west: ClusterSpec['objects'] = {}) {
  return healthyMesh({
    east: { objects: { namespaces: [sampleNs], services: [helloSvc], pods: [hello('v1')], ...extra } },
    west: { objects: { namespaces: [sampleNs], services: [helloSvc], pods: [hello('v2')], ...west } },
  });
}

const row = (rows: ServiceRow[], key: string) => {
  const found = rows.find((r) => r.key === key);
  if (!found) throw new Error(`no row ${key} in ${rows.map((r) => r.key).join(', ')}`);
  return found;
};
const problems = (r: ServiceRow) => r.problems.map((p) => `${p.code} ${p.severity}${p.cluster ? ` ${p.cluster}` : ''}`);

describe('deriveServiceRows: one row per namespace/name across clusters', () => {
  it('helloworld: endpoints per cluster and network, DestinationRule subsets placed by cluster, weights and policy', () => {
    const rows = deriveServiceRows(
      helloMesh({
        destinationRules: [dr('helloworld', 'sample', 'helloworld', { v1: { version: 'v1' }, v2: { version: 'v2' } }, { tls: { mode: 'ISTIO_MUTUAL' }, loadBalancer: { simple: 'LEAST_REQUEST' } })],
        virtualServices: [vs('helloworld', 'sample', split('helloworld', { v1: 90, v2: 10 }))],
      }),
    );
    const r = row(rows, 'sample/helloworld');
    expect(r.fqdn).toBe('helloworld.sample.svc.cluster.local');
    expect(r.clusters.map((c) => [c.cluster, c.network, c.type, c.endpoints, c.ports])).toEqual([
      ['east', 'network1', 'ClusterIP', { ready: 1, total: 1 }, ['5000/http']],
      ['west', 'network2', 'ClusterIP', { ready: 1, total: 1 }, ['5000/http']],
    ]);
    expect(r.networks).toEqual(['network1', 'network2']);
    expect(r.endpoints).toEqual({ ready: 2, total: 2 });
    expect(r.destinationRules).toEqual([{ ref: 'sample/helloworld', namespace: 'sample', name: 'helloworld', clusters: ['east'], host: 'helloworld.sample.svc.cluster.local', policy: ['tls ISTIO_MUTUAL', 'lb LEAST_REQUEST'], subsets: ['v1', 'v2'] }]);
    expect(r.subsets.map((s) => [s.name, s.labels, s.routedBy, s.placement])).toEqual([
      ['v1', { version: 'v1' }, [{ virtualService: 'sample/helloworld', weight: 90 }], [{ cluster: 'east', network: 'network1', ready: 1, total: 1 }]],
      ['v2', { version: 'v2' }, [{ virtualService: 'sample/helloworld', weight: 10 }], [{ cluster: 'west', network: 'network2', ready: 1, total: 1 }]],
    ]);
    expect(r.virtualServices.map((v) => [v.ref, v.clusters, v.gateways, v.destinations.map((d) => `${d.subset}:${d.weight}`)])).toEqual([['sample/helloworld', ['east'], ['mesh'], ['v1:90', 'v2:10']]]);
    expect(r.clusters.flatMap((c) => c.pods.map((p) => `${c.cluster} ${p.name} ${p.subsets.join(',')} ${p.sidecar ? 'proxy' : 'none'}`))).toEqual([
      'east helloworld-v1-7d4b9c8f6d-a v1 proxy',
      'west helloworld-v2-7d4b9c8f6d-a v2 proxy',
    ]);
    expect(r.problems).toEqual([]);
  });

  it('sorts rows by namespace then name, whatever the clusters hold', () => {
    const rows = deriveServiceRows(helloMesh({ services: [helloSvc, service('alpha', 'zeta', {}), service('beta', 'sample', {})] }));
    expect(rows.map((r) => r.key).filter((k) => !k.startsWith('istio-system/'))).toEqual(['sample/beta', 'sample/helloworld', 'zeta/alpha']);
  });

  it.each([
    ['the short name, in its own namespace', 'sample', 'helloworld', true],
    ['the FQDN, from another namespace', 'istio-system', 'helloworld.sample.svc.cluster.local', true],
    ['name.namespace, from another namespace', 'shop', 'helloworld.sample', true],
    ['a namespace wildcard', 'sample', '*.sample.svc.cluster.local', true],
    ['the mesh-wide wildcard', 'istio-system', '*.cluster.local', true],
    ['a short name from another namespace (names that namespace\'s service)', 'shop', 'helloworld', false],
    ['another service', 'sample', 'httpbin', false],
  ])('a DestinationRule host matches by %s', (_what, ns, host, matches) => {
    const r = row(deriveServiceRows(helloMesh({ destinationRules: [dr('rule', ns, host, { v1: { version: 'v1' } })] })), 'sample/helloworld');
    expect(r.destinationRules.map((d) => d.ref)).toEqual(matches ? [`${ns}/rule`] : []);
  });

  it.each([
    ['its hosts name it (mesh)', vs('a', 'sample', { hosts: ['helloworld'], http: [{ route: [{ destination: { host: 'helloworld' } }] }] }), true],
    ['a gateway route sends traffic to it', vs('a', 'sample', { hosts: ['*'], gateways: ['hello-gateway'], http: [{ route: [{ destination: { host: 'helloworld', port: { number: 5000 } } }] }] }), true],
    ['it only mirrors to it', vs('a', 'shop', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }], mirror: { host: 'helloworld.sample.svc.cluster.local' } }] }), true],
    ['a wildcard host covers it for the mesh', vs('a', 'sample', { hosts: ['*.sample.svc.cluster.local'], http: [{ route: [{ destination: { host: 'httpbin' } }] }] }), true],
    ['a gateway-only route for * that goes elsewhere', vs('a', 'sample', { hosts: ['*'], gateways: ['gw'], http: [{ route: [{ destination: { host: 'httpbin' } }] }] }), false],
  ])('a VirtualService routes it when %s', (_what, object, matches) => {
    const r = row(deriveServiceRows(helloMesh({ virtualServices: [object] })), 'sample/helloworld');
    expect(r.virtualServices.map((v) => v.ref)).toEqual(matches ? [`${object.metadata.namespace}/a`] : []);
  });

  it('lists a VirtualService and DestinationRule applied in both clusters once, with both clusters', () => {
    const rule = dr('helloworld', 'sample', 'helloworld', { v1: { version: 'v1' } });
    const r = row(deriveServiceRows(helloMesh({ destinationRules: [rule] }, { destinationRules: [rule] })), 'sample/helloworld');
    expect(r.destinationRules.map((d) => [d.ref, d.clusters])).toEqual([['sample/helloworld', ['east', 'west']]]);
    expect(r.subsets.map((s) => s.name)).toEqual(['v1']);
  });

  it('counts endpoints as the endpoints controller does: not-ready pods count, terminating and finished ones do not', () => {
    const terminating = { ...hello('v1', { suffix: 'b' }), metadata: { ...hello('v1', { suffix: 'b' }).metadata, deletionTimestamp: '2025-06-01T11:59:00Z' } };
    const done = { ...hello('v1', { suffix: 'c' }), status: { phase: 'Succeeded', conditions: [] } };
    const r = row(deriveServiceRows(helloMesh({ pods: [hello('v1'), hello('v1', { ready: false, suffix: 'd' }), terminating, done] })), 'sample/helloworld');
    expect(r.clusters[0]!.endpoints).toEqual({ ready: 1, total: 2 });
    expect(r.clusters[0]!.pods.map((p) => `${p.name} ${p.ready}`)).toEqual(['helloworld-v1-7d4b9c8f6d-a true', 'helloworld-v1-7d4b9c8f6d-d false']);
  });

  it('has no endpoint count for a Service without a selector, and calls clusterIP None headless', () => {
    const rows = deriveServiceRows(helloMesh({ services: [helloSvc, service('external-db', 'sample', { ports: [{ port: 5432 }] }), service('db', 'sample', { clusterIP: 'None', selector: { app: 'db' } })] }));
    expect(row(rows, 'sample/external-db').clusters[0]).toMatchObject({ cluster: 'east', type: 'ClusterIP' });
    expect(row(rows, 'sample/external-db').clusters[0]!.endpoints).toBeUndefined();
    expect(row(rows, 'sample/db').clusters[0]).toMatchObject({ type: 'headless', endpoints: { ready: 0, total: 0 } });
  });
});

describe('deriveServiceRows: what breaks cross-cluster traffic', () => {
  it('a mesh service in one cluster only (a warning); not for system namespaces, services outside the mesh, or a single cluster in view', () => {
    const httpbin = service('httpbin', 'sample', { selector: { app: 'httpbin' } });
    const plain = service('legacy-app', 'plain', { selector: { app: 'legacy-app' } });
    const rows = deriveServiceRows(helloMesh({ namespaces: [sampleNs, namespace('plain')], services: [helloSvc, httpbin, plain, service('istiod', 'istio-system', { selector: { app: 'istiod' } })] }));
    expect(problems(row(rows, 'sample/httpbin'))).toEqual(['single-cluster warning east']);
    expect(row(rows, 'sample/httpbin').problems[0]!.message).toBe(
      'sample/httpbin exists in east only: clients in other clusters cannot resolve httpbin.sample and never reach it; create the Service in every cluster that calls it',
    );
    expect(problems(row(rows, 'plain/legacy-app'))).toEqual([]);
    expect(problems(row(rows, 'istio-system/istiod'))).toEqual([]);
    expect(problems(row(deriveServiceRows([helloMesh({ services: [helloSvc, httpbin] })[0]!]), 'sample/httpbin'))).toEqual([]);
  });

  it('a subset whose labels match no pod in any cluster (an error)', () => {
    const r = row(deriveServiceRows(helloMesh({ destinationRules: [dr('helloworld', 'sample', 'helloworld', { v1: { version: 'v1' }, v3: { version: 'v3' } })] })), 'sample/helloworld');
    expect(problems(r)).toEqual(['subset-without-pods error']);
    expect(r.problems[0]!.message).toBe('subset v3 (version=v3) of DestinationRule sample/helloworld has no pods in any cluster: routes to it fail with 503 (no healthy upstream)');
    expect(r.subsets.find((s) => s.name === 'v3')!.placement).toEqual([]);
  });

  it('a route to a subset no DestinationRule defines (an error)', () => {
    const r = row(deriveServiceRows(helloMesh({ destinationRules: [dr('helloworld', 'sample', 'helloworld', { v1: { version: 'v1' } })], virtualServices: [vs('helloworld', 'sample', split('helloworld', { v1: 50, v2: 50 }))] })), 'sample/helloworld');
    expect(r.problems.map((p) => p.message)).toEqual(['VirtualService sample/helloworld routes to subset v2, which no DestinationRule for helloworld.sample.svc.cluster.local defines: those requests fail with 503']);
  });

  const ewServiceWithout15443 = { ...gateway('eastwest').service, spec: { ...(gateway('eastwest').service['spec'] as object), ports: [{ name: 'tls-istiod', port: 15012 }] } };
  it.each<[string, Partial<ClusterSpec>, KubeObject[], string]>([
    ['no east-west gateway', { gateways: ['ingress'] }, [], 'no east-west gateway runs on network2'],
    ['an east-west Service without 15443', {}, [ewServiceWithout15443], "the east-west gateway's Service on network2 lacks port 15443"],
    ['no Gateway passing 15443 through', { crossNetwork: false }, [], "no Gateway passes 15443 through (AUTO_PASSTHROUGH) on network2's east-west gateway (samples/multicluster/expose-services.yaml)"],
  ])('endpoints on another network with %s (an error, in the cluster whose endpoints are out of reach)', (_what, westSpec, westServices, reason) => {
    // east passes 15443 through on its own gateway only (selected by a label west's gateway lacks).
    const eastGateway: KubeObject = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'cross-network-gateway', namespace: 'istio-system' }, spec: { selector: { istio: 'eastwestgateway', topology: 'east' }, servers: [{ port: { number: 15443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }] } };
    const eastEw = gateway('eastwest');
    const labelled = structuredClone(eastEw.deployment) as KubeObject & { spec: { template: { metadata: { labels: Record<string, string> } } } };
    labelled.spec.template.metadata.labels['topology'] = 'east';
    const snapshots = healthyMesh({
      east: { gateways: ['ingress'], crossNetwork: false, objects: { namespaces: [sampleNs], services: [helloSvc, eastEw.service], deployments: [labelled], pods: [hello('v1')], gateways: [eastGateway] } },
      west: { ...westSpec, objects: { namespaces: [sampleNs], services: [helloSvc, ...westServices], pods: [hello('v2')] } },
    });
    const r = row(deriveServiceRows(snapshots), 'sample/helloworld');
    expect(r.problems.map((p) => `${p.code} ${p.cluster}: ${p.message}`)).toEqual([`network-unreachable west: endpoints of sample/helloworld in west (network2) cannot be reached from network1: ${reason}`]);
  });

  it('no network problem when every cluster is on one network', () => {
    const rows = deriveServiceRows([
      meshCluster({ name: 'east', network: 'network1', objects: { namespaces: [sampleNs], services: [helloSvc], pods: [hello('v1')] } }),
      meshCluster({ name: 'west', role: 'remote', network: 'network1', controlPlanes: ['east'], objects: { namespaces: [sampleNs], services: [helloSvc], pods: [hello('v2')] } }),
    ]);
    expect(problems(row(rows, 'sample/helloworld'))).toEqual([]);
  });

  it('a legacy *.global ServiceEntry (Istio 1.6-era multicluster) on the service it names, or on a row of its own', () => {
    const rows = deriveServiceRows(helloMesh({ serviceEntries: [serviceEntry('helloworld-global', 'sample', ['helloworld.sample.global']), serviceEntry('remote-stuff', 'other', ['*.global'])] }));
    const r = row(rows, 'sample/helloworld');
    expect(r.legacyServiceEntries).toEqual([{ cluster: 'east', namespace: 'sample', name: 'helloworld-global', hosts: ['helloworld.sample.global'] }]);
    expect(r.problems.map((p) => `${p.code} ${p.severity} ${p.cluster}: ${p.message}`)).toEqual([
      'legacy-global warning east: ServiceEntry sample/helloworld-global defines helloworld.sample.global, the Istio 1.6-era multicluster naming: since Istio 1.8 services are found across clusters by their own name; call helloworld.sample.svc.cluster.local and delete the ServiceEntry',
    ]);
    const own = row(rows, 'other/remote-stuff');
    expect(own.clusters).toEqual([]);
    expect(problems(own)).toEqual(['legacy-global warning east']);
  });
});

describe('ServiceRowsCache', () => {
  it('hands out the same rows until a kind the rows read changes in some cluster', () => {
    const snapshots = helloMesh();
    const cache = new ServiceRowsCache();
    const first = cache.rowsFor(snapshots);
    expect(cache.rowsFor([...snapshots])).toBe(first);
    const [east, west] = snapshots;
    const changed = { ...east!, kinds: { ...east!.kinds, destinationRules: { version: 2, items: new Map([['sample/helloworld', dr('helloworld', 'sample', 'helloworld', { v1: { version: 'v1' } })]]) } } };
    const next = cache.rowsFor([changed, west!]);
    expect(next).not.toBe(first);
    expect(row(next, 'sample/helloworld').subsets.map((s) => s.name)).toEqual(['v1']);
  });

  it('derives again only the cluster whose pods changed, and never changes rows it handed out', () => {
    const rule = dr('helloworld', 'sample', 'helloworld', { v1: { version: 'v1' }, v2: { version: 'v2' } });
    const [east, west] = helloMesh({ destinationRules: [rule] });
    const cache = new ServiceRowsCache();
    const first = row(cache.rowsFor([east!, west!]), 'sample/helloworld');
    const firstPods = JSON.stringify(first.clusters);
    const moreWest = { ...west!, kinds: { ...west!.kinds, pods: { version: 2, items: new Map([...west!.kinds.pods.items, ['sample/helloworld-v1-7d4b9c8f6d-w', hello('v1', { suffix: 'w' })]]) } } };
    const next = row(cache.rowsFor([east!, moreWest]), 'sample/helloworld');
    expect(next.subsets.map((s) => `${s.name}: ${s.placement.map((p) => `${p.cluster} ${p.total}`).join(', ')}`)).toEqual(['v1: east 1, west 1', 'v2: west 1']);
    expect(JSON.stringify(first.clusters)).toBe(firstPods);
    const plain = (rows: ServiceRow[]) => row(rows, 'istio-system/istio-eastwestgateway').clusters;
    const before = plain(cache.rowsFor([east!, west!]));
    const after = plain(cache.rowsFor([east!, { ...moreWest, kinds: { ...moreWest.kinds, pods: { ...moreWest.kinds.pods, version: 3 } } }]));
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
  });
});
