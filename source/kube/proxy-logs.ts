import type { ClusterSnapshot } from './cluster-session.js';
import type { KubeObject } from './types.js';

/** A line of an istio-proxy log that shows why the proxy is not ready. */
export interface ProxyLogEvidence {
  /** namespace/name of the pod. */
  pod: string;
  line: string;
}

type Json = Record<string, unknown>;

/** What a proxy logs when it cannot verify (or present) a certificate: x509 errors, failed TLS handshakes. */
export const CERTIFICATE_ERROR = /x509: |tls: failed to verify|certificate signed by unknown authority|certificate has expired|authentication handshake failed/;

export interface ProxyLogSampleOptions {
  /** At most this many pods per cluster (default 20) and per workload (default 2) are read. */
  maxPodsPerCluster?: number;
  maxPodsPerOwner?: number;
  tailLines?: number;
}

/** Pods whose istio-proxy container runs but is not ready: the ones worth reading logs of. */
export function notReadyProxyPods(snapshot: ClusterSnapshot, options: ProxyLogSampleOptions = {}): KubeObject[] {
  const perOwner = new Map<string, number>();
  const out: KubeObject[] = [];
  for (const pod of snapshot.kinds.pods.items.values()) {
    if (out.length >= (options.maxPodsPerCluster ?? 20)) break;
    const status = (pod['status'] as Json | undefined) ?? {};
    if (status['phase'] !== 'Running') continue;
    const proxy = ((status['containerStatuses'] as Json[] | undefined) ?? []).find((c) => c['name'] === 'istio-proxy');
    if (!proxy || proxy['ready'] === true) continue;
    const owner = `${pod.metadata.namespace}/${pod.metadata.ownerReferences?.[0]?.name ?? pod.metadata.name}`;
    const seen = perOwner.get(owner) ?? 0;
    if (seen >= (options.maxPodsPerOwner ?? 2)) continue;
    perOwner.set(owner, seen + 1);
    out.push(pod);
  }
  return out;
}

/**
 * Reads the recent istio-proxy log of a few not-ready proxies per cluster and keeps, per pod, the last
 * line that shows a certificate error. A log that cannot be read is skipped (the readiness finding
 * stays, without evidence).
 */
export async function sampleProxyLogs(
  clusters: readonly { name: string; getRaw(path: string): Promise<string> }[],
  snapshots: readonly ClusterSnapshot[],
  options: ProxyLogSampleOptions = {},
): Promise<Map<string, ProxyLogEvidence[]>> {
  const out = new Map<string, ProxyLogEvidence[]>();
  await Promise.all(
    snapshots.map(async (snapshot) => {
      const cluster = clusters.find((c) => c.name === snapshot.name);
      if (!cluster || snapshot.state !== 'synced') return;
      const found: ProxyLogEvidence[] = [];
      await Promise.all(
        notReadyProxyPods(snapshot, options).map(async (pod) => {
          const path = `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace ?? '')}/pods/${encodeURIComponent(pod.metadata.name)}/log?container=istio-proxy&tailLines=${options.tailLines ?? 200}`;
          try {
            const text = await cluster.getRaw(path);
            const line = text.split('\n').reverse().find((l) => CERTIFICATE_ERROR.test(l));
            if (line) found.push({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, line: line.slice(0, 1000) });
          } catch {
            // not readable (RBAC, pod gone): no evidence
          }
        }),
      );
      found.sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
      out.set(snapshot.name, found);
    }),
  );
  return out;
}
