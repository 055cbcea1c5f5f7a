import { describe, expect, it } from 'vitest';
import { CERTIFICATE_ERROR, notReadyProxyPods, sampleProxyLogs } from '../../source/kube/proxy-logs.js';
import { meshCluster, proxyPod } from '../helpers/doctor-snapshot.js';

// A line as istio-proxy logs it when istiod's certificate does not verify (Envoy's gRPC stream warning).
const X509 =
  '2025-06-01T11:59:01.123456Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:190\tStreamAggregatedResources gRPC config stream to xds-grpc closed since 19s ago: 14, connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority"\tthread=17';
const OK = '2025-06-01T11:59:00.000000Z\tinfo\tEnvoy proxy is ready';

function cluster() {
  return meshCluster({
    name: 'west',
    role: 'remote',
    objects: {
      pods: [
        proxyPod({ name: 'sleep-7d4b9c8f6d-a', namespace: 'sample', owner: 'sleep', ready: false }),
        proxyPod({ name: 'sleep-7d4b9c8f6d-b', namespace: 'sample', owner: 'sleep', ready: false }),
        proxyPod({ name: 'sleep-7d4b9c8f6d-c', namespace: 'sample', owner: 'sleep', ready: false }),
        proxyPod({ name: 'web-7d4b9c8f6d-a', namespace: 'sample', owner: 'web', ready: true }),
        proxyPod({ name: 'plain-7d4b9c8f6d-a', namespace: 'sample', owner: 'plain', ready: false, sidecar: false }),
      ],
    },
  });
}

describe('proxy log sampling', () => {
  it('recognises the certificate errors proxies log, and not ordinary lines', () => {
    expect(CERTIFICATE_ERROR.test(X509)).toBe(true);
    expect(CERTIFICATE_ERROR.test('x509: certificate has expired or is not yet valid')).toBe(true);
    expect(CERTIFICATE_ERROR.test(OK)).toBe(false);
  });

  it('reads only running, not-ready istio-proxy containers, at most two per workload', () => {
    expect(notReadyProxyPods(cluster()).map((p) => p.metadata.name)).toEqual(['sleep-7d4b9c8f6d-a', 'sleep-7d4b9c8f6d-b']);
    expect(notReadyProxyPods(cluster(), { maxPodsPerCluster: 1 })).toHaveLength(1);
  });

  it('keeps the last certificate error per pod; unreadable logs give no evidence', async () => {
    const asked: string[] = [];
    const getRaw = async (path: string) => {
      asked.push(path);
      if (path.includes('sleep-7d4b9c8f6d-b')) throw new Error('forbidden');
      return `${OK}\n${X509}\n${OK}\n`;
    };
    const logs = await sampleProxyLogs([{ name: 'west', getRaw }], [cluster()]);
    expect(asked).toContain('/api/v1/namespaces/sample/pods/sleep-7d4b9c8f6d-a/log?container=istio-proxy&tailLines=200');
    expect(logs.get('west')).toEqual([{ pod: 'sample/sleep-7d4b9c8f6d-a', line: X509 }]);
  });

  it('skips clusters that are not synced', async () => {
    const down = { ...cluster(), state: 'down' as const };
    const logs = await sampleProxyLogs([{ name: 'west', getRaw: async () => X509 }], [down]);
    expect(logs.has('west')).toBe(false);
  });
});
