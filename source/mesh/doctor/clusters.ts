import type { Check } from './types.js';
import { finding } from './codes.js';
import { shortDuration } from '../format.js';

/** Clusters that cannot be reached are findings: the other checks then skip what they cannot see. */
export const checkClusters: Check = (snapshots, _model, now) =>
  snapshots.flatMap((snapshot) => {
    const object = `Cluster/${snapshot.name}`;
    if (snapshot.state === 'down' || snapshot.state === 'stale') {
      const stale = snapshot.state === 'stale' ? `; the other checks used what it last said${snapshot.lastEventAt ? ` (${shortDuration(now - snapshot.lastEventAt)} ago)` : ''}` : '';
      return [
        finding(
          'MD-CLUSTER-001',
          snapshot.name,
          object,
          `the API server at ${snapshot.server} cannot be reached: ${snapshot.error ?? 'no answer'}${stale}`,
          `check that the cluster is up and reachable from here (kubectl --context ${snapshot.name} get --raw /version), and the context's credentials`,
        ),
      ];
    }
    if (snapshot.state === 'connecting') {
      return [
        finding(
          'MD-CLUSTER-002',
          snapshot.name,
          object,
          `the API server at ${snapshot.server} has not answered every list yet; this cluster was not checked fully`,
          `wait for it (meshdeck doctor: run again with a longer --timeout), or check the API server's latency (kubectl --context ${snapshot.name} get --raw /readyz)`,
        ),
      ];
    }
    if (snapshot.forbidden?.length) {
      return [
        finding(
          'MD-CLUSTER-003',
          snapshot.name,
          object,
          `these credentials may not read ${snapshot.forbidden.join(', ')}; checks that need ${snapshot.forbidden.length === 1 ? 'it' : 'them'} were skipped for ${snapshot.name}`,
          `run the doctor with credentials that may list and watch them (kubectl --context ${snapshot.name} auth can-i list secrets -n istio-system)`,
        ),
      ];
    }
    return [];
  });
