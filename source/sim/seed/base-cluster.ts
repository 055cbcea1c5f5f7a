import type { KubeObject } from '../objects.js';
import type { SimCluster } from '../cluster/sim-cluster.js';
import { K } from '../controllers/kinds.js';

/** What every cluster has before anything is installed: system namespaces, nodes, default roles. */
export function seedBaseCluster(cluster: SimCluster, nodeCount: number): void {
  const api = cluster.api;
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) api.create(K.namespaces, undefined, { metadata: { name } });
  for (let i = 0; i < nodeCount; i++) api.create(K.nodes, undefined, node(cluster, i));
  const port = Number(new URL(cluster.address()).port) || 443;
  api.create(K.services, 'default', {
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }] },
  });
  api.create(K.endpoints, 'default', {
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port, protocol: 'TCP' }] }],
  });
  for (const role of defaultClusterRoles()) api.create(K.clusterRoles, undefined, role);
  api.create(K.clusterRoleBindings, undefined, {
    metadata: { name: 'cluster-admin', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
  });
}

function node(cluster: SimCluster, i: number): KubeObject {
  const name = `${cluster.name}-node-${i + 1}`;
  const ip = `172.20.${cluster.index & 255}.${10 + i}`;
  return {
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'topology.kubernetes.io/region': cluster.name,
        'topology.kubernetes.io/zone': `${cluster.name}-${String.fromCharCode(97 + (i % 3))}`,
        ...(i === 0 ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
    },
    spec: { podCIDR: `10.${100 + (cluster.index % 150)}.${i}.0/24` },
    status: {
      capacity: { cpu: '8', memory: '32Gi', pods: '110' },
      allocatable: { cpu: '7800m', memory: '31Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: cluster.now().toISOString().replace(/\.\d{3}Z$/, 'Z'), lastTransitionTime: cluster.now().toISOString().replace(/\.\d{3}Z$/, 'Z') }],
      addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
      nodeInfo: { kubeletVersion: cluster.version.gitVersion, kubeProxyVersion: cluster.version.gitVersion, osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-sim', containerRuntimeVersion: 'containerd://1.7.24', operatingSystem: 'linux', architecture: 'amd64' },
    },
  };
}

function defaultClusterRoles(): KubeObject[] {
  const role = (name: string, rules: KubeObject['rules']): KubeObject => ({ metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, rules });
  const readVerbs = ['get', 'list', 'watch'];
  return [
    role('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }]),
    role('admin', [{ apiGroups: ['', 'apps', 'networking.istio.io', 'security.istio.io', 'rbac.authorization.k8s.io', 'discovery.k8s.io'], resources: ['*'], verbs: ['*'] }]),
    role('edit', [{ apiGroups: ['', 'apps', 'networking.istio.io', 'security.istio.io', 'discovery.k8s.io'], resources: ['*'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] }]),
    role('view', [{ apiGroups: ['', 'apps', 'networking.istio.io', 'security.istio.io', 'discovery.k8s.io'], resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'serviceaccounts', 'namespaces', 'events', 'deployments', 'replicasets', 'endpointslices', 'gateways', 'virtualservices', 'destinationrules', 'serviceentries', 'peerauthentications'], verbs: readVerbs }]),
  ];
}
