import type { KubeObject } from '../objects.js';
import type { StoreEvent } from '../store/object-store.js';
import { Controller, type ControllerContext, namespacedKey, splitKey } from '../controllers/controller.js';
import { K } from '../controllers/kinds.js';
import { CACERTS_SECRET, ISTIO_NAMESPACE, SELF_SIGNED_CA_SECRET } from './constants.js';
import { makeSelfSignedIstiodCa } from './ca.js';
import { loadPluggedCa, loadSelfSignedCa, type CaLoad, type LoadedCa } from './ca-loading.js';

interface PodLoad {
  sequence: number;
  key: string;
  load: CaLoad;
}

export function isIstiodPod(pod: KubeObject): boolean {
  return pod.metadata.namespace === ISTIO_NAMESPACE && pod.metadata.labels?.['app'] === 'istiod';
}

/**
 * istiod's CA, loaded once per istiod pod as it starts: `cacerts` when present, else its own
 * `istio-ca-secret` (made on first start). Replacing `cacerts` therefore changes nothing until a
 * new istiod pod starts (`kubectl rollout restart deploy/istiod`). A pod whose CA fails to load
 * crash-loops and never takes over; the newest pod that loaded a CA is the one that signs.
 */
export class IstiodCaController extends Controller {
  private readonly loads = new Map<string, PodLoad>();
  private sequence = 0;
  private active: LoadedCa | undefined;

  constructor(
    ctx: ControllerContext,
    private readonly trustDomain: string,
    private readonly hooks: { activeChanged(): void; podChanged(key: string): void },
  ) {
    super(ctx);
    for (const pod of ctx.store.list(K.pods, ISTIO_NAMESPACE)) if (isIstiodPod(pod)) this.queue.add(namespacedKey(pod.metadata.namespace, pod.metadata.name));
  }

  activeCa(): LoadedCa | undefined {
    return this.active;
  }

  /** The start-up error of an istiod pod whose CA did not load. */
  loadError(pod: KubeObject): string | undefined {
    const load = this.loads.get(pod.metadata.uid ?? '')?.load;
    return load && 'error' in load ? load.error : undefined;
  }

  onEvent(event: StoreEvent): void {
    if (event.def === K.pods && isIstiodPod(event.object)) this.queue.add(namespacedKey(event.object.metadata.namespace, event.object.metadata.name));
  }

  protected reconcile(key: string): void {
    const [namespace, name] = splitKey(key);
    const pod = this.ctx.store.get(K.pods, namespace, name);
    for (const [uid, entry] of this.loads) {
      const [ns, podName] = splitKey(entry.key);
      if (this.ctx.store.get(K.pods, ns, podName)?.metadata.uid !== uid) this.loads.delete(uid);
    }
    // The files are read as the pod is made (so a pod that cannot load them never reports ready);
    // the CA takes over once the pod runs.
    if (pod && !pod.metadata.deletionTimestamp && !this.loads.has(pod.metadata.uid!)) {
      const load = this.loadNow();
      this.loads.set(pod.metadata.uid!, { sequence: ++this.sequence, key, load });
      if ('error' in load) {
        this.ctx.warn(`istiod ${this.ctx.clusterName}/${name}: ${load.error}`);
        this.hooks.podChanged(key);
      }
    }
    let newest: PodLoad | undefined;
    for (const entry of this.loads.values()) {
      if ('ca' in entry.load && (!newest || entry.sequence > newest.sequence) && this.running(entry.key)) newest = entry;
    }
    const next = newest && 'ca' in newest.load ? newest.load.ca : this.active;
    if (next !== this.active) {
      const changed = !this.active || !next || this.active.bundlePem !== next.bundlePem || this.active.issuerRoot !== next.issuerRoot;
      this.active = next;
      if (changed) this.hooks.activeChanged();
    }
  }

  private running(key: string): boolean {
    const [namespace, name] = splitKey(key);
    return ((this.ctx.store.get(K.pods, namespace, name)?.['status'] as { phase?: string } | undefined)?.phase) === 'Running';
  }

  private loadNow(): CaLoad {
    const cacerts = this.ctx.store.get(K.secrets, ISTIO_NAMESPACE, CACERTS_SECRET);
    if (cacerts) return loadPluggedCa(cacerts);
    let own = this.ctx.store.get(K.secrets, ISTIO_NAMESPACE, SELF_SIGNED_CA_SECRET);
    if (!own) {
      const ca = makeSelfSignedIstiodCa(this.trustDomain);
      const b64 = (text: string) => Buffer.from(text).toString('base64');
      own = this.ctx.api.create(K.secrets, ISTIO_NAMESPACE, {
        metadata: { name: SELF_SIGNED_CA_SECRET, namespace: ISTIO_NAMESPACE },
        type: 'istio.io/ca-root',
        data: { 'ca-cert.pem': b64(ca.certPem), 'ca-key.pem': b64(ca.keyPem), 'cert-chain.pem': '', 'root-cert.pem': '' },
      });
    }
    return loadSelfSignedCa(own);
  }
}
