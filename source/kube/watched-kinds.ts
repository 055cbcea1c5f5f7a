import type { WatchedKind } from './types.js';

/** What the cockpit watches in every cluster. */
export const WATCHED_KINDS: readonly WatchedKind[] = [
  { id: 'namespaces', path: '/api/v1/namespaces' },
  { id: 'pods', path: '/api/v1/pods' },
  { id: 'deployments', path: '/apis/apps/v1/deployments' },
  { id: 'services', path: '/api/v1/services' },
  { id: 'istioConfigMaps', path: '/api/v1/namespaces/istio-system/configmaps' },
  { id: 'remoteSecrets', path: '/api/v1/namespaces/istio-system/secrets', labelSelector: 'istio/multiCluster=true' },
  { id: 'gateways', path: '/apis/networking.istio.io/v1/gateways', optional: true },
];

export type KindId = 'namespaces' | 'pods' | 'deployments' | 'services' | 'istioConfigMaps' | 'remoteSecrets' | 'gateways';
