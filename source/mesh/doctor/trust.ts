import type { CertificateSummary } from '../../pki/fingerprint.js';
import type { Check, DoctorSnapshot, Finding } from './types.js';
import { finding } from './codes.js';
import { topology, type ClusterFacts } from './topology.js';
import { shortFingerprint } from '../format.js';
import { ISTIO_SAMPLE_FINGERPRINTS } from '../../pki/sample-ca.js';

// The sample's alternative roots share its test subject, recognised by its e-mail address (as pki/sample-ca.ts does).
const SAMPLE_EMAIL = 'emailAddress=testrootca@istio.io';

/** Whether a certificate is (or was issued by) Istio's sample CA (istio/istio samples/certs). */
export function isIstioSample(cert: CertificateSummary): boolean {
  return ISTIO_SAMPLE_FINGERPRINTS.has(cert.fingerprint) || cert.subject.split(', ').includes(SAMPLE_EMAIL) || cert.issuer.split(', ').includes(SAMPLE_EMAIL);
}

/** The meshdeck ca commands that give clusters intermediates of one new root. */
const SHARED_ROOT = (clusters: string[]) =>
  `meshdeck ca root --out certs && meshdeck ca intermediate --root certs --cluster ${clusters.join(',')} --out certs && meshdeck ca install --context ${clusters.join(',')} --from certs --apply --restart, then kubectl rollout restart the gateways and workloads`;

const DAY = 86_400_000;
const EXPIRY_WARNING_MS = 30 * DAY;
const CACERTS = 'Secret/istio-system/cacerts';
const SELF_SIGNED = 'Secret/istio-system/istio-ca-secret';
const ROOT_CONFIGMAP = 'ConfigMap/istio-system/istio-ca-root-cert';

type Certificates = Record<string, CertificateSummary[]>;

export function caSecret(snapshot: DoctorSnapshot, name: 'cacerts' | 'istio-ca-secret'): Certificates | undefined {
  const secret = snapshot.kinds.istioSecrets?.items.get(`istio-system/${name}`);
  return secret ? ((secret['certificates'] as Certificates | undefined) ?? {}) : undefined;
}

/** The roots a cluster trusts, and where that comes from: cacerts, else istiod's self-signed CA, else istio-ca-root-cert. */
export function trustRoots(cluster: ClusterFacts): { roots: CertificateSummary[]; object: string } | undefined {
  const cacerts = caSecret(cluster.snapshot, 'cacerts');
  if (cacerts?.['root-cert.pem']?.length) return { roots: cacerts['root-cert.pem'], object: CACERTS };
  const selfSigned = cluster.hasIstiod ? caSecret(cluster.snapshot, 'istio-ca-secret') : undefined;
  const own = selfSigned?.['root-cert.pem']?.length ? selfSigned['root-cert.pem'] : selfSigned?.['ca-cert.pem'];
  if (own?.length) return { roots: own, object: SELF_SIGNED };
  const root = cluster.snapshot.rootCertificate;
  return root ? { roots: [root], object: ROOT_CONFIGMAP } : undefined;
}

function describeRoots(roots: CertificateSummary[]): string {
  return roots.map((r) => `${r.subject} (${shortFingerprint(r.fingerprint)})`).join(' + ');
}

