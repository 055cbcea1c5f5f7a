import type { JsonObject, KubeObject } from '../objects.js';
import type { StoreEvent } from '../store/object-store.js';
import { Controller, namespacedKey, splitKey } from './controller.js';
import { K } from './kinds.js';
import { controllerRef } from './owners.js';
import { isPodReady, podIP } from './pod-status.js';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Services with a selector → Endpoints and one EndpointSlice, from the pods they select. */
export class EndpointsController extends Controller {
  // Pods per namespace, reused while no pod changes: one scan serves every service of a burst.
  private podsRevision = 0;
  private readonly podCache = new Map<string, { revision: number; pods: KubeObject[] }>();

  onEvent(event: StoreEvent): void {
    if (event.def === K.services) this.queue.add(namespacedKey(event.object.metadata.namespace, event.object.metadata.name));
    else if (event.def === K.pods) {
      this.podsRevision++;
      // A pod can enter or leave any service in its namespace; the queue folds bursts into one pass each.
      const namespace = event.object.metadata.namespace;
      for (const service of this.ctx.store.list(K.services, namespace)) {
        const selector = serviceSelector(service);
        if (!selector) continue;
        if (matches(selector, event.object.metadata.labels) || (event.previous && matches(selector, event.previous.metadata.labels))) {
          this.queue.add(namespacedKey(namespace, service.metadata.name));
        }
      }
    }
  }

  private podsIn(namespace: string): KubeObject[] {
    const cached = this.podCache.get(namespace);
    if (cached && cached.revision === this.podsRevision) return cached.pods;
    const pods = this.ctx.store.list(K.pods, namespace).filter((pod) => !pod.metadata.deletionTimestamp && podIP(pod));
    this.podCache.set(namespace, { revision: this.podsRevision, pods });
    return pods;
  }

  protected reconcile(key: string): void {
    const [namespace, name] = splitKey(key);
    const service = this.ctx.store.get(K.services, namespace, name);
    if (!service) {
      // The Endpoints go with their Service, as the endpoints controller deletes them (the slices,
      // which name the Service as their owner, go through the garbage collector).
      if (this.ctx.store.get(K.endpoints, namespace, name)) this.ctx.api.delete(K.endpoints, namespace, name);
      return;
    }
    const selector = serviceSelector(service);
    if (!selector) return;
    const pods = this.podsIn(namespace).filter((pod) => matches(selector, pod.metadata.labels));
    const servicePorts = ((service['spec'] as JsonObject)['ports'] as JsonObject[] | undefined) ?? [];
    this.writeEndpoints(service, pods, servicePorts);
    this.writeSlice(service, pods, servicePorts);
  }

  private writeEndpoints(service: KubeObject, pods: KubeObject[], servicePorts: JsonObject[]): void {
    const address = (pod: KubeObject) => ({ ip: podIP(pod)!, nodeName: String((pod['spec'] as JsonObject)['nodeName'] ?? ''), targetRef: { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! } });
    const ready = pods.filter(isPodReady).map(address);
    const notReady = pods.filter((pod) => !isPodReady(pod)).map(address);
    const ports = servicePorts.map((port) => ({ ...(port['name'] ? { name: port['name'] } : {}), port: resolveTargetPort(port, pods[0]), protocol: port['protocol'] ?? 'TCP', ...(port['appProtocol'] ? { appProtocol: port['appProtocol'] } : {}) }));
    const subsets = pods.length === 0 ? [] : [{ ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports }];
    const namespace = service.metadata.namespace!;
    const name = service.metadata.name!;
    const existing = this.ctx.store.get(K.endpoints, namespace, name);
    const body: KubeObject = { metadata: { name, namespace, labels: { ...(service.metadata.labels ?? {}) } }, subsets };
    if (!existing) this.ctx.api.create(K.endpoints, namespace, body);
    else if (JSON.stringify(existing['subsets']) !== JSON.stringify(subsets)) this.ctx.api.update(K.endpoints, namespace, name, { ...existing, subsets });
  }

  private writeSlice(service: KubeObject, pods: KubeObject[], servicePorts: JsonObject[]): void {
    const namespace = service.metadata.namespace!;
    const name = service.metadata.name!;
    const endpoints = pods.map((pod) => ({
      addresses: [podIP(pod)!],
      conditions: { ready: isPodReady(pod), serving: isPodReady(pod), terminating: false },
      nodeName: String((pod['spec'] as JsonObject)['nodeName'] ?? ''),
      targetRef: { kind: 'Pod', namespace, name: pod.metadata.name!, uid: pod.metadata.uid! },
    }));
    const ports = servicePorts.map((port) => ({ name: port['name'] ?? '', port: resolveTargetPort(port, pods[0]), protocol: port['protocol'] ?? 'TCP', ...(port['appProtocol'] ? { appProtocol: port['appProtocol'] } : {}) }));
    const existing = this.ctx.store.list(K.endpointSlices, namespace).find((slice) => slice.metadata.labels?.[SERVICE_NAME_LABEL] === name);
    if (!existing) {
      this.ctx.api.create(K.endpointSlices, namespace, {
        metadata: { generateName: `${name}-`, namespace, labels: { [SERVICE_NAME_LABEL]: name, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }, ownerReferences: [{ ...controllerRef(service), apiVersion: 'v1', kind: 'Service' }] },
        addressType: 'IPv4',
        endpoints,
        ports,
      });
    } else if (JSON.stringify(existing['endpoints']) !== JSON.stringify(endpoints) || JSON.stringify(existing['ports']) !== JSON.stringify(ports)) {
      this.ctx.api.update(K.endpointSlices, namespace, existing.metadata.name!, { ...existing, endpoints, ports });
    }
  }
}

function serviceSelector(service: KubeObject): Record<string, string> | undefined {
  const selector = (service['spec'] as JsonObject | undefined)?.['selector'] as Record<string, string> | undefined;
  return selector && Object.keys(selector).length > 0 ? selector : undefined;
}

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/** A named targetPort resolves to the container port of that name, as kube-proxy does. */
function resolveTargetPort(port: JsonObject, pod: KubeObject | undefined): number {
  const target = port['targetPort'] ?? port['port'];
  if (typeof target === 'number') return target;
  for (const container of ((pod?.['spec'] as JsonObject | undefined)?.['containers'] as JsonObject[] | undefined) ?? []) {
    for (const containerPort of (container['ports'] as JsonObject[] | undefined) ?? []) {
      if (containerPort['name'] === target) return containerPort['containerPort'] as number;
    }
  }
  return port['port'] as number;
}
