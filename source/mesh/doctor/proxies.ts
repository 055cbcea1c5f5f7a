import type { KubeObject, WorkloadRow } from '../types.js';
import type { Check, DoctorSnapshot, Finding, ProxyLogEvidence } from './types.js';
import { finding } from './codes.js';
import { topology, type ClusterFacts } from './topology.js';
import { namespaceWantsInjection } from '../workloads.js';

type Json = Record<string, unknown>;

/** Sidecars missing where injection is asked, proxies that stay not ready (and why, from their logs), proxy versions. */
export const checkProxies: Check = (snapshots, model) => {
  const topo = topology(snapshots);
  const out: Finding[] = [];
  const gatewayKeys = new Set(model.gateways.map((g) => g.key));
  const rowsByCluster = new Map<string, WorkloadRow[]>();
  for (const row of model.workloads) {
    const list = rowsByCluster.get(row.cluster);
    if (list) list.push(row);
    else rowsByCluster.set(row.cluster, [row]);
  }
  for (const cluster of topo.clusters) {
    if (!cluster.hasData) continue;
    const rows = rowsByCluster.get(cluster.name) ?? [];
    out.push(...missingSidecars(cluster, rows));
    const control = controlPlaneVersions(cluster, topo.primariesOf(cluster));
    // One cheap pass over the pods; rows are looked up only for the few pods with something to say.
    const failing: KubeObject[] = [];
    const skewed: KubeObject[] = [];
    for (const pod of cluster.snapshot.kinds.pods.items.values()) {
      if (proxyStatus(pod)?.ready === false) failing.push(pod);
      if (control.versions.size > 0) {
        const version = proxyVersion(pod);
        if (version && !control.versions.has(version)) skewed.push(pod);
      }
    }
    if (failing.length === 0 && skewed.length === 0) continue;
    const rowOf = new Map<string, WorkloadRow>();
    for (const row of rows) for (const key of row.pods) rowOf.set(key, row);
    const evidence = new Map((cluster.snapshot.proxyLogs ?? []).map((e) => [e.pod, e]));
    for (const [row, pods] of byRow(failing, rowOf)) out.push(notReady(cluster, row, pods, gatewayKeys.has(row.key), evidence, cluster.snapshot.proxyLogs !== undefined));
    for (const [row, pods] of byRow(skewed, rowOf)) out.push(versionSkew(cluster, row, pods, control));
  }
  return out;
};

function byRow(pods: KubeObject[], rowOf: Map<string, WorkloadRow>): Map<WorkloadRow, KubeObject[]> {
  const out = new Map<WorkloadRow, KubeObject[]>();
  for (const pod of pods) {
    const row = rowOf.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
    if (!row) continue;
    const list = out.get(row);
    if (list) list.push(pod);
    else out.set(row, [pod]);
  }
  return out;
}

function workloadRef(row: WorkloadRow): string {
  return `${row.kind}/${row.namespace}/${row.name}`;
}

function restartCommand(cluster: string, namespace: string, rows: WorkloadRow[]): string {
  const deployments = rows.filter((r) => r.kind === 'Deployment').map((r) => `deployment/${r.name}`);
  const others = rows.filter((r) => r.kind !== 'Deployment').map(workloadRef);
  const parts: string[] = [];
  if (deployments.length > 0) parts.push(`kubectl --context ${cluster} -n ${namespace} rollout restart ${deployments.join(' ')}`);
  if (others.length > 0) parts.push(`recreate the pods of ${others.join(', ')}`);
  return parts.join('; ');
}

function missingSidecars(cluster: ClusterFacts, rows: WorkloadRow[]): Finding[] {
  const byNamespace = new Map<string, WorkloadRow[]>();
  for (const row of rows) if (row.sidecar === 'missing' || row.sidecar === 'partial') byNamespace.set(row.namespace, [...(byNamespace.get(row.namespace) ?? []), row]);
  const out: Finding[] = [];
  for (const [namespace, list] of byNamespace) {
    const ns = cluster.snapshot.kinds.namespaces.items.get(namespace);
    const labels = ns?.metadata.labels ?? {};
    const asked = namespaceWantsInjection(ns) ? (labels['istio-injection'] === 'enabled' ? 'istio-injection=enabled' : `istio.io/rev=${labels['istio.io/rev']}`) : undefined;
    const names = list.map((r) => `${r.name}${r.sidecar === 'partial' ? ' (some pods)' : ''}`).join(', ');
    out.push(
      finding(
        'MD-INJ-001',
        cluster.name,
        `Namespace/${namespace}`,
        `${asked ? `namespace ${namespace} asks for injection (${asked})` : `pods in ${namespace} ask for injection`}, but ${list.length} workload(s) run pods without a sidecar: ${names}; they started before the label or while the injector was unreachable`,
        `restart them so the injector sees them: ${restartCommand(cluster.name, namespace, list)}`,
      ),
    );
  }
  return out;
}

function proxyStatus(pod: KubeObject): { ready: boolean } | undefined {
  const status = (pod['status'] as Json | undefined) ?? {};
  if (status['phase'] !== 'Running') return undefined;
  const proxy = ((status['containerStatuses'] as Json[] | undefined) ?? []).find((c) => c['name'] === 'istio-proxy');
  return proxy ? { ready: proxy['ready'] === true } : undefined;
}

