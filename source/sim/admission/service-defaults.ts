import type { JsonObject, KubeObject } from '../objects.js';
import type { AdmissionContext } from './context.js';
import { allocateNodePort } from './node-ports.js';

export function defaultService(service: KubeObject, old: KubeObject | undefined, ctx: AdmissionContext): KubeObject {
  const spec: JsonObject = { type: 'ClusterIP', sessionAffinity: 'None', ...((service['spec'] as JsonObject | undefined) ?? {}) };
  const oldSpec = (old?.['spec'] as JsonObject | undefined) ?? {};
  const type = String(spec['type']);
  if (type !== 'ExternalName') {
    // clusterIP is immutable: an update that leaves it out keeps the allocated one.
    spec['clusterIP'] ??= oldSpec['clusterIP'] ?? ctx.allocateClusterIP();
    spec['clusterIPs'] ??= spec['clusterIP'] === 'None' ? ['None'] : [spec['clusterIP'] as string];
    spec['ipFamilies'] ??= ['IPv4'];
    spec['ipFamilyPolicy'] ??= 'SingleStack';
    spec['internalTrafficPolicy'] ??= 'Cluster';
  }
  const wantsNodePorts = type === 'NodePort' || type === 'LoadBalancer';
  if (wantsNodePorts) spec['externalTrafficPolicy'] ??= 'Cluster';
  const oldPorts = new Map(((oldSpec['ports'] as JsonObject[] | undefined) ?? []).map((p) => [`${p['port']}/${p['protocol'] ?? 'TCP'}`, p]));
  const taken = new Set<number>();
  if (Array.isArray(spec['ports'])) {
    spec['ports'] = (spec['ports'] as JsonObject[]).map((raw) => {
      const port: JsonObject = { protocol: 'TCP', ...raw };
      port['targetPort'] ??= port['port'] ?? null;
      if (wantsNodePorts && port['nodePort'] === undefined) {
        const previous = oldPorts.get(`${port['port']}/${port['protocol']}`)?.['nodePort'];
        port['nodePort'] = typeof previous === 'number' ? previous : allocateNodePort(ctx, service, taken);
      }
      if (!wantsNodePorts) delete port['nodePort'];
      if (typeof port['nodePort'] === 'number') taken.add(port['nodePort']);
      return port;
    });
  }
  const out: KubeObject = { ...service, spec };
  // The load balancer's address comes from status writes; main-resource writes keep the stored status.
  if (type === 'LoadBalancer') out['status'] = (old ? (service['status'] ?? old['status']) : undefined) ?? { loadBalancer: {} };
  else out['status'] = { loadBalancer: {} };
  return out;
}
