import { X509Certificate } from 'node:crypto';
import { checkCacerts, type CacertsFile } from '../../pki/check-cacerts.js';
import { checkValidity, shortFp, summarize } from '../../pki/certificate-checks.js';
import { finding, type Finding } from '../../pki/findings.js';
import { summarizePem, type CertificateSummary } from '../../pki/fingerprint.js';
import { parseCertificates } from '../../pki/pem.js';
import { isIstioSample, SAMPLE_CA_ADVICE } from '../../pki/sample-ca.js';
import type { CaLiveState } from './live-state.js';
import { isManaged } from './summary.js';
import type { ClusterCaSource } from './types.js';

/** One cluster's root of trust, as far as its objects show it. */
export interface ClusterTrust {
  cluster: string;
  /** Why the cluster could not be read (then nothing else is known). */
  error?: string;
  istio: boolean;
  /** Where istiod takes its CA from: a plugged-in `cacerts`, its own `istio-ca-secret`, or nothing yet. */
  source: ClusterCaSource;
  managedByMeshdeck: boolean;
  /** The root the configured CA chains to. */
  configuredRoot?: CertificateSummary;
  /** The roots istio-ca-root-cert distributes (what the cluster's proxies trust). */
  distributed: CertificateSummary[];
  /** The root the cluster's workload certificates chain to, as best known. */
  activeRoot?: CertificateSummary;
  /** Whether istiod distributes the configured root (false: restart pending). */
  loaded?: boolean;
  sample: boolean;
  hasIstiod: boolean;
}

export interface TrustGroup {
  root: CertificateSummary;
  clusters: string[];
}

export interface VerifyReport {
  clusters: ClusterTrust[];
  groups: TrustGroup[];
  findings: Finding[];
  /** Whether every cluster trusts every other cluster's root. */
  shared: boolean;
}

export type ClusterRead = { state: CaLiveState } | { cluster: string; error: string };

const RESTART = 'restart istiod (meshdeck ca install --restart, or kubectl rollout restart deploy/istiod -n istio-system)';

/**
 * The roots clusters actually use, from `cacerts` (checked like a directory), istiod's self-signed
 * `istio-ca-secret`, and the `istio-ca-root-cert` ConfigMap, and whether they share one: a cluster
 * whose workloads' root is not trusted by another breaks mTLS between them.
 */
export function verifyClusters(reads: ClusterRead[], now: Date): VerifyReport {
  const findings: Finding[] = [];
  const clusters = reads.map((read) => ('state' in read ? clusterTrust(read.state, now, findings) : unreachable(read, findings)));
  const usable = clusters.filter((c) => c.activeRoot);
  const groups: TrustGroup[] = [];
  for (const c of usable) {
    const group = groups.find((g) => g.root.fingerprint === c.activeRoot!.fingerprint);
    if (group) group.clusters.push(c.cluster);
    else groups.push({ root: c.activeRoot!, clusters: [c.cluster] });
  }
  const trusts = (a: ClusterTrust, b: ClusterTrust) => b.distributed.length === 0 ? b.activeRoot!.fingerprint === a.activeRoot!.fingerprint : b.distributed.some((r) => r.fingerprint === a.activeRoot!.fingerprint);
  const apart: [string, string][] = [];
  for (const [i, a] of usable.entries()) for (const b of usable.slice(i + 1)) if (!trusts(a, b) || !trusts(b, a)) apart.push([a.cluster, b.cluster]);
  const describe = (g: TrustGroup) => `${g.clusters.join(', ')} ${g.clusters.length === 1 ? 'uses' : 'use'} ${g.root.subject} (SHA-256 ${shortFp(g.root.fingerprint)})`;
  if (apart.length > 0) {
    findings.push(finding('error', 'roots-differ', '', `the clusters do not share a root: ${groups.map(describe).join('; ')}; workloads in different groups cannot verify each other (x509: certificate signed by unknown authority); install intermediates of one root with 'meshdeck ca install'`));
  } else if (usable.length > 1) {
    findings.push(finding('info', 'shared-root', '', groups.length === 1 ? `${groups[0]!.clusters.join(', ')} share the root ${groups[0]!.root.subject} (SHA-256 ${shortFp(groups[0]!.root.fingerprint)})` : `the clusters trust each other's roots: ${groups.map(describe).join('; ')}`));
  }
  return { clusters, groups, findings, shared: apart.length === 0 && clusters.every((c) => !c.error) };
}

