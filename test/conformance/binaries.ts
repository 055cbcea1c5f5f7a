import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the conformance tier's pinned versions live (the Go modules build.sh builds from). */
export const CONFORMANCE_DIR = dirname(fileURLToPath(import.meta.url));

function requiredVersion(goMod: string, module: string): string {
  const text = readFileSync(join(CONFORMANCE_DIR, goMod), 'utf8');
  const match = new RegExp(`^require\\s+${module.replace(/\./g, '\\.')}\\s+(\\S+)`, 'm').exec(text);
  if (!match) throw new Error(`no ${module} version in ${goMod}`);
  return match[1]!;
}

export const KUBERNETES_VERSION = requiredVersion('build/go.mod', 'k8s.io/kubernetes');
export const ISTIO_VERSION = requiredVersion('build/istio/go.mod', 'istio.io/istio');

/** The cache build.sh fills: $MESHDECK_CONFORMANCE_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/meshdeck/conformance. */
export function conformanceCache(): string {
  const explicit = process.env['MESHDECK_CONFORMANCE_CACHE'];
  if (explicit) return explicit;
  return join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'meshdeck', 'conformance');
}

export interface Binaries {
  etcd: string;
  kubeApiserver: string;
  /** Istio's CRDs: crd-all.gen.yaml of the pinned version, as build.sh extracted it. */
  istioCrds: string;
  /** istiod, when build.sh could build it. */
  pilotDiscovery?: string;
  /** The istio-discovery Helm chart of the pinned version (its injection templates and values), copied by `build.sh --istiod`. */
  istioDiscoveryChart?: string;
}

const ETCD_CANDIDATES = ['/usr/bin/etcd', '/usr/local/bin/etcd'];

/** The binaries the harness runs; a missing one is an error that says how to get it. */
export function findBinaries(): Binaries {
  const cache = conformanceCache();
  const kubeApiserver = process.env['KUBE_APISERVER'] ?? join(cache, `kube-apiserver-${KUBERNETES_VERSION}`, 'kube-apiserver');
  const etcd = process.env['ETCD'] ?? ETCD_CANDIDATES.find((path) => existsSync(path));
  const missing: string[] = [];
  if (!existsSync(kubeApiserver)) missing.push(`kube-apiserver ${KUBERNETES_VERSION} (looked for ${kubeApiserver})`);
  if (!etcd) missing.push('etcd (Debian package etcd-server)');
  const istioDir = join(cache, `istio-${ISTIO_VERSION}`);
  const istioCrds = join(istioDir, 'crd-all.gen.yaml');
  if (!existsSync(istioCrds)) missing.push(`Istio's CRDs (looked for ${istioCrds})`);
  if (missing.length > 0) {
    throw new Error(`the conformance tier needs ${missing.join(' and ')}: run test/conformance/build.sh first`);
  }
  const binaries: Binaries = { etcd: etcd!, kubeApiserver, istioCrds };
  if (existsSync(join(istioDir, 'pilot-discovery'))) binaries.pilotDiscovery = join(istioDir, 'pilot-discovery');
  if (existsSync(join(istioDir, 'istio-discovery', 'values.yaml'))) binaries.istioDiscoveryChart = join(istioDir, 'istio-discovery');
  return binaries;
}