/** Roots of trust, Istio's sample CA, expiring CA certificates, and primaries of a multi-cluster mesh without cacerts. */
export const checkTrust: Check = (snapshots, _model, now) => {
  const topo = topology(snapshots);
  const out: Finding[] = [];
  const pairs = new Set<string>();
  for (const link of topo.links) {
    const pair = [link.from.name, link.to.name].sort().join('\n');
    if (pairs.has(pair)) continue;
    pairs.add(pair);
    const mine = trustRoots(link.to);
    const theirs = trustRoots(link.from);
    if (!mine || !theirs) continue;
    const shared = mine.roots.some((r) => theirs.roots.some((t) => t.fingerprint === r.fingerprint));
    if (shared) continue;
    const how = link.via === 'remote secret' ? `${link.from.name} reads it through a remote secret` : `${link.from.name} runs its control plane`;
    out.push(
      finding(
        'MD-TRUST-001',
        link.to.name,
        mine.object,
        `root of trust differs from ${link.from.name}'s (${how}): ${link.to.name} trusts ${describeRoots(mine.roots)}, ${link.from.name} trusts ${describeRoots(theirs.roots)}; mTLS between them fails (x509: certificate signed by unknown authority)`,
        `give both clusters intermediates of one root (cacerts in istio-system): ${SHARED_ROOT([link.from.name, link.to.name])}`,
      ),
    );
  }
  for (const cluster of topo.clusters) {
    if (!cluster.hasData) continue;
    const cacerts = caSecret(cluster.snapshot, 'cacerts');
    const sample = Object.values(cacerts ?? {}).flat().find(isIstioSample);
    if (sample) {
      out.push(
        finding(
          'MD-TRUST-002',
          cluster.name,
          CACERTS,
          `cacerts holds Istio's sample CA (${sample.subject}); its private key is public in the Istio repository, so anyone can mint identities this mesh trusts`,
          `replace cacerts of ${cluster.name} (and of every cluster joined to it) with intermediates of your own root: ${SHARED_ROOT(topo.component(cluster).map((c) => c.name))}`,
        ),
      );
    }
    out.push(...expiring(cluster, now));
    const joined = topo.component(cluster).length > 1;
    if (joined && cluster.hasIstiod && cluster.snapshot.kinds.istioSecrets && !cluster.hidden.has('secrets') && !cacerts) {
      out.push(
        finding(
          'MD-TRUST-004',
          cluster.name,
          CACERTS,
          `istiod in ${cluster.name} signs with its own self-signed root (no cacerts), though the cluster is joined to others; their workloads cannot verify each other unless they share a root`,
          `plug in an intermediate of the mesh's shared root as cacerts: meshdeck ca intermediate --root <root dir> --cluster ${cluster.name} --out certs && meshdeck ca install --context ${cluster.name} --from certs --apply --restart`,
        ),
      );
    }
  }
  return out;
};

function expiring(cluster: ClusterFacts, now: number): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  const sources: [string, Certificates | undefined][] = [
    [CACERTS, caSecret(cluster.snapshot, 'cacerts')],
    [SELF_SIGNED, caSecret(cluster.snapshot, 'istio-ca-secret')],
    [ROOT_CONFIGMAP, cluster.snapshot.rootCertificate ? { 'root-cert.pem': [cluster.snapshot.rootCertificate] } : undefined],
  ];
  for (const [object, certificates] of sources) {
    for (const key of ['root-cert.pem', 'ca-cert.pem', 'cert-chain.pem']) {
      for (const cert of certificates?.[key] ?? []) {
        if (seen.has(cert.fingerprint)) continue;
        seen.add(cert.fingerprint);
        const notAfter = Date.parse(cert.notAfter);
        if (Number.isNaN(notAfter) || notAfter - now > EXPIRY_WARNING_MS) continue;
        const what = cert.subject === cert.issuer || key === 'root-cert.pem' ? 'root' : object === CACERTS ? 'intermediate' : 'CA certificate';
        const expired = notAfter <= now;
        const when = expired ? `expired on ${cert.notAfter.slice(0, 10)}` : `expires on ${cert.notAfter.slice(0, 10)} (in ${Math.ceil((notAfter - now) / DAY)} days)`;
        out.push(
          finding(
            'MD-TRUST-003',
            cluster.name,
            object,
            `the ${what} ${cert.subject} (${key}) ${when}${expired ? '; workloads can no longer get or verify certificates' : ''}`,
            what === 'root'
              ? `rotate the root: add the new root next to the old one in root-cert.pem of every cluster's cacerts, roll out, then switch the intermediates (Istio's "plugin CA cert rotation" guide)`
              : `issue a new intermediate of the same root and install it: meshdeck ca intermediate --root <root dir> --cluster ${cluster.name} --out certs && meshdeck ca install --context ${cluster.name} --from certs --apply --restart`,
            expired ? 'error' : 'warning',
          ),
        );
      }
    }
  }
  return out;
}
