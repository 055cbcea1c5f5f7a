import type { JsonObject, KubeObject } from '../objects.js';
import type { StoreEvent } from '../store/object-store.js';
import { Controller, type ControllerContext, namespacedKey, splitKey } from './controller.js';
import { K } from './kinds.js';

/** How a started pod's containers behave; the mesh simulation overrides it (e.g. a proxy that cannot get a certificate). */
export interface ContainerBehaviour {
  ready: boolean;
  /** A waiting reason such as CrashLoopBackOff; the container is then not running. */
  waitingReason?: string;
  restartCount?: number;
}

export type PodBehaviour = (pod: KubeObject, container: string) => ContainerBehaviour | undefined;

export interface KubeletOptions {
  /** How long a scheduled pod stays in ContainerCreating before it runs. */
  podStartDelayMs: number;
}

/**
 * The scheduler and every node's kubelet in one loop: assigns pods to nodes and IPs, starts their
 * containers after a delay, and keeps container and pod status in line with the pod's behaviour.
 */
export class Kubelet extends Controller {
  private nextPodIP = 0;
  /** Pod addresses held by live pods: each address belongs to one pod at a time. */
  private readonly podIPsInUse = new Set<string>();
  private nextNode = 0;
  private readonly starting = new Set<string>();
  private readonly behaviours: PodBehaviour[] = [];

  constructor(ctx: ControllerContext, private readonly options: KubeletOptions) {
    super(ctx);
  }

  addBehaviour(behaviour: PodBehaviour): void {
    this.behaviours.push(behaviour);
  }

  setStartDelay(ms: number): void {
    this.options.podStartDelayMs = ms;
  }

  /** Re-evaluates every pod, e.g. after something a behaviour depends on changed. */
  resync(): void {
    for (const pod of this.ctx.store.list(K.pods)) this.queue.add(namespacedKey(pod.metadata.namespace, pod.metadata.name));
  }

  onEvent(event: StoreEvent): void {
    if (event.def !== K.pods) return;
    if (event.type === 'DELETED') {
      const ip = (event.object['status'] as JsonObject | undefined)?.['podIP'];
      if (typeof ip === 'string' && !spec(event.object)['hostNetwork']) this.podIPsInUse.delete(ip);
      return;
    }
    this.queue.add(namespacedKey(event.object.metadata.namespace, event.object.metadata.name));
  }

  protected reconcile(key: string): void {
    const [namespace, name] = splitKey(key);
    const pod = this.ctx.store.get(K.pods, namespace, name);
    if (!pod || pod.metadata.deletionTimestamp) return;
    const spec = pod['spec'] as JsonObject;
    const status = (pod['status'] as JsonObject | undefined) ?? {};
    if (!spec['nodeName']) {
      const node = this.pickNode();
      if (!node) return;
      const scheduled: KubeObject = { ...pod, spec: { ...spec, nodeName: node.metadata.name! } };
      const started = this.options.podStartDelayMs === 0 ? this.startedStatus(scheduled, node) : this.creatingStatus(scheduled, node);
      // Binding and the first status report land as one write (the scheduler's binding is not admitted).
      this.ctx.store.update(K.pods, { ...scheduled, status: started });
      if (this.options.podStartDelayMs > 0) this.startLater(key);
      return;
    }
    if (status['phase'] === 'Pending') {
      if (!this.starting.has(key)) this.startLater(key);
      return;
    }
    const node = this.ctx.store.get(K.nodes, undefined, String(spec['nodeName']));
    this.writeStatus(namespace, name, this.startedStatus(pod, node, status));
  }

  private startLater(key: string): void {
    this.starting.add(key);
    this.ctx.later(this.options.podStartDelayMs, () => {
      this.starting.delete(key);
      const [namespace, name] = splitKey(key);
      const pod = this.ctx.store.get(K.pods, namespace, name);
      if (!pod || pod.metadata.deletionTimestamp) return;
      const node = this.ctx.store.get(K.nodes, undefined, String((pod['spec'] as JsonObject)['nodeName']));
      this.writeStatus(namespace, name, this.startedStatus(pod, node));
    });
  }

  private writeStatus(namespace: string, name: string, status: JsonObject): void {
    const pod = this.ctx.store.get(K.pods, namespace, name);
    if (!pod || JSON.stringify(pod['status']) === JSON.stringify(status)) return;
    this.ctx.api.update(K.pods, namespace, name, { ...pod, status }, { subresource: 'status' });
  }

  private pickNode(): KubeObject | undefined {
    const nodes = this.ctx.store.list(K.nodes);
    if (nodes.length === 0) return undefined;
    return nodes[this.nextNode++ % nodes.length];
  }

  private addresses(pod: KubeObject, node: KubeObject | undefined, previous: JsonObject): JsonObject {
    const hostIP = nodeIP(node);
    const ip = (previous['podIP'] as string | undefined) ?? (spec(pod)['hostNetwork'] ? hostIP : this.allocatePodIP());
    return { hostIP, hostIPs: [{ ip: hostIP }], podIP: ip, podIPs: [{ ip }] };
  }

