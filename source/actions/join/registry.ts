import { describeIstiodDebugError, readIstiodDebug } from '../../kube/istiod-debug.js';
import { readerGet, type ReaderAnswer } from './probe.js';
import type { RemoteAccess } from './remote-secret.js';
import { ISTIO_NAMESPACE, READER_CLUSTER_ROLE, type KubeApi } from './types.js';

/** The fields of one `/debug/registryz` entry (istiod's `model.Service`) that the check reads. */
export interface RegistryzService {
  hostname: string;
  Attributes?: { Name?: string; Namespace?: string };
  clusterVIPs?: { Addresses?: Record<string, string[] | null> | null };
}

export type RegistryCause = 'reader-rbac' | 'not-in-registry';

/** Whether the remote's services made it into the primary istiod's service registry. */
export interface RegistryCheck {
  ok: boolean;
  /** `namespace/name` of the remote's services looked for (all but kube-system's and default/kubernetes). */
  expected: string[];
  missing: string[];
  cause?: RegistryCause;
  /** The check could not be made (registryz or the remote's list unreadable); not a failure. */
  skipped?: string;
  lines: string[];
}

export interface RegistryTarget {
  primary: string;
  remote: string;
  clusterName: string;
  istiodService: string;
}

export interface RegistryDeps {
  api: KubeApi;
  /** The remote secret's server, CA and token: the remote's services as istiod's reader sees them. */
  access: RemoteAccess;
  deadline: number;
  pollMs: number;
  onProgress: (message: string) => void;
  /** A GET as the reader; for tests. */
  get?: (access: RemoteAccess, path: string) => Promise<ReaderAnswer>;
}

const DOMAIN = 'cluster.local';
// istiod needs both to register a cluster's services: the Services, and their EndpointSlices.
const SERVICES = '/api/v1/services';
const SLICES = '/apis/discovery.k8s.io/v1/endpointslices?limit=1';

/** The remote's own services: what only a working join puts into the primary's registry. */
export function remoteServiceNames(items: { metadata?: { name?: string; namespace?: string } }[]): string[] {
  return items
    .map((s) => `${s.metadata?.namespace ?? ''}/${s.metadata?.name ?? ''}`)
    .filter((key) => !key.startsWith('kube-system/') && key !== 'default/kubernetes')
    .sort();
}

/** Those of `expected` that istiod's registry does not list for `clusterId` (a hostname alone is not enough: another cluster may have it). */
export function missingFromRegistry(expected: string[], registry: RegistryzService[], clusterId: string): string[] {
  const present = new Set(registry.filter((s) => (s.clusterVIPs?.Addresses?.[clusterId]?.length ?? 0) > 0).map((s) => s.hostname));
  return expected.filter((key) => {
    const [namespace, name] = key.split('/');
    return !present.has(`${name}.${namespace}.svc.${DOMAIN}`);
  });
}

const sample = (keys: string[], n = 3) => `${keys.slice(0, n).join(', ')}${keys.length > n ? ` and ${keys.length - n} more` : ''}`;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * After istiod reports the remote synced: waits until its `/debug/registryz` lists the remote's
 * services under the remote's cluster ID. The remote's services are read with the reader token, so
 * a reader that may not list services or endpointslices is named at once, whatever istiod says.
 */
