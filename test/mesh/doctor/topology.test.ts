import { describe, expect, it } from 'vitest';
import { components, isLoopback, serverKey, topology } from '../../../source/mesh/doctor/topology.js';
import { healthyMesh, meshCluster, serverOf } from '../../helpers/doctor-snapshot.js';

describe('topology', () => {
  it('links a primary to the clusters its remote secrets point at, and a remote to its control plane', () => {
    const snapshots = [
      meshCluster({ name: 'east', remoteSecrets: [{ clusterId: 'cluster3', server: serverOf('central') }, { clusterId: 'north', server: 'https://127.0.0.1:1' }] }),
      meshCluster({ name: 'west', role: 'remote', controlPlanes: ['east'] }),
      meshCluster({ name: 'central' }),
      meshCluster({ name: 'lonely' }),
    ];
    const topo = topology(snapshots);
    expect(topo.links.map((l) => `${l.from.name}→${l.to.name} (${l.via})`)).toEqual(['east→central (remote secret)', 'east→west (control plane)']);
    expect(components(topo).map((g) => g.map((c) => c.name))).toEqual([['east', 'west', 'central'], ['lonely']]);
    expect(topo.target(topo.byName.get('east')!.remoteSecrets[0]!)).toMatchObject({ cluster: { name: 'central' }, by: 'server' });
    expect(topo.target(topo.byName.get('east')!.remoteSecrets[1]!)).toBeUndefined();
    expect(topo.remotesOf(topo.byName.get('east')!).map((c) => c.name)).toEqual(['west']);
  });

  it('is computed once per snapshot list', () => {
    const snapshots = healthyMesh();
    expect(topology(snapshots)).toBe(topology(snapshots));
  });

  it.each([
    ['https://localhost:6443', '127.0.0.1:6443', true],
    ['https://127.0.0.2', '127.0.0.2:443', true],
    ['https://[::1]:6443', '::1:6443', true],
    ['https://10.0.0.5:6443', '10.0.0.5:6443', false],
    ['https://api.example.com', 'api.example.com:443', false],
  ])('%s: %s, loopback %s', (server, key, loopback) => {
    expect(serverKey(server)).toBe(key);
    expect(isLoopback(server)).toBe(loopback);
  });
});
