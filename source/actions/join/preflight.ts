import { shortFp } from '../../pki/certificate-checks.js';
import { verifyClusters } from '../ca/verify.js';
import type { ClusterFacts, JoinState } from './live-state.js';
import { remoteSecretName } from './remote-secret.js';
import { CONTROL_PLANE_CLUSTERS_ANNOTATION, JOIN_RECORD_ANNOTATION, MANAGED_BY_LABEL, MANAGED_BY_VALUE, NETWORK_LABEL, READER_SERVICE_ACCOUNT, type JoinRecord, type JoinSettings, type PreflightCheck } from './types.js';

export interface JoinOptions {
  clusterName?: string;
  network?: string;
  meshId?: string;
  remoteApiServer?: string;
  /** Where the install files are written. */
  outDir: string;
  now?: Date;
}

/** Istio's name for a cluster without a configured cluster ID. */
const ISTIO_DEFAULT_CLUSTER_ID = 'Kubernetes';

export function isDnsLabel(name: string): boolean {
  return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) && name.length <= 63;
}

/** A DNS-1123 label from a context name (EKS contexts are ARNs). */
export function dnsLabel(name: string): string {
  const label = name.toLowerCase().split('/').pop()!.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return label || 'remote';
}

/** The join record meshdeck left on the remote's istio-system, if any. */
export function joinRecord(facts: ClusterFacts): JoinRecord | undefined {
  const text = facts.namespace?.annotations[JOIN_RECORD_ANNOTATION];
  if (!text) return undefined;
  try {
    const record = JSON.parse(text) as JoinRecord;
    return typeof record.primary === 'string' && typeof record.clusterName === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}

/** The settings of a join: the flags, else what the clusters say (the remote's own name and network, the primary's mesh). */
export function resolveSettings(state: JoinState, options: JoinOptions): JoinSettings {
  const { primary, remote } = state;
  const clusterName = options.clusterName ?? joinRecord(remote)?.clusterName ?? remote.identity.clusterId ?? dnsLabel(remote.cluster);
  const primaryNetwork = primary.identity.network ?? '';
  const network = options.network ?? remote.namespace?.labels[NETWORK_LABEL] ?? remote.identity.network ?? primaryNetwork;
  const discoveryAddress = primary.eastWest?.address;
  return {
    primary: primary.cluster,
    remote: remote.cluster,
    clusterName,
    secretName: remoteSecretName(clusterName),
    network,
    meshId: options.meshId ?? primary.identity.meshId ?? primary.identity.trustDomain ?? 'cluster.local',
    primaryClusterId: primary.identity.clusterId ?? ISTIO_DEFAULT_CLUSTER_ID,
    primaryNetwork,
    remoteApiServer: options.remoteApiServer ?? remote.server,
    multiNetwork: network !== primaryNetwork,
    ...(discoveryAddress ? { discoveryAddress } : {}),
    ...(remote.identity.clusterId ? { remoteIstioClusterId: remote.identity.clusterId } : {}),
    istiodService: primary.istiod?.name ?? 'istiod',
    outDir: options.outDir,
  };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?|0\.0\.0\.0)$/i;

/** Whether the address can only be reached from the machine it names. */
export function isLoopback(server: string): boolean {
  try {
    return LOOPBACK.test(new URL(server).hostname);
  } catch {
    return false;
  }
}

/** Clusters that need an east-west gateway and have none: the primary (istiod's exposure), the remote on another network. */
export function missingGateways(state: JoinState, s: JoinSettings): { cluster: string; network: string }[] {
  const out: { cluster: string; network: string }[] = [];
  if (!state.primary.eastWest) out.push({ cluster: s.primary, network: s.primaryNetwork });
  if (s.multiNetwork && !state.remote.eastWest) out.push({ cluster: s.remote, network: s.network });
  return out;
}

/**
 * Every check before a join, each a pass, warn or fail line: reachability, the primary's istiod and
 * identity, that the remote is not attached elsewhere, the cluster name, the shared root, the API
 * server address, token handling, networks and east-west gateways.
 */
export function preflight(state: JoinState, s: JoinSettings, options: JoinOptions): PreflightCheck[] {
  const checks: PreflightCheck[] = [];
  const add = (id: string, status: PreflightCheck['status'], message: string) => void checks.push({ id, status, message });
  const { primary, remote } = state;
  for (const [id, facts] of [['reach-primary', primary], ['reach-remote', remote]] as const) {
    if (facts.error) add(id, 'fail', `${facts.cluster} cannot be reached: ${facts.error}`);
    else add(id, 'pass', `${facts.cluster} is reachable (Kubernetes ${facts.version?.gitVersion || `${facts.version?.major}.${facts.version?.minor}`})`);
  }
  if (primary.error || remote.error) return checks;

  if (!primary.istiod) add('istiod', 'fail', `${s.primary} runs no istiod: a primary needs Istio installed first (istioctl install)`);
  else if (primary.istiod.readyPods === 0) add('istiod', 'fail', `istiod on ${s.primary} has no ready pod (${primary.istiod.pods} pods): it cannot serve a remote; check kubectl --context ${s.primary} -n istio-system get pods -l app=istiod`);
  else add('istiod', 'pass', `istiod runs on ${s.primary} (${primary.istiod.readyPods}/${primary.istiod.pods} ready): cluster ID ${s.primaryClusterId}, network ${s.primaryNetwork || '(none)'}, mesh ID ${primary.identity.meshId ?? s.meshId}`);
  if (primary.istiod && primary.istiod.env['EXTERNAL_ISTIOD'] !== 'true') {
    add('external-istiod', 'warn', `istiod on ${s.primary} is not installed to serve remotes (EXTERNAL_ISTIOD, values.global.externalIstiod=true): it will read ${s.remote}'s endpoints, but not manage its webhooks and namespaces until it is reinstalled with that setting`);
  }

  const record = joinRecord(remote);
  const attached = remote.namespace?.annotations[CONTROL_PLANE_CLUSTERS_ANNOTATION];
  if (attached && attached.split(',').map((id) => id.trim()).every((id) => id !== s.primaryClusterId)) add('attached', 'fail', `${s.remote} is already attached to another primary (${CONTROL_PLANE_CLUSTERS_ANNOTATION}=${attached}); unjoin it from there first`);
  else if (record && record.primary !== s.primaryClusterId) add('attached', 'fail', `${s.remote} was joined by meshdeck to the primary ${record.primary}; run meshdeck unjoin against that primary first`);
  else if (record && record.clusterName !== s.clusterName) add('attached', 'fail', `${s.remote} is joined as ${record.clusterName}; to use the name ${s.clusterName}, run meshdeck unjoin first`);
  else add('attached', 'pass', attached ? `${s.remote} names ${s.primaryClusterId} as its control plane already` : `${s.remote} is not attached to another primary`);
  if (remote.istiod) add('remote-istiod', 'warn', `${s.remote} runs its own istiod (a standalone primary); its proxies keep using it until Istio is reinstalled there with the remote profile (the files below)`);

  checkClusterName(state, s, add);
  checkTrust(state, s, add, options.now ?? new Date());

  if (options.meshId && primary.identity.meshId && options.meshId !== primary.identity.meshId) add('mesh-id', 'fail', `mesh ID ${options.meshId} is not the primary's (${primary.identity.meshId}): a remote must be in its primary's mesh`);
  else if (remote.identity.meshId && remote.identity.meshId !== s.meshId) add('mesh-id', 'warn', `${s.remote}'s Istio says mesh ID ${remote.identity.meshId}; the remote profile written below uses ${s.meshId}`);
  else add('mesh-id', 'pass', `mesh ID ${s.meshId}`);

  checkServer(s, add);

  const version = remote.version!;
  const modern = version.major > 1 || version.minor >= 24;
  const token = remote.readerToken?.token ? `uses the reader token in istio-system/${remote.readerToken.name}` : `meshdeck creates a long-lived token Secret for ${READER_SERVICE_ACCOUNT}, which the API server fills in`;
  add('tokens', 'pass', modern ? `Kubernetes ${version.major}.${version.minor} on ${s.remote} makes no service-account token Secrets by itself: ${token}` : `Kubernetes ${version.major}.${version.minor} on ${s.remote}: ${token}`);

  if (s.multiNetwork) add('network', 'pass', `multi-network: ${s.primary} on ${s.primaryNetwork || '(no network)'}, ${s.remote} on ${s.network || '(no network)'}; traffic between them goes through east-west gateways`);
  else add('network', 'pass', `one network: ${s.primary} and ${s.remote} on ${s.network || '(no network label)'}; pods reach each other directly`);
  checkGateway(primary, s.primary, s.multiNetwork ? [15443, 15012, 15017] : [15012, 15017], `${s.remote}'s proxies reach istiod through it`, add);
  if (s.multiNetwork) checkGateway(remote, s.remote, [15443], 'traffic from other networks enters through it', add);
  if (s.multiNetwork && !remote.istioApi) add('istio-api', 'warn', `${s.remote} does not serve networking.istio.io (Istio is not installed there): its cross-network Gateway is created when meshdeck join runs again after Istio is installed`);
  return checks;
}

type Add = (id: string, status: PreflightCheck['status'], message: string) => void;

function checkClusterName(state: JoinState, s: JoinSettings, add: Add): void {
  const { primary, remote } = state;
  if (!isDnsLabel(s.clusterName)) return add('cluster-name', 'fail', `the cluster name "${s.clusterName}" is not a DNS-1123 label (lower-case letters, digits, '-'), which Istio requires; pass --cluster-name`);
  if (s.clusterName === s.primaryClusterId) return add('cluster-name', 'fail', `the cluster name ${s.clusterName} is the primary's own cluster ID; istiod ignores a remote secret naming its own cluster: pass another --cluster-name`);
  for (const secret of primary.remoteSecrets) {
    for (const entry of secret.entries) {
      const sameServer = entry.access?.server !== undefined && sameAddress(entry.access.server, s.remoteApiServer);
      if (entry.clusterId === s.clusterName && secret.name !== s.secretName) {
        return add('cluster-name', 'fail', `duplicate cluster name: ${s.clusterName} is already used by the remote secret istio-system/${secret.name}${entry.access ? ` (server ${entry.access.server})` : ''} in ${s.primary}; pass another --cluster-name, or remove that secret`);
      }
      if (sameServer && entry.clusterId !== s.clusterName) {
        return add('cluster-name', 'fail', `${s.remote}'s API server is already joined to ${s.primary} as ${entry.clusterId} (remote secret istio-system/${secret.name}); unjoin it first, or join with --cluster-name ${entry.clusterId}`);
      }
    }
  }
  const own = primary.remoteSecrets.find((secret) => secret.name === s.secretName);
  if (own && own.labels[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE && !own.entries.some((e) => e.clusterId === s.clusterName && e.access && sameAddress(e.access.server, s.remoteApiServer))) {
    return add('cluster-name', 'fail', `istio-system/${s.secretName} in ${s.primary} exists, was not made by meshdeck, and points elsewhere; remove it or pass another --cluster-name`);
  }
  add('cluster-name', 'pass', `cluster name ${s.clusterName} is not used by another remote secret in ${s.primary}`);
  if (remote.identity.clusterId && remote.identity.clusterId !== s.clusterName) {
    add('remote-cluster-id', 'warn', `${s.remote}'s Istio calls itself ${remote.identity.clusterId}, not ${s.clusterName}: its proxies report the wrong cluster ID until Istio is reinstalled there with the files below (or join with --cluster-name ${remote.identity.clusterId})`);
  }
}

function checkTrust(state: JoinState, s: JoinSettings, add: Add, now: Date): void {
  const { primary, remote } = state;
  if (!primary.ca || !remote.ca) return add('trust', remote.ca ? 'fail' : 'pass', remote.ca ? `${s.primary} has no istio-system: no root to share` : `${s.remote} has no Istio CA of its own: its workloads will get certificates from ${s.primary}'s istiod`);
  const report = verifyClusters([{ state: primary.ca }, { state: remote.ca }], now);
  const [p, r] = report.clusters;
  if (!r?.activeRoot) return add('trust', 'pass', `${s.remote} has no root of its own yet: its workloads will get certificates from ${s.primary}'s istiod`);
  if (!p?.activeRoot) return add('trust', 'fail', `${s.primary} has no root yet (istiod has not started?): nothing to compare`);
  if (report.shared) return add('trust', 'pass', `${s.primary} and ${s.remote} share the root ${p.activeRoot.subject} (SHA-256 ${shortFp(p.activeRoot.fingerprint)})`);
  add('trust', 'fail', `${s.primary} and ${s.remote} do not share a root of trust (${s.primary}: ${p.activeRoot.subject} ${shortFp(p.activeRoot.fingerprint)}, ${s.remote}: ${r.activeRoot.subject} ${shortFp(r.activeRoot.fingerprint)}); give both intermediates of one root first: meshdeck ca root, meshdeck ca intermediate, meshdeck ca install --restart (or the CA wizard, :ca)`);
}

function checkServer(s: JoinSettings, add: Add): void {
  let url: URL;
  try {
    url = new URL(s.remoteApiServer);
  } catch {
    return add('api-server', 'fail', `the remote API server address "${s.remoteApiServer}" is not a URL (https://HOST:PORT)`);
  }
  if (url.protocol !== 'https:') return add('api-server', 'warn', `the remote API server address ${s.remoteApiServer} is not https: istiod's client expects TLS`);
  if (isLoopback(s.remoteApiServer)) {
    return add('api-server', 'warn', `the remote API server address ${s.remoteApiServer} is a loopback address: istiod on ${s.primary} reaches it only if it runs on this same machine; pass --remote-api-server with an address the primary's pods can reach`);
  }
  add('api-server', 'pass', `istiod on ${s.primary} will reach ${s.remote} at ${s.remoteApiServer}`);
}

function checkGateway(facts: ClusterFacts, cluster: string, ports: number[], why: string, add: Add): void {
  const id = `eastwest-${cluster}`;
  if (!facts.eastWest) return add(id, 'warn', `${cluster} has no east-west gateway (istio-system/istio-eastwestgateway): ${why}; install it with the file written below, then run meshdeck join again`);
  const missing = ports.filter((p) => !facts.eastWest!.ports.includes(p));
  if (missing.length > 0) return add(id, 'warn', `${cluster}'s east-west gateway Service lacks port${missing.length === 1 ? '' : 's'} ${missing.join(', ')}: ${why}`);
  if (!facts.eastWest.address) return add(id, 'warn', `${cluster}'s east-west gateway has no address yet (status.loadBalancer): ${why}`);
  add(id, 'pass', `${cluster}'s east-west gateway is at ${facts.eastWest.address}`);
}

/** The same host and port, whatever the spelling (localhost, default port). */
export function sameAddress(a: string, b: string): boolean {
  const norm = (server: string) => {
    try {
      const url = new URL(server);
      const host = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname;
      return `${url.protocol}//${host}:${url.port || (url.protocol === 'http:' ? '80' : '443')}`;
    } catch {
      return server;
    }
  };
  return norm(a) === norm(b);
}