function unreachable(read: { cluster: string; error: string }, findings: Finding[]): ClusterTrust {
  findings.push(finding('error', 'cluster-unreachable', read.cluster, `cannot be read: ${read.error}`));
  return { cluster: read.cluster, error: read.error, istio: false, source: 'none', managedByMeshdeck: false, distributed: [], sample: false, hasIstiod: false };
}

function clusterTrust(state: CaLiveState, now: Date, findings: Finding[]): ClusterTrust {
  const cluster = state.cluster;
  const trust: ClusterTrust = { cluster, istio: state.istioNamespace, source: 'none', managedByMeshdeck: false, distributed: [], sample: false, hasIstiod: state.istiods.length > 0 };
  if (!state.istioNamespace) {
    findings.push(finding('error', 'no-istio', cluster, 'has no istio-system namespace: install Istio first (istioctl install)'));
    return trust;
  }
  for (const [name, secret] of [['cacerts', state.cacerts], ['istio-ca-secret', state.selfSigned]] as const) {
    if (secret === 'forbidden') findings.push(finding('warning', 'forbidden', `${cluster}: istio-system/${name}`, 'cannot be read (forbidden); judging by istio-ca-root-cert only'));
  }
  if (state.cacerts && state.cacerts !== 'forbidden') {
    trust.source = 'cacerts';
    trust.managedByMeshdeck = isManaged(state.cacerts);
    const data = state.cacerts.data;
    const report = checkCacerts({ files: data as Partial<Record<CacertsFile, string>>, where: (file) => `${cluster}: istio-system/cacerts ${file}` }, now);
    findings.push(...report.findings);
    trust.sample ||= report.sample;
    const root = report.chainRoot ?? report.roots[0];
    if (root) trust.configuredRoot = root;
  } else if (state.selfSigned && state.selfSigned !== 'forbidden') {
    trust.source = 'istio-ca-secret';
    const where = `${cluster}: istio-system/istio-ca-secret ca-cert.pem`;
    const parsed = parseCertificates(state.selfSigned.data['ca-cert.pem'] ?? '', where);
    if ('problem' in parsed) findings.push(parsed.problem);
    else {
      const cert = parsed.certificates[0]!;
      trust.configuredRoot = summarize(cert);
      findings.push(...checkValidity(cert, where, "istiod's self-signed root", now, 'delete istio-ca-secret and restart istiod to make a new one, or plug in a CA'));
    }
  }
  trust.distributed = summarizePem(state.rootConfigMap?.rootCertPem ?? '');
  for (const pem of (state.rootConfigMap?.rootCertPem ?? '').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []) {
    try {
      if (isIstioSample(new X509Certificate(pem))) trust.sample = true;
    } catch {
      // unreadable entries are simply not roots
    }
  }
  if (trust.sample && !findings.some((f) => f.code === 'sample-ca' && f.where.startsWith(`${cluster}:`))) {
    findings.push(finding('warning', 'sample-ca', `${cluster}: istio-system/istio-ca-root-cert`, SAMPLE_CA_ADVICE));
  }
  const configured = trust.configuredRoot;
  if (configured && trust.distributed.some((r) => r.fingerprint === configured.fingerprint)) {
    trust.activeRoot = configured;
    trust.loaded = true;
  } else if (trust.distributed.length > 0) {
    trust.activeRoot = trust.distributed[0]!;
    if (configured) {
      trust.loaded = false;
      findings.push(
        finding(
          'warning',
          'not-loaded',
          `${cluster}: istio-system/${trust.source}`,
          `holds the root ${configured.subject} (SHA-256 ${shortFp(configured.fingerprint)}), but istio-ca-root-cert distributes ${trust.distributed.map((r) => `${r.subject} (SHA-256 ${shortFp(r.fingerprint)})`).join(' + ')}: ${trust.hasIstiod ? `istiod has not loaded it; ${RESTART}` : "the primary's istiod has not loaded a matching root"}`,
        ),
      );
    }
  } else if (configured) {
    trust.activeRoot = configured;
  } else {
    findings.push(finding('warning', 'no-root', cluster, 'has no CA yet (no cacerts, no istio-ca-secret, no istio-ca-root-cert): istiod has not started, or this is a remote whose primary has not written its root'));
  }
  return trust;
}
