import { KubeRequestError } from '../../kube/errors.js';
import { describeIstiodDebugError, isIstiodRefusal, isPortForwardForbidden, readIstiodDebug } from '../../kube/istiod-debug.js';
import { objectPath } from './objects.js';
import { probeApiServer, readerGet, type ProbeResult, type ReaderAnswer } from './probe.js';
import { verifyRegistry, type RegistryCheck } from './registry.js';
import { remoteSecretEntries, type RemoteAccess } from './remote-secret.js';
import { ISTIO_NAMESPACE, READER_CLUSTER_ROLE, READER_TOKEN_SECRET, type KubeApi } from './types.js';

/** One entry of istiod's /debug/clusterz (`cluster.DebugInfo`). */
export interface ClusterzEntry {
  id: string;
  secretName: string;
  syncStatus: string;
}

/** Which remote to look for, in which primary's istiod. */
export interface VerifyTarget {
  primary: string;
  remote: string;
  clusterName: string;
  secretName: string;
  istiodService: string;
  primaryClusterId: string;
  /** What the remote's own Istio calls itself, if it has an installation. */
  remoteClusterId?: string;
}

export type SyncState = 'synced' | 'syncing' | 'timeout' | 'closed' | 'absent' | 'unreadable';
export type FailureCause = 'bad-token' | 'forbidden' | 'unreachable' | 'tls' | 'not-reachable-from-primary' | 'wrong-cluster-id' | 'secret-missing' | 'bad-kubeconfig' | 'still-syncing' | 'not-registered' | 'istiod-unreadable' | 'istiod-refused' | 'still-registered' | 'reader-rbac' | 'not-in-registry';

export interface JoinVerifyReport {
  ok: boolean;
  state: SyncState;
  cause?: FailureCause;
  /** The verdict, the likely cause and what to do, as lines. */
  lines: string[];
  /** Things that are wrong though istiod syncs (the remote's own Istio under another cluster ID). */
  warnings: string[];
  clusterz: ClusterzEntry[];
  probe?: ProbeResult;
  /** Whether istiod's /debug/registryz lists the remote's services (after `synced`). */
  registry?: RegistryCheck;
}

