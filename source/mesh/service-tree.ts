import type { ServiceCluster, ServicePod, ServiceRow } from './services.js';

export interface ServiceTreeOptions {
  /** Pods listed per cluster before `… N more` (default 5). */
  maxPods?: number;
}

interface Node {
  label: string;
  children: Node[];
}

const leaf = (label: string): Node => ({ label, children: [] });

/**
 * The routing of one service as a small tree: service → subsets → clusters → pods. Without
 * subsets the clusters hang off the service. Pods that no subset selects get a branch of their own,
 * and a subset without pods says so. State is spelled out, never shown by colour or symbol alone.
 */
export function serviceTree(row: ServiceRow, options: ServiceTreeOptions = {}): string[] {
  const maxPods = options.maxPods ?? 5;
  const count = row.clusters.length;
  const root: Node = { label: `${row.fqdn}  ${row.endpoints.ready}/${row.endpoints.total} endpoints ready in ${count} cluster${count === 1 ? '' : 's'}`, children: [] };
  if (row.subsets.length === 0) {
    root.children = row.clusters.map((cluster) => clusterNode(cluster, cluster.pods, maxPods));
  } else {
    for (const subset of row.subsets) {
      const labels = Object.entries(subset.labels).map(([k, v]) => `${k}=${v}`).join(',') || 'every pod';
      const routes = subset.routedBy.map((r) => `${r.weight !== undefined ? `${r.weight}% ` : ''}from ${r.virtualService}`);
      const policy = subset.policy.length > 0 ? `  ${subset.policy.join(', ')}` : '';
      const clusters = row.clusters
        .map((cluster) => ({ cluster, pods: cluster.pods.filter((p) => p.subsets.includes(subset.name)) }))
        .filter(({ pods }) => pods.length > 0)
        .map(({ cluster, pods }) => clusterNode(cluster, pods, maxPods));
      root.children.push({
        label: `subset ${subset.name} (${labels})${routes.length > 0 ? `  ← ${routes.join(', ')}` : ''}${policy}`,
        children: clusters.length > 0 ? clusters : [leaf('✗ no pods in any cluster')],
      });
    }
    const unmatched = row.clusters.map((cluster) => ({ cluster, pods: cluster.pods.filter((p) => p.subsets.length === 0) })).filter(({ pods }) => pods.length > 0);
    if (unmatched.length > 0) root.children.push({ label: 'no subset (pods that no subset selects)', children: unmatched.map(({ cluster, pods }) => clusterNode(cluster, pods, maxPods)) });
  }
  return render(root);
}

function clusterNode(cluster: ServiceCluster, pods: ServicePod[], maxPods: number): Node {
  const where = `${cluster.cluster}${cluster.network ? ` · ${cluster.network}` : ''}`;
  if (!cluster.endpoints) return leaf(`${where} · no selector (endpoints not picked by labels)`);
  if (pods.length === 0) return leaf(`${where} · no endpoints`);
  const ready = pods.filter((p) => p.ready).length;
  const children = pods.slice(0, maxPods).map((p) => leaf(`${p.name}  ${p.ready ? 'ready' : 'not ready'}  ${p.sidecar ? 'istio-proxy' : 'no sidecar'}`));
  if (pods.length > maxPods) children.push(leaf(`… ${pods.length - maxPods} more`));
  return { label: `${where} · ${ready}/${pods.length} ready`, children };
}

/** A node and its descendants as lines with box-drawing connectors. */
function render(root: Node): string[] {
  const lines = [root.label];
  const walk = (node: Node, prefix: string) => {
    node.children.forEach((child, index) => {
      const last = index === node.children.length - 1;
      lines.push(`${prefix}${last ? '└─ ' : '├─ '}${child.label}`);
      walk(child, `${prefix}${last ? '   ' : '│  '}`);
    });
  };
  walk(root, '');
  return lines;
}
