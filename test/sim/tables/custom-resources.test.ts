import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../source/sim/objects.js';
import { DAY, HOUR, MINUTE, ago, cells, headers, table } from './fixtures.js';

const cases: Array<{ title: string; group: string; kind: string; item: KubeObject; headers: string[]; cells: unknown[] }> = [
  {
    title: 'VirtualService prints lists as JSON',
    group: 'networking.istio.io',
    kind: 'VirtualService',
    item: {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'bookinfo', namespace: 'bookinfo', creationTimestamp: ago(3 * MINUTE + 20) },
      spec: { hosts: ['*'], gateways: ['bookinfo-gateway'], http: [{ route: [{ destination: { host: 'productpage', port: { number: 9080 } } }] }] },
    },
    headers: ['NAME', 'GATEWAYS', 'HOSTS', 'AGE'],
    cells: ['bookinfo', '["bookinfo-gateway"]', '["*"]', '3m20s'],
  },
  {
    title: 'VirtualService without gateways leaves the cell empty',
    group: 'networking.istio.io',
    kind: 'VirtualService',
    item: { metadata: { name: 'reviews', creationTimestamp: ago(2 * DAY + 3 * HOUR) }, spec: { hosts: ['reviews', 'reviews.bookinfo.svc.cluster.local'] } },
    headers: ['NAME', 'GATEWAYS', 'HOSTS', 'AGE'],
    cells: ['reviews', null, '["reviews","reviews.bookinfo.svc.cluster.local"]', '2d3h'],
  },
  {
    title: 'DestinationRule',
    group: 'networking.istio.io',
    kind: 'DestinationRule',
    item: { metadata: { name: 'reviews', creationTimestamp: ago(10 * HOUR) }, spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] } },
    headers: ['NAME', 'HOST', 'AGE'],
    cells: ['reviews', 'reviews', '10h'],
  },
  {
    title: 'ServiceEntry',
    group: 'networking.istio.io',
    kind: 'ServiceEntry',
    item: {
      metadata: { name: 'httpbin-ext', creationTimestamp: ago(45 * DAY) },
      spec: { hosts: ['httpbin.org'], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 443, name: 'https', protocol: 'TLS' }] },
    },
    headers: ['NAME', 'HOSTS', 'LOCATION', 'RESOLUTION', 'AGE'],
    cells: ['httpbin-ext', '["httpbin.org"]', 'MESH_EXTERNAL', 'DNS', '45d'],
  },
  {
    title: 'PeerAuthentication',
    group: 'security.istio.io',
    kind: 'PeerAuthentication',
    item: { metadata: { name: 'default', namespace: 'istio-system', creationTimestamp: ago(5) }, spec: { mtls: { mode: 'STRICT' } } },
    headers: ['NAME', 'MODE', 'AGE'],
    cells: ['default', 'STRICT', '5s'],
  },
  {
    title: 'Istio Gateway has only NAME and AGE',
    group: 'networking.istio.io',
    kind: 'Gateway',
    item: { metadata: { name: 'bookinfo-gateway', creationTimestamp: ago(HOUR) }, spec: { selector: { istio: 'ingressgateway' } } },
    headers: ['NAME', 'AGE'],
    cells: ['bookinfo-gateway', '60m'],
  },
  {
    title: 'Gateway API Gateway takes the first address and the Programmed condition',
    group: 'gateway.networking.k8s.io',
    kind: 'Gateway',
    item: {
      metadata: { name: 'bookinfo-gateway', creationTimestamp: ago(HOUR) },
      spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
      status: {
        addresses: [{ type: 'IPAddress', value: '203.0.113.7' }, { type: 'IPAddress', value: '203.0.113.8' }],
        conditions: [{ type: 'Accepted', status: 'True' }, { type: 'Programmed', status: 'False' }],
      },
    },
    headers: ['NAME', 'CLASS', 'ADDRESS', 'PROGRAMMED', 'AGE'],
    cells: ['bookinfo-gateway', 'istio', '203.0.113.7', 'False', '60m'],
  },
  {
    title: 'unknown custom resource defaults to NAME and AGE',
    group: 'telemetry.istio.io',
    kind: 'Telemetry',
    item: { metadata: { name: 'mesh-default', creationTimestamp: ago(DAY) }, spec: {} },
    headers: ['NAME', 'AGE'],
    cells: ['mesh-default', '24h'],
  },
];

describe('custom resource printers', () => {
  it.each(cases)('$title', ({ group, kind, item, headers: expectedHeaders, cells: expected }) => {
    const result = table(group, kind, [item]);
    expect(headers(result, true)).toEqual(expectedHeaders);
    expect(cells(result)).toEqual(expected);
  });

  it('types AGE as date for custom resources and string for built-ins', () => {
    const type = (group: string, kind: string) =>
      (table(group, kind, []).columnDefinitions as unknown as Array<{ name: string; type: string }>).find((c) => c.name === 'Age')?.type;
    expect(type('networking.istio.io', 'VirtualService')).toBe('date');
    expect(type('networking.istio.io', 'Gateway')).toBe('date');
    expect(type('', 'Pod')).toBe('string');
  });
});
