/**
 * The shape of istiod's `/debug/registryz` that meshdeck's join verify reads: a JSON array of
 * `model.Service` (pilot/pkg/model/service.go), `Attributes` with Go field names (no JSON tags),
 * `hostname`, `ports`, and `clusterVIPs.Addresses` keyed by cluster ID. Both sides of the
 * conformance tier are held to it.
 */
export function registryzProblems(list: unknown, clusterIds: string[]): string[] {
  if (!Array.isArray(list)) return [`not a JSON array: ${JSON.stringify(list).slice(0, 80)}`];
  const problems: string[] = [];
  const entries = list as Record<string, any>[];
  for (const entry of entries) {
    const where = String(entry?.['hostname'] ?? JSON.stringify(entry).slice(0, 60));
    if (typeof entry?.['hostname'] !== 'string') problems.push(`${where}: no hostname`);
    const a = entry?.['Attributes'];
    if (typeof a?.['Name'] !== 'string' || typeof a?.['Namespace'] !== 'string') problems.push(`${where}: Attributes.Name/Namespace missing`);
    else if (a['ServiceRegistry'] === 'Kubernetes' && entry['hostname'] !== `${a['Name']}.${a['Namespace']}.svc.cluster.local`) problems.push(`${where}: hostname is not Name.Namespace.svc.cluster.local`);
    const ports = entry?.['ports'];
    if (ports !== undefined && (!Array.isArray(ports) || ports.some((p) => typeof p?.port !== 'number' || (p.protocol !== undefined && typeof p.protocol !== 'string')))) problems.push(`${where}: ports are not [{name?, port, protocol}]`);
    const addresses = entry?.['clusterVIPs']?.['Addresses'];
    if (addresses !== undefined && (typeof addresses !== 'object' || Object.values(addresses ?? {}).some((v) => !Array.isArray(v)))) problems.push(`${where}: clusterVIPs.Addresses is not {clusterId: [address]}`);
  }
  // The one service every cluster has: merged into one entry that names each cluster istiod reads.
  const kubernetes = entries.find((e) => e?.['hostname'] === 'kubernetes.default.svc.cluster.local');
  if (!kubernetes) problems.push('no kubernetes.default.svc.cluster.local');
  else {
    const ids = Object.keys(kubernetes['clusterVIPs']?.['Addresses'] ?? {}).sort();
    if (JSON.stringify(ids) !== JSON.stringify([...clusterIds].sort())) problems.push(`kubernetes.default lists clusters ${ids.join(',')}, not ${[...clusterIds].sort().join(',')}`);
  }
  if (entries.filter((e) => e?.['hostname'] === 'kubernetes.default.svc.cluster.local').length > 1) problems.push('kubernetes.default listed twice: hostnames are not merged across clusters');
  return problems;
}