export interface VerifyDeps {
  /** The primary's API. */
  api: KubeApi;
  /** How long to wait for `synced` (default 60 s); 0 reads once. */
  timeoutMs?: number;
  pollMs?: number;
  onProgress?: (message: string) => void;
  /** `absent`: wait until istiod no longer lists the remote (after unjoin). */
  expect?: 'synced' | 'absent';
  probe?: (access: RemoteAccess) => Promise<ProbeResult>;
  /** Also wait for the remote's services in istiod's registry (default true). */
  registry?: boolean;
  /** The registry gets at least this long after `synced`, even past the timeout (default 15 s). */
  registryMinMs?: number;
  /** A GET as the remote secret's reader; for tests. */
  readerGet?: (access: RemoteAccess, path: string) => Promise<ReaderAnswer>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What the primary's remote secret says, as istiod would read it. */
type SecretRead = { missing: true } | { missing: false; access?: RemoteAccess; error?: string };

async function readSecret(api: KubeApi, t: VerifyTarget): Promise<SecretRead> {
  try {
    const secret = await api.requestJson<{ data?: Record<string, string> }>(objectPath({ kind: 'Secret', name: t.secretName, namespace: ISTIO_NAMESPACE }));
    const data = Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    const entry = remoteSecretEntries(data).find((e) => e.clusterId === t.clusterName);
    if (!entry) return { missing: false, error: `it has no key ${t.clusterName} (keys: ${Object.keys(data).join(', ') || 'none'})` };
    return { missing: false, ...(entry.access ? { access: entry.access } : {}), ...(entry.error ? { error: entry.error } : {}) };
  } catch (error) {
    if (error instanceof KubeRequestError && error.status === 404) return { missing: true };
    throw error;
  }
}

/**
 * Waits until the primary's istiod reports the remote `synced` in /debug/clusterz (read through the
 * API server's service proxy), reporting progress. On `timeout` or `closed` it reaches the remote's
 * API server itself with the secret's token and CA, to tell a refused token from an unreachable
 * address; a definite cause ends the wait at once.
 */
export async function verifyJoin(t: VerifyTarget, deps: VerifyDeps): Promise<JoinVerifyReport> {
  const timeoutMs = deps.timeoutMs ?? 60_000;
  const pollMs = deps.pollMs ?? 1000;
  const probe = deps.probe ?? ((access: RemoteAccess) => probeApiServer(access));
  const deadline = Date.now() + timeoutMs;
  const wantAbsent = deps.expect === 'absent';
  let lastProgress = '';
  let lastProbe = 0;
  const progress = (message: string) => {
    if (message !== lastProgress) deps.onProgress?.(message);
    lastProgress = message;
  };
  for (;;) {
    let clusterz: ClusterzEntry[] = [];
    let unreadable: string | undefined;
    let refused = false;
    let portForwardForbidden = false;
    try {
      // Through a port-forward to istiod's pod, as istioctl reads it; the service proxy only if that is not allowed.
      clusterz = await readIstiodDebug<ClusterzEntry[]>(deps.api, '/debug/clusterz', { service: t.istiodService });
    } catch (error) {
      unreadable = describeIstiodDebugError(error, '/debug/clusterz');
      refused = isIstiodRefusal(error);
      portForwardForbidden = isPortForwardForbidden(error);
    }
    const unreadableCause: FailureCause = refused ? 'istiod-refused' : 'istiod-unreadable';
    const ours = `${ISTIO_NAMESPACE}/${t.secretName}`;
    const entry = clusterz.find((e) => e.id === t.clusterName && e.secretName === ours);
    const other = clusterz.find((e) => e.id === t.clusterName && e.secretName !== ours && e.secretName !== '');
    const state: SyncState = unreadable ? 'unreadable' : entry ? (['synced', 'syncing', 'timeout', 'closed'].includes(entry.syncStatus) ? (entry.syncStatus as SyncState) : 'syncing') : 'absent';
    const done = Date.now() >= deadline;
    if (wantAbsent) {
      if (!unreadable && !entry) return { ok: true, state: 'absent', lines: [`✓ istiod on ${t.primary} no longer lists ${t.clusterName}`], warnings: [], clusterz };
      if (done || refused) return fail(t, state, clusterz, { cause: unreadable ? unreadableCause : 'still-registered', ...(unreadable ? { detail: unreadable } : {}), ...(portForwardForbidden ? { portForwardForbidden } : {}) });
      progress(unreadable ? `istiod's /debug/clusterz cannot be read yet (${unreadable})` : `istiod on ${t.primary} still lists ${t.clusterName} (${entry!.syncStatus})`);
      await sleep(pollMs);
      continue;
    }
    if (state === 'synced') return withRegistry(t, synced(t, clusterz), deps, deadline, pollMs, progress);
    if (other || t.clusterName === t.primaryClusterId) return fail(t, state, clusterz, { cause: 'wrong-cluster-id', ...(other ? { other } : {}) });
    if (unreadable) {
      // istiod's refusal does not pass by waiting.
      if (done || refused) return fail(t, state, clusterz, { cause: unreadableCause, detail: unreadable, ...(portForwardForbidden ? { portForwardForbidden } : {}) });
      progress(`istiod's /debug/clusterz cannot be read yet (${unreadable})`);
    } else {
      const failing = state === 'timeout' || state === 'closed';
      // Probing costs a connection: at most every 5 s, and only when istiod reports trouble (or time is up).
      if (failing || done || state === 'absent') {
        const secret = await readSecret(deps.api, t);
        if (secret.missing) return fail(t, state, clusterz, { cause: 'secret-missing' });
        if (secret.error || !secret.access) return fail(t, state, clusterz, { cause: 'bad-kubeconfig', detail: secret.error ?? 'no server' });
        if ((failing || done) && Date.now() - lastProbe >= 5000) {
          lastProbe = Date.now();
          const result = await probe(secret.access);
          // A reader that reaches the server but may not list services never syncs: say so, not "unreachable from the primary".
          const cause = causeOf(result) ?? ((failing || done) && result.outcome === 'ok' && (await readerForbidden(secret.access, deps)) ? 'reader-rbac' : undefined);
          if (cause) return fail(t, state, clusterz, { cause, probe: result, server: secret.access.server });
          if (done) return fail(t, state, clusterz, { cause: state === 'absent' ? 'not-registered' : failing ? 'not-reachable-from-primary' : 'still-syncing', probe: result, server: secret.access.server });
        } else if (done) {
          return fail(t, state, clusterz, { cause: state === 'absent' ? 'not-registered' : 'still-syncing', server: secret.access.server });
        }
      }
      progress(state === 'absent' ? `istiod on ${t.primary} does not list ${t.clusterName} yet` : `istiod on ${t.primary} reports ${t.clusterName} ${state}`);
    }
    await sleep(pollMs);
  }
}

async function readerForbidden(access: RemoteAccess, deps: VerifyDeps): Promise<boolean> {
  const get = deps.readerGet ?? ((a: RemoteAccess, path: string) => readerGet(a, path));
  for (const path of ['/api/v1/services?limit=1', '/apis/discovery.k8s.io/v1/endpointslices?limit=1']) if ((await get(access, path)).outcome === 'forbidden') return true;
  return false;
}

/** `synced` is not the end: the remote's services must reach istiod's registry too. */
async function withRegistry(t: VerifyTarget, report: JoinVerifyReport, deps: VerifyDeps, deadline: number, pollMs: number, progress: (message: string) => void): Promise<JoinVerifyReport> {
  if (deps.registry === false) return report;
  const secret = await readSecret(deps.api, t).catch(() => undefined);
  const access = secret && !secret.missing ? secret.access : undefined;
  if (!access) return { ...report, lines: [...report.lines, `! ${t.remote}'s services in ${t.primary}'s registry not checked: the remote secret cannot be read`] };
  const registry = await verifyRegistry(t, {
    api: deps.api,
    access,
    deadline: Math.max(deadline, Date.now() + (deps.registryMinMs ?? 15_000)),
    pollMs,
    onProgress: progress,
    ...(deps.readerGet ? { get: deps.readerGet } : {}),
  });
  return { ...report, ok: report.ok && registry.ok, ...(registry.cause ? { cause: registry.cause } : {}), lines: [...report.lines, ...registry.lines], registry };
}

function causeOf(result: ProbeResult): FailureCause | undefined {
  const causes: Partial<Record<ProbeResult['outcome'], FailureCause>> = { unauthorized: 'bad-token', forbidden: 'forbidden', unreachable: 'unreachable', tls: 'tls' };
  return causes[result.outcome];
}

function synced(t: VerifyTarget, clusterz: ClusterzEntry[]): JoinVerifyReport {
  const warnings: string[] = [];
  if (t.remoteClusterId && t.remoteClusterId !== t.clusterName) {
    warnings.push(`wrong cluster ID on the remote side: ${t.remote}'s Istio calls itself ${t.remoteClusterId}, but ${t.primary} knows it as ${t.clusterName}; its proxies report ${t.remoteClusterId} until Istio is reinstalled there with the remote profile written by join`);
  }
  return { ok: true, state: 'synced', lines: [`✓ istiod on ${t.primary} reports ${t.clusterName} synced (${ISTIO_NAMESPACE}/${t.secretName})`, ...warnings.map((w) => `! ${w}`)], warnings, clusterz };
}

export interface FailureFacts {
  cause: FailureCause;
  other?: ClusterzEntry;
  probe?: ProbeResult;
  server?: string;
  detail?: string;
  /** istiod-refused: port-forward to istiod was refused too (no create on pods/portforward). */
  portForwardForbidden?: boolean;
}

function fail(t: VerifyTarget, state: SyncState, clusterz: ClusterzEntry[], facts: FailureFacts): JoinVerifyReport {
  return { ok: false, state, cause: facts.cause, lines: explain(t, state, facts), warnings: [], clusterz, ...(facts.probe ? { probe: facts.probe } : {}) };
}

/** The verdict, the likely cause and what to do, for a remote istiod does not sync. */
export function explain(t: VerifyTarget, state: SyncState, f: FailureFacts): string[] {
  const again = `meshdeck join --primary ${t.primary} --remote ${t.remote} --apply`;
  const server = f.server ?? 'the remote API server';
  const verdict = {
    synced: `istiod on ${t.primary} reports ${t.clusterName} synced`,
    syncing: `istiod on ${t.primary} still reports ${t.clusterName} syncing`,
    timeout: `istiod on ${t.primary} reports ${t.clusterName} timeout: it cannot read ${t.remote}`,
    closed: `istiod on ${t.primary} reports ${t.clusterName} closed`,
    absent: `istiod on ${t.primary} does not list ${t.clusterName}`,
    unreadable: `istiod's /debug/clusterz in ${t.primary} cannot be read`,
  }[state];
  const [cause, fix] = ((): [string, string] => {
    switch (f.cause) {
      case 'bad-token':
        return [`bad token: ${server} refused the reader token in ${ISTIO_NAMESPACE}/${t.secretName} (${f.probe?.detail}); the token Secret ${ISTIO_NAMESPACE}/${READER_TOKEN_SECRET} in ${t.remote} was deleted or recreated, or the token is another cluster's`, `run ${again} again: it makes a new token and rewrites the remote secret`];
      case 'forbidden':
        return [`the reader token is accepted but may not read ${ISTIO_NAMESPACE} (${f.probe?.detail}): istio-reader-service-account in ${t.remote} lacks its ClusterRoleBinding ${READER_CLUSTER_ROLE}`, `run ${again} again (it recreates missing RBAC)`];
      case 'unreachable':
        return [`unreachable address: ${server} does not answer (${f.probe?.detail}); it is not where ${t.remote}'s API server listens, or something is in the way`, `join again with --remote-api-server set to an address of ${t.remote}'s API server that ${t.primary}'s pods can reach`];
      case 'tls':
        return [`TLS with ${server} failed: ${f.probe?.detail}`, `use an address the API server's certificate names (--remote-api-server), or check that the secret's CA is ${t.remote}'s`];
      case 'not-reachable-from-primary':
        return [`this machine reaches ${server} with the same token and CA, so the address is probably not reachable from ${t.primary}'s pods (a loopback or private address?)`, `join again with --remote-api-server set to an address ${t.primary}'s pods can reach`];
      case 'wrong-cluster-id':
        return f.other
          ? [`wrong cluster ID: ${t.clusterName} is already registered from ${f.other.secretName}; istiod ignores a second secret for the same cluster ID`, `remove that secret, or unjoin and join again with another --cluster-name`]
          : [`wrong cluster ID: ${t.clusterName} is ${t.primary}'s own cluster ID, and istiod ignores a remote secret naming its own cluster`, `unjoin, then join again with another --cluster-name`];
      case 'secret-missing':
        return [`the remote secret ${ISTIO_NAMESPACE}/${t.secretName} is not in ${t.primary}`, `run ${again} again`];
      case 'bad-kubeconfig':
        return [`the remote secret ${ISTIO_NAMESPACE}/${t.secretName} cannot be used: ${f.detail}`, `run ${again} again: it rewrites the secret`];
      case 'not-registered':
        return [`istiod has not picked up ${ISTIO_NAMESPACE}/${t.secretName} (it reads secrets labelled istio/multiCluster=true in ${ISTIO_NAMESPACE})`, `check istiod's log: kubectl --context ${t.primary} -n ${ISTIO_NAMESPACE} logs deploy/${t.istiodService}`];
      case 'still-syncing':
        return [`istiod is still listing ${t.remote}'s services and endpoints (large clusters take longer)`, `wait, then run ${again} again to check`];
      case 'istiod-unreadable':
        return [`${f.detail}: istiod has no ready pod, or the credentials may neither port-forward to it nor use services/proxy in ${ISTIO_NAMESPACE}`, `check kubectl --context ${t.primary} -n ${ISTIO_NAMESPACE} get pods -l app=istiod`];
      case 'istiod-refused':
        return [
          `${f.detail}; the kubeconfig's credentials for ${t.primary} are fine`,
          f.portForwardForbidden
            ? `meshdeck reads istiod's /debug through pods/portforward, as istioctl does (istiod serves it on the pod's loopback): let these credentials get and create pods/portforward in ${ISTIO_NAMESPACE} (kubectl --context ${t.primary} -n ${ISTIO_NAMESPACE} create role istiod-debug --verb=get,create --resource=pods/portforward, then create rolebinding istiod-debug --role=istiod-debug --user=<you>), then run ${again} again`
            : `meshdeck reads istiod's /debug through pods/portforward, as istioctl does: make that work (it failed as said above), or check by hand: kubectl --context ${t.primary} -n ${ISTIO_NAMESPACE} port-forward deploy/${t.istiodService} 15014, then curl -s localhost:15014/debug/clusterz`,
        ];
      case 'reader-rbac':
        return [`the reader token reaches ${server} but may not list services or endpointslices there: istio-reader-service-account's ClusterRole ${READER_CLUSTER_ROLE} in ${t.remote} lacks them`, `give it get, list and watch on services and discovery.k8s.io endpointslices again (kubectl --context ${t.remote} edit clusterrole ${READER_CLUSTER_ROLE}), or delete that ClusterRole and run ${again} (it recreates missing RBAC)`];
      case 'not-in-registry':
        return [`istiod reads ${t.remote} but does not register its services: meshConfig.discoverySelectors leave their namespaces out, or istiod is still catching up`, `check discoverySelectors and istiod's log, then run ${again} again`];
      case 'still-registered':
        return [`istiod still lists ${t.clusterName} from ${ISTIO_NAMESPACE}/${t.secretName}`, `check that the secret is gone: kubectl --context ${t.primary} -n ${ISTIO_NAMESPACE} get secret ${t.secretName}`];
    }
  })();
  return [`✗ ${verdict}`, `  cause: ${cause}`, `  fix: ${fix}`];
}
