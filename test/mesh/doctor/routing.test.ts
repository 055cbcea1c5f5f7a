import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../source/kube/types.js';
import { checkRouting, qualify } from '../../../source/mesh/doctor/routing.js';
import { check, meshCluster, proxyPod, summary } from '../../helpers/doctor-snapshot.js';
import { service, snapshot } from '../../helpers/snapshot.js';

const vs = (name: string, hosts: string[], namespace = 'sample'): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name, namespace },
  spec: { hosts: ['*'], http: [{ route: hosts.map((host) => ({ destination: { host } })) }] },
});
const dr = (name: string, host: string, subsets: Record<string, Record<string, string>>, namespace = 'sample'): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name, namespace },
  spec: { host, subsets: Object.entries(subsets).map(([n, labels]) => ({ name: n, labels })) },
});
const serviceEntry = (host: string): KubeObject => ({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'external', namespace: 'sample' }, spec: { hosts: [host], ports: [{ number: 443, name: 'https', protocol: 'TLS' }] } });
const helloworld = service('helloworld', 'sample', { selector: { app: 'helloworld' }, ports: [{ port: 5000, name: 'http' }] });
const hello = (version: string) => proxyPod({ name: `helloworld-${version}-7d4b9c8f6d-a`, namespace: 'sample', owner: `helloworld-${version}`, labels: { app: 'helloworld', version } });

describe('qualify', () => {
  it.each([
    ['reviews', 'reviews.sample.svc.cluster.local'],
    ['reviews.shop', 'reviews.shop.svc.cluster.local'],
    ['reviews.shop.svc', 'reviews.shop.svc.cluster.local'],
    ['reviews.shop.svc.cluster.local', 'reviews.shop.svc.cluster.local'],
    ['api.example.com', 'api.example.com'],
  ])('%s → %s', (host, fqdn) => expect(qualify(host, 'sample')).toBe(fqdn));
});

describe('checkRouting: VirtualService destinations (MD-CFG-001)', () => {
  it('accepts hosts that exist in any cluster, as a Service or a ServiceEntry', () => {
    const snapshots = [
      meshCluster({ name: 'east', objects: { virtualServices: [vs('hello', ['helloworld', 'api.example.com', 'helloworld.sample.svc.cluster.local'])], serviceEntries: [serviceEntry('*.example.com')] } }),
      meshCluster({ name: 'west', role: 'remote', objects: { services: [helloworld] } }),
    ];
    expect(check(snapshots, checkRouting)).toEqual([]);
  });

  it('reports hosts that exist nowhere', () => {
    const findings = check([meshCluster({ name: 'east', objects: { services: [helloworld], virtualServices: [vs('reviews', ['reviews', 'helloworld', 'api.example.org'])] } })], checkRouting);
    expect(findings).toEqual([
      expect.objectContaining({ code: 'MD-CFG-001', severity: 'warning', object: 'VirtualService/sample/reviews', message: expect.stringContaining('routes to reviews (reviews.sample.svc.cluster.local), api.example.org, which exist as no Service or ServiceEntry in any cluster') }),
    ]);
  });

  it('says which clusters it looked in when one did not answer', () => {
    const snapshots = [meshCluster({ name: 'east', objects: { virtualServices: [vs('reviews', ['reviews'])] } }), snapshot({ name: 'west', state: 'down', error: 'connection refused' })];
    expect(check(snapshots, checkRouting)[0]!.message).toContain('in the clusters that answered (east)');
  });
});

describe('checkRouting: DestinationRule subsets (MD-CFG-002)', () => {
  it('accepts subsets whose pods run in any cluster', () => {
    const snapshots = [
      meshCluster({ name: 'east', objects: { services: [helloworld], pods: [hello('v1')], destinationRules: [dr('helloworld', 'helloworld', { v1: { version: 'v1' }, v2: { version: 'v2' } })] } }),
      meshCluster({ name: 'west', role: 'remote', objects: { services: [helloworld], pods: [hello('v2')] } }),
    ];
    expect(check(snapshots, checkRouting)).toEqual([]);
  });

  it('reports subsets that match no pods, and skips hosts that are not Kubernetes services', () => {
    const rules = [dr('helloworld', 'helloworld.sample.svc.cluster.local', { v1: { version: 'v1' }, v3: { version: 'v3' } }), dr('external', 'api.example.com', { x: { version: 'x' } })];
    const findings = check([meshCluster({ name: 'east', objects: { services: [helloworld], pods: [hello('v1')], destinationRules: rules, serviceEntries: [serviceEntry('api.example.com')] } })], checkRouting);
    expect(summary(findings)).toEqual(['MD-CFG-002 east DestinationRule/sample/helloworld']);
    expect(findings[0]!.message).toMatch(/^subset v3 \(version=v3\) of helloworld\.sample\.svc\.cluster\.local matches no pods in any cluster/);
  });

describe('checkRouting: ServiceEntries the credentials may not read', () => {
  it('still reports missing cluster-local hosts, but not hosts a hidden ServiceEntry may define', () => {
    const snapshots = [meshCluster({ name: 'east', objects: { virtualServices: [vs('mixed', ['reviews', 'api.example.org'])] }, snapshot: { forbidden: ['serviceentries.networking.istio.io'] } })];
    const [finding] = check(snapshots, checkRouting);
    expect(finding!.message).toMatch(/^routes to reviews \(reviews\.sample\.svc\.cluster\.local\), which exists as no Service/);
  });
});
});
