import { K } from '../controllers/kinds.js';
import { CACERTS_SECRET, ISTIO_NAMESPACE } from './constants.js';
import { rootsOf } from './ca-loading.js';
import type { IstioMember, IstioMesh } from './istio-mesh.js';
import { allRemoteSecretEntries } from './multicluster/remote-secrets.js';

/** The error text a proxy logs when the certificate it is shown does not chain to a root it trusts. */
export const UNKNOWN_AUTHORITY = 'transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority';

export interface TrustProblem {
  /** The error text, as the proxy would log it. */
  message: string;
  /** What is wrong, in words meshdeck's tests can assert on. */
  reason: 'root-mismatch-with-primary' | 'root-mismatch-with-peer-network' | 'no-control-plane';
  /** The other side of the failing handshake. */
  peerClusterId?: string;
}

/** What one cluster's proxies trust and are issued, and what fails because of it. */
export interface ClusterTrust {
  /** The root bundle istio-ca-root-cert holds in this cluster. */
  bundlePem?: string;
  trusted?: Set<string>;
  /** The root behind the certificates this cluster's workloads are issued. */
  issuer?: string;
  sidecar?: TrustProblem;
  eastwest?: TrustProblem;
  /** Changes whenever anything above changes. */
  summary: string;
}

/**
 * Trust across the mesh. A primary's proxies trust and are issued its istiod's loaded CA. A remote's
 * proxies are issued by their primary's istiod but trust the remote's own `cacerts` root when it has
 * one (else the root its primary publishes), so different roots leave them unable to verify istiod.
 * East-west gateways additionally need every joined cluster on another network to share roots both ways.
 */
export function computeTrust(mesh: IstioMesh): Map<IstioMember, ClusterTrust> {
  const out = new Map<IstioMember, ClusterTrust>();
  for (const member of mesh.members) out.set(member, baseTrust(member));
  const links = peerLinks(mesh);
  for (const member of mesh.members) {
    const trust = out.get(member)!;
    for (const peer of links.get(member) ?? []) {
      if (peer.network === member.network) continue;
      const other = out.get(peer)!;
      if (!trust.trusted || !trust.issuer || !other.trusted || !other.issuer) continue;
      if (!trust.trusted.has(other.issuer) || !other.trusted.has(trust.issuer)) {
        trust.eastwest = { message: UNKNOWN_AUTHORITY, reason: 'root-mismatch-with-peer-network', peerClusterId: peer.clusterId };
        break;
      }
    }
    trust.eastwest ??= trust.sidecar;
    trust.summary = [trust.bundlePem ?? '', trust.sidecar?.reason ?? '', trust.eastwest?.reason ?? '', trust.eastwest?.peerClusterId ?? ''].join('|');
  }
  return out;
}

function baseTrust(member: IstioMember): ClusterTrust {
  if (member.role === 'primary') {
    const ca = member.hooks.activeCa();
    return ca ? { bundlePem: ca.bundlePem, trusted: ca.trusted, issuer: ca.issuerRoot, summary: '' } : { summary: '' };
  }
  const primary = member.primary();
  const issuing = primary?.hooks.activeCa();
  const cacerts = member.cluster.store.get(K.secrets, ISTIO_NAMESPACE, CACERTS_SECRET);
  const own = cacerts ? rootsOf(cacerts) : undefined;
  const roots = own ?? (issuing ? { bundlePem: issuing.bundlePem, trusted: issuing.trusted } : undefined);
  const trust: ClusterTrust = { ...(roots ? { bundlePem: roots.bundlePem, trusted: roots.trusted } : {}), ...(issuing ? { issuer: issuing.issuerRoot } : {}), summary: '' };
  if (!primary) {
    trust.sidecar = { message: 'connection error: desc = "transport: Error while dialing: dial tcp: lookup istiod.istio-system.svc: no such host"', reason: 'no-control-plane' };
  } else if (issuing && roots && !roots.trusted.has(issuing.issuerRoot)) {
    trust.sidecar = { message: UNKNOWN_AUTHORITY, reason: 'root-mismatch-with-primary', peerClusterId: primary.clusterId };
  }
  return trust;
}

/** Clusters joined to each other: by remote secrets whose server is another member, and remote ↔ primary. */
function peerLinks(mesh: IstioMesh): Map<IstioMember, Set<IstioMember>> {
  const links = new Map<IstioMember, Set<IstioMember>>();
  const link = (a: IstioMember, b: IstioMember) => {
    if (a === b) return;
    if (!links.has(a)) links.set(a, new Set());
    if (!links.has(b)) links.set(b, new Set());
    links.get(a)!.add(b);
    links.get(b)!.add(a);
  };
  for (const member of mesh.members) {
    if (member.role === 'remote') {
      const primary = member.primary();
      if (primary) link(member, primary);
      continue;
    }
    for (const entry of allRemoteSecretEntries(member.cluster.store)) {
      const peer = entry.access ? mesh.byServer(entry.access.server) : undefined;
      if (peer) link(member, peer);
    }
  }
  return links;
}
