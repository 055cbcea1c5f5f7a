import type { KubeObject } from '../objects.js';
import type { SimCluster } from '../cluster/sim-cluster.js';
import { K } from '../controllers/kinds.js';

const APPS = ['frontend', 'cart', 'checkout', 'catalog', 'payments', 'ratings', 'reviews', 'search', 'users', 'inventory'];
const NAMESPACES = ['shop', 'payments', 'platform'];

/**
 * Plain application workloads: Deployments with Services, spread over a few namespaces, adding up to
 * `podCount` pods. Deterministic, so the same flags give the same cluster. `replicasPerWorkload` sets the
 * pods per Deployment (by default 10 from 100 pods, 4 from 20, else 1); 1 makes one workload per pod.
 */
export function seedWorkloads(cluster: SimCluster, podCount: number, replicasPerWorkload?: number): void {
  if (podCount <= 0) return;
  if (replicasPerWorkload !== undefined && !(Number.isInteger(replicasPerWorkload) && replicasPerWorkload >= 1)) {
    throw new Error(`replicasPerWorkload must be a positive integer, got ${replicasPerWorkload}`);
  }
  for (const name of NAMESPACES) cluster.api.create(K.namespaces, undefined, { metadata: { name } });
  const replicas = replicasPerWorkload ?? (podCount >= 100 ? 10 : podCount >= 20 ? 4 : 1);
  let remaining = podCount;
  for (let i = 0; remaining > 0; i++) {
    const namespace = NAMESPACES[i % NAMESPACES.length]!;
    const base = APPS[i % APPS.length]!;
    const name = i < APPS.length ? base : `${base}-${Math.floor(i / APPS.length)}`;
    const count = Math.min(replicas, remaining);
    remaining -= count;
    cluster.api.create(K.deployments, namespace, deployment(namespace, name, base, count));
    cluster.api.create(K.services, namespace, service(namespace, name));
  }
}

function deployment(namespace: string, name: string, app: string, replicas: number): KubeObject {
  const labels = { app: name, version: 'v1' };
  return {
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: app, image: `registry.example.com/${app}:1.4.2`, ports: [{ name: 'http', containerPort: 8080 }] }] },
      },
    },
  };
}

function service(namespace: string, name: string): KubeObject {
  return {
    metadata: { name, namespace, labels: { app: name } },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  };
}