export async function verifyRegistry(t: RegistryTarget, deps: RegistryDeps): Promise<RegistryCheck> {
  const get = deps.get ?? ((access: RemoteAccess, path: string) => readerGet(access, path));
  const rbac = await readerRbac(deps.access, get);
  // istiod cannot have what its reader may not list: no need to wait for its registry.
  if (rbac.forbidden) return { ...failed(t, [], [], 'reader-rbac', rbac.forbidden), expected: rbac.expected ?? [] };
  if (rbac.skipped) return skipped(t, rbac.skipped);
  const expected = rbac.expected!;
  if (expected.length === 0) return { ok: true, expected, missing: [], lines: [`✓ ${t.remote} has no services outside kube-system yet: nothing to look for in ${t.primary}'s registry`] };
  for (;;) {
    let registry: RegistryzService[];
    try {
      registry = await readIstiodDebug<RegistryzService[]>(deps.api, '/debug/registryz', { service: t.istiodService });
    } catch (error) {
      return skipped(t, `istiod's /debug/registryz in ${t.primary} cannot be read (${describeIstiodDebugError(error, '/debug/registryz')})`);
    }
    const missing = missingFromRegistry(expected, Array.isArray(registry) ? registry.filter((s) => s && typeof s.hostname === 'string') : [], t.clusterName);
    if (missing.length === 0) return { ok: true, expected, missing, lines: [`✓ ${t.primary}'s registry has ${t.remote}'s services: ${expected.length} of ${expected.length} (${sample(expected)})`] };
    if (Date.now() >= deps.deadline) {
      // The reader may have lost its rights while we waited.
      const again = await readerRbac(deps.access, get);
      return failed(t, expected, missing, again.forbidden ? 'reader-rbac' : 'not-in-registry', again.forbidden);
    }
    deps.onProgress(`${t.primary}'s registry has ${expected.length - missing.length} of ${expected.length} of ${t.remote}'s services`);
    await sleep(deps.pollMs);
  }
}

async function readerRbac(access: RemoteAccess, get: NonNullable<RegistryDeps['get']>): Promise<{ expected?: string[]; forbidden?: string; skipped?: string }> {
  const services = await get(access, SERVICES);
  if (services.outcome === 'forbidden') return { forbidden: `list services (${services.detail})` };
  if (services.outcome !== 'ok' || !services.body) return { skipped: `${access.server} cannot be asked for the remote's services from here (${services.detail})` };
  let expected: string[];
  try {
    expected = remoteServiceNames((JSON.parse(services.body) as { items?: [] }).items ?? []);
  } catch {
    return { skipped: `the remote's service list is not JSON` };
  }
  const slices = await get(access, SLICES);
  if (slices.outcome === 'forbidden') return { expected, forbidden: `list endpointslices.discovery.k8s.io (${slices.detail})` };
  return { expected };
}

function skipped(t: RegistryTarget, why: string): RegistryCheck {
  return { ok: true, expected: [], missing: [], skipped: why, lines: [`! ${t.remote}'s services in ${t.primary}'s registry not checked: ${why}`] };
}

function failed(t: RegistryTarget, expected: string[], missing: string[], cause: RegistryCause, detail?: string): RegistryCheck {
  const head = `✗ istiod on ${t.primary} reports ${t.clusterName} synced, but`;
  const verdict =
    expected.length === 0
      ? `${head} its registry can get none of ${t.remote}'s services`
      : missing.length === expected.length
        ? `${head} none of ${t.remote}'s ${expected.length} services are in its registry (missing ${sample(missing)})`
        : `${head} ${missing.length} of ${t.remote}'s ${expected.length} services are not in its registry (missing ${sample(missing)})`;
  const again = `meshdeck join --primary ${t.primary} --remote ${t.remote} --apply`;
  const [why, fix] =
    cause === 'reader-rbac'
      ? [
          `${t.remote} refuses the remote secret's reader token to ${detail}: istio-reader-service-account's ClusterRole ${READER_CLUSTER_ROLE} lacks list on services or endpointslices, so istiod gets no services from ${t.remote}`,
          `give it get, list and watch on services and discovery.k8s.io endpointslices again (kubectl --context ${t.remote} edit clusterrole ${READER_CLUSTER_ROLE}), or delete that ClusterRole and run ${again} (it recreates missing RBAC)`,
        ]
      : [
          `istiod reads ${t.remote} but does not register those services: its meshConfig.discoverySelectors leave their namespaces out, or istiod is still catching up`,
          `check discoverySelectors (kubectl --context ${t.primary} -n ${ISTIO_NAMESPACE} get configmap istio -o yaml) and istiod's log, then run ${again} again to check`,
        ];
  return { ok: false, expected, missing, cause, lines: [verdict, `  cause: ${why}`, `  fix: ${fix}`] };
}