/** `failing`: the row's pods whose istio-proxy runs but is not ready. */
function notReady(cluster: ClusterFacts, row: WorkloadRow, failing: KubeObject[], gateway: boolean, evidence: Map<string, ProxyLogEvidence>, sampled: boolean): Finding {
  const what = gateway ? 'gateway' : 'sidecar';
  const count = `${failing.length} of ${row.total} ${what} prox${row.total === 1 ? 'y' : 'ies'} not ready`;
  const proof = failing.map((pod) => evidence.get(`${pod.metadata.namespace}/${pod.metadata.name}`)).find((e) => e !== undefined);
  const logs = `kubectl --context ${cluster.name} -n ${row.namespace} logs ${failing[0]!.metadata.name} -c istio-proxy`;
  if (proof) {
    return finding(
      'MD-PROXY-001',
      cluster.name,
      workloadRef(row),
      `${count}; the log of ${proof.pod} shows a certificate error: ${certificatePhrase(proof.line)}`,
      `the proxies do not trust the certificate istiod presents: give ${cluster.name} the same root as its control plane (see MD-TRUST findings), then ${restartCommand(cluster.name, row.namespace, [row])}`,
    );
  }
  return finding(
    'MD-PROXY-002',
    cluster.name,
    workloadRef(row),
    `${count}${sampled ? '; their recent logs show no certificate error' : ''}`,
    `read why: ${logs}${gateway ? '' : ` (and kubectl --context ${cluster.name} -n ${row.namespace} describe pod ${failing[0]!.metadata.name})`}`,
    gateway ? 'error' : 'warning',
  );
}

interface ControlVersions {
  versions: Set<string>;
  where: string;
}

/** Versions of the istiod(s) serving a cluster: its own, else its primaries'. */
function controlPlaneVersions(cluster: ClusterFacts, primaries: ClusterFacts[]): ControlVersions {
  const sources = cluster.hasIstiod ? [cluster] : primaries.filter((p) => p.hasData);
  const versions = new Set<string>();
  for (const source of sources) for (const version of istiodVersions(source.snapshot)) versions.add(version);
  return { versions, where: sources.map((s) => s.name).join(', ') };
}

/** Tags of the pilot images of istiod deployments (istiod, istiod-<rev>) in istio-system. */
export function istiodVersions(snapshot: DoctorSnapshot): string[] {
  const out: string[] = [];
  for (const deployment of snapshot.kinds.deployments.items.values()) {
    if (deployment.metadata.namespace !== 'istio-system' || !/^istiod(-|$)/.test(deployment.metadata.name)) continue;
    const containers = (((deployment['spec'] as Json | undefined)?.['template'] as Json | undefined)?.['spec'] as Json | undefined)?.['containers'] as Json[] | undefined;
    for (const c of containers ?? []) {
      const tag = imageTag(c['image'], /\/pilot(:|$)/);
      if (tag) out.push(tag);
    }
  }
  return out;
}

// Tags by image, per repository pattern: a mesh runs a handful of proxy images across thousands of pods.
const tagCaches = new WeakMap<RegExp, Map<string, string | undefined>>();

function imageTag(image: unknown, repository: RegExp): string | undefined {
  if (typeof image !== 'string') return undefined;
  let cache = tagCaches.get(repository);
  if (!cache || cache.size > 1000) tagCaches.set(repository, (cache = new Map()));
  if (cache.has(image)) return cache.get(image);
  const tag = parseTag(image, repository);
  cache.set(image, tag);
  return tag;
}

function parseTag(image: string, repository: RegExp): string | undefined {
  const name = image.split('@')[0]!;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon <= slash || !repository.test(name.slice(0, colon) + ':')) return undefined;
  const tag = name.slice(colon + 1);
  return /^\d+\.\d+/.test(tag) ? tag : undefined;
}

function proxyVersion(pod: KubeObject): string | undefined {
  const spec = (pod['spec'] as Json | undefined) ?? {};
  const proxy = [...((spec['containers'] as Json[] | undefined) ?? []), ...((spec['initContainers'] as Json[] | undefined) ?? [])].find((c) => c['name'] === 'istio-proxy');
  return proxy ? imageTag(proxy['image'], /\/proxyv2(:|$)/) : undefined;
}

/** `pods`: the row's pods whose proxy version istiod does not run. */
function versionSkew(cluster: ClusterFacts, row: WorkloadRow, pods: KubeObject[], control: ControlVersions): Finding {
  const skewed = new Map<string, number>();
  for (const pod of pods) {
    const version = proxyVersion(pod)!;
    skewed.set(version, (skewed.get(version) ?? 0) + 1);
  }
  const list = [...skewed].map(([version, n]) => `${n} on ${version}`).join(', ');
  return finding(
    'MD-PROXY-003',
    cluster.name,
    workloadRef(row),
    `proxies run another version than istiod (${[...control.versions].sort().join(', ')} in ${control.where}): ${list}`,
    `restart them to get the current proxy: ${restartCommand(cluster.name, row.namespace, [row])}`,
  );
}

/** The error itself out of a long Envoy or istio-agent log line, e.g. `x509: certificate signed by unknown authority`. */
export function certificatePhrase(line: string): string {
  const phrase = /x509: [^"\\\n]*/.exec(line)?.[0] ?? /tls: [^"\\\n]*/.exec(line)?.[0];
  const text = (phrase ?? line).trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
