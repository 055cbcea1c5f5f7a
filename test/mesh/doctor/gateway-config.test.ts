import { describe, expect, it } from 'vitest';
import { gatewayServers, hostsOverlap, rowPorts } from '../../../source/mesh/doctor/gateway-config.js';
import { crossNetworkGateway } from '../../helpers/doctor-snapshot.js';

describe('gateway config helpers', () => {
  it.each([
    ['*', 'api.example.com', true],
    ['*.example.com', 'api.example.com', true],
    ['*.example.com', '*.shop.example.com', true],
    ['*.example.com', 'example.com', false],
    ['a.example.com', 'b.example.com', false],
    ['*.local', 'helloworld.sample.svc.cluster.local', true],
  ])('%s overlaps %s: %s', (a, b, overlap) => {
    expect(hostsOverlap(a, b)).toBe(overlap);
    expect(hostsOverlap(b, a)).toBe(overlap);
  });

  it('reads servers (hosts without their namespace) and row port labels', () => {
    expect(gatewayServers(crossNetworkGateway())).toEqual([{ port: 15443, protocol: 'TLS', hosts: ['*.local'], tlsMode: 'AUTO_PASSTHROUGH' }]);
    expect(rowPorts(['15021/status-port', '80→8080/http2', '15443'])).toEqual({ ports: new Set([15021, 80, 15443]), targets: new Set([15021, 8080, 15443]) });
  });
});
