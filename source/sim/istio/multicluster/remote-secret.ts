import { stringify } from 'yaml';
import type { SimCluster } from '../../cluster/sim-cluster.js';
import type { JsonObject, KubeObject } from '../../objects.js';
import { K } from '../../controllers/kinds.js';
import { CLUSTER_ANNOTATION, ISTIO_NAMESPACE, MULTICLUSTER_SECRET_LABEL, READER_SERVICE_ACCOUNT } from '../constants.js';
import { istioOf } from '../istio-mesh.js';

export interface RemoteSecretOptions {
  /** The cluster ID: the data key, the annotation and the kubeconfig's names. */
  clusterId: string;
  server: string;
  token: string;
  caPem: string;
  /** Defaults to istioctl's `istio-remote-secret-<cluster ID>`. */
  secretName?: string;
}

const TOKEN_SECRET = `${READER_SERVICE_ACCOUNT}-istio-remote-secret-token`;

/** A remote secret shaped like `istioctl create-remote-secret` output (label, annotation, kubeconfig). */
export function remoteSecret(options: RemoteSecretOptions): KubeObject {
  const id = options.clusterId;
  const kubeconfig = stringify({
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': Buffer.from(options.caPem).toString('base64'), server: options.server }, name: id }],
    contexts: [{ context: { cluster: id, user: id }, name: id }],
    'current-context': id,
    kind: 'Config',
    preferences: {},
    users: [{ name: id, user: { token: options.token } }],
  });
  return {
    metadata: {
      name: options.secretName ?? `istio-remote-secret-${id}`,
      namespace: ISTIO_NAMESPACE,
      annotations: { [CLUSTER_ANNOTATION]: id },
      labels: { [MULTICLUSTER_SECRET_LABEL]: 'true' },
    },
    type: 'Opaque',
    data: { [id]: Buffer.from(kubeconfig).toString('base64') },
  };
}

/**
 * A long-lived token of the remote's istio-reader-service-account, made the way istioctl does
 * (a service-account-token Secret the token controller fills). Settles the remote to get it.
 */
export function readerToken(remote: SimCluster): string {
  if (!remote.store.get(K.secrets, ISTIO_NAMESPACE, TOKEN_SECRET)) {
    remote.api.create(K.secrets, ISTIO_NAMESPACE, {
      metadata: { name: TOKEN_SECRET, namespace: ISTIO_NAMESPACE, annotations: { 'kubernetes.io/service-account.name': READER_SERVICE_ACCOUNT } },
      type: 'kubernetes.io/service-account-token',
    });
  }
  remote.settle();
  const token = ((remote.store.get(K.secrets, ISTIO_NAMESPACE, TOKEN_SECRET)?.['data'] as JsonObject | undefined)?.['token'] as string | undefined) ?? '';
  if (!token) throw new Error(`cluster ${remote.name}: the ${READER_SERVICE_ACCOUNT} token was not issued`);
  return Buffer.from(token, 'base64').toString('utf8');
}

/** The CA that signs a cluster's API server certificate, as its namespaces' kube-root-ca.crt holds it. */
export function apiServerCa(cluster: SimCluster): string {
  cluster.settle();
  const configMap = cluster.store.get(K.configMaps, ISTIO_NAMESPACE, 'kube-root-ca.crt') ?? cluster.store.get(K.configMaps, 'default', 'kube-root-ca.crt');
  const ca = (configMap?.['data'] as JsonObject | undefined)?.['ca.crt'];
  if (typeof ca !== 'string') throw new Error(`cluster ${cluster.name}: no kube-root-ca.crt`);
  return ca;
}

/**
 * Joins `remote` to `primary` as `istioctl create-remote-secret --context=remote | kubectl apply
 * --context=primary` does. `clusterId` and `server` can be overridden to make the classic mistakes.
 */
export function joinCluster(primary: SimCluster, remote: SimCluster, overrides: Partial<RemoteSecretOptions> = {}): KubeObject {
  const secret = remoteSecret({
    clusterId: overrides.clusterId ?? istioOf(remote)?.clusterId ?? remote.name,
    server: overrides.server ?? remote.address(),
    token: overrides.token ?? readerToken(remote),
    caPem: overrides.caPem ?? apiServerCa(remote),
    ...(overrides.secretName ? { secretName: overrides.secretName } : {}),
  });
  return primary.api.create(K.secrets, ISTIO_NAMESPACE, secret);
}