  private creatingStatus(pod: KubeObject, node: KubeObject): JsonObject {
    const now = this.timestamp();
    const containers = (spec(pod)['containers'] as JsonObject[]).map((c) => ({
      name: c['name'],
      image: c['image'],
      imageID: '',
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
    }));
    return {
      phase: 'Pending',
      qosClass: 'BestEffort',
      startTime: now,
      conditions: [
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        { type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: 'ContainersNotReady', message: `containers with unready status: [${containers.map((c) => c.name).join(' ')}]` },
        { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: 'ContainersNotReady', message: `containers with unready status: [${containers.map((c) => c.name).join(' ')}]` },
      ],
      ...this.addresses(pod, node, {}),
      containerStatuses: containers,
    };
  }

  private startedStatus(pod: KubeObject, node: KubeObject | undefined, previous: JsonObject = (pod['status'] as JsonObject | undefined) ?? {}): JsonObject {
    const now = this.timestamp();
    const previousStatuses = new Map(((previous['containerStatuses'] as JsonObject[] | undefined) ?? []).map((s) => [s['name'], s]));
    const startedAt = (name: string) => {
      const running = ((previousStatuses.get(name)?.['state'] as JsonObject | undefined)?.['running'] as JsonObject | undefined)?.['startedAt'];
      return (running as string | undefined) ?? now;
    };
    const containerStatuses = (spec(pod)['containers'] as JsonObject[]).map((c) => {
      const name = String(c['name']);
      const behaviour = this.behaviourOf(pod, name);
      const base = { name, image: c['image'], imageID: `${c['image']}@sha256:${'0'.repeat(64)}`, containerID: `containerd://${containerId(pod, name)}`, restartCount: behaviour.restartCount ?? 0 };
      if (behaviour.waitingReason) {
        return { ...base, ready: false, started: false, state: { waiting: { reason: behaviour.waitingReason, message: `back-off restarting failed container ${name}` } }, lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now, containerID: base.containerID } } };
      }
      return { ...base, ready: behaviour.ready, started: true, state: { running: { startedAt: startedAt(name) } }, lastState: {} };
    });
    const initContainerStatuses = ((spec(pod)['initContainers'] as JsonObject[] | undefined) ?? []).map((c) => ({
      name: c['name'],
      image: c['image'],
      imageID: `${c['image']}@sha256:${'0'.repeat(64)}`,
      containerID: `containerd://${containerId(pod, String(c['name']))}`,
      ready: true,
      restartCount: 0,
      started: false,
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now, containerID: `containerd://${containerId(pod, String(c['name']))}` } },
      lastState: {},
    }));
    const unready = containerStatuses.filter((s) => !s.ready).map((s) => s.name);
    const previousConditions = new Map(((previous['conditions'] as JsonObject[] | undefined) ?? []).map((c) => [c['type'], c]));
    const condition = (type: string, ok: boolean) => {
      const before = previousConditions.get(type);
      const status = ok ? 'True' : 'False';
      const transition = before && before['status'] === status ? before['lastTransitionTime'] : now;
      return { type, status, lastProbeTime: null, lastTransitionTime: transition ?? now, ...(ok ? {} : { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` }) };
    };
    return {
      phase: 'Running',
      qosClass: 'BestEffort',
      startTime: (previous['startTime'] as string | undefined) ?? now,
      conditions: [condition('PodReadyToStartContainers', true), condition('Initialized', true), condition('Ready', unready.length === 0), condition('ContainersReady', unready.length === 0), condition('PodScheduled', true)],
      ...this.addresses(pod, node, previous),
      ...(initContainerStatuses.length > 0 ? { initContainerStatuses } : {}),
      containerStatuses,
    };
  }

  private behaviourOf(pod: KubeObject, container: string): ContainerBehaviour {
    for (let i = this.behaviours.length - 1; i >= 0; i--) {
      const answer = this.behaviours[i]!(pod, container);
      if (answer) return answer;
    }
    return { ready: true };
  }

  /**
   * The next free address of the cluster's pod range, 10.<100+index>.0.0/16 and then 10.<200+index>.0.0/16,
   * never an x.x.x.0 or x.x.x.255 address, and never one a live pod holds.
   */
  private allocatePodIP(): string {
    const perBlock = 256 * 254;
    const size = 2 * perBlock;
    for (let tries = 0; tries < size; tries++) {
      const n = this.nextPodIP;
      this.nextPodIP = (n + 1) % size;
      const block = Math.floor(n / perBlock);
      const host = n % perBlock;
      const ip = `10.${(100 + (this.ctx.clusterIndex % 150) + 100 * block) & 255}.${Math.floor(host / 254)}.${(host % 254) + 1}`;
      if (this.podIPsInUse.has(ip)) continue;
      this.podIPsInUse.add(ip);
      return ip;
    }
    throw new Error(`cluster ${this.ctx.clusterName} has no free pod address left`);
  }

  private timestamp(): string {
    return this.ctx.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}

function spec(pod: KubeObject): JsonObject {
  return pod['spec'] as JsonObject;
}

function nodeIP(node: KubeObject | undefined): string {
  const addresses = ((node?.['status'] as JsonObject | undefined)?.['addresses'] as JsonObject[] | undefined) ?? [];
  return String(addresses.find((a) => a['type'] === 'InternalIP')?.['address'] ?? '172.20.0.10');
}

function containerId(pod: KubeObject, container: string): string {
  return Buffer.from(`${pod.metadata.uid}/${container}`).toString('hex').padEnd(64, '0').slice(0, 64);
}
