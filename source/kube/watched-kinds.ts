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
  // For the mesh doctor: cacerts / istio-ca-secret (certificate summaries only), routing config.
  { id: 'istioSecrets', path: '/api/v1/namespaces/istio-system/secrets' },
  { id: 'virtualServices', path: '/apis/networking.istio.io/v1/virtualservices', optional: true },
  { id: 'destinationRules', path: '/apis/networking.istio.io/v1/destinationrules', optional: true },
  { id: 'serviceEntries', path: '/apis/networking.istio.io/v1/serviceentries', optional: true },
];

/** Kinds every snapshot has. */
export type KindId = 'namespaces' | 'pods' | 'deployments' | 'services' | 'istioConfigMaps' | 'remoteSecrets' | 'gateways';

/** Kinds added for the mesh doctor; optional in a snapshot, so snapshots built elsewhere stay valid. */
export type ExtraKindId = 'istioSecrets' | 'virtualServices' | 'destinationRules' | 'serviceEntries';
