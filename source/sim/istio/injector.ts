import type { Mutator } from '../admission/context.js';
import { defaultPodSpec } from '../admission/pod-defaults.js';
import type { JsonObject, KubeObject } from '../objects.js';
import type { ObjectStore } from '../store/object-store.js';
import { K } from '../controllers/kinds.js';
import { matcherFromLabelSelector, type Labels } from '../selectors.js';
import { DEFAULT_REVISION, INJECT_ANNOTATION, IK, SIDECAR_STATUS_ANNOTATION } from './constants.js';
import { injectorValues } from './mesh-config.js';
import { sidecarPatch } from './sidecar-template.js';

interface CompiledWebhook {
  namespace: (labels: Labels) => boolean;
  object: (labels: Labels) => boolean;
}

const compiled = new WeakMap<KubeObject, CompiledWebhook[]>();

function webhooksOf(configuration: KubeObject): CompiledWebhook[] {
  const cached = compiled.get(configuration);
  if (cached) return cached;
  const selector = (value: unknown) => (value === undefined || value === null ? () => true : matcherFromLabelSelector(value as JsonObject));
  const webhooks = ((configuration['webhooks'] as JsonObject[] | undefined) ?? [])
    .filter((w) => String(w['name'] ?? '').endsWith('sidecar-injector.istio.io'))
    .map((w) => {
      try {
        return { namespace: selector(w['namespaceSelector']), object: selector(w['objectSelector']) };
      } catch {
        return { namespace: () => false, object: () => false };
      }
    });
  compiled.set(configuration, webhooks);
  return webhooks;
}

/** The revision whose injection webhook the API server would call for this pod, if any. */
export function injectionRevision(store: ObjectStore, namespace: KubeObject, podLabels: Labels): string | undefined {
  const namespaceLabels = namespace.metadata.labels ?? {};
  for (const configuration of store.list(IK.mutatingWebhooks)) {
    if (webhooksOf(configuration).some((w) => w.namespace(namespaceLabels) && w.object(podLabels))) {
      return configuration.metadata.labels?.['istio.io/rev'] ?? DEFAULT_REVISION;
    }
  }
  return undefined;
}

const FALSE = new Set(['false', 'n', 'no', 'off', '0', 'f']);

/**
 * Sidecar injection as the webhook does it, on pod CREATE only (so pods that existed before a
 * namespace was labelled keep running without a sidecar until they are recreated): the
 * MutatingWebhookConfigurations' selectors pick the revision, that revision's
 * istio-sidecar-injector ConfigMap must exist (istiod, or a remote's injector config), and the
 * `sidecar.istio.io/inject: "false"` annotation or label opts a pod out.
 */
export function sidecarInjector(store: ObjectStore): Mutator {
  return (op, def, object) => {
    if (op !== 'CREATE' || def !== K.pods) return object;
    const annotations = object.metadata.annotations ?? {};
    if (annotations[SIDECAR_STATUS_ANNOTATION]) return object;
    const spec = (object['spec'] as JsonObject | undefined) ?? {};
    if (spec['hostNetwork'] === true) return object;
    const namespaceName = object.metadata.namespace!;
    if (namespaceName === 'kube-system' || namespaceName === 'kube-public') return object;
    const namespace = store.get(K.namespaces, undefined, namespaceName);
    if (!namespace) return object;
    const revision = injectionRevision(store, namespace, object.metadata.labels ?? {});
    if (!revision) return object;
    const optOut = annotations[INJECT_ANNOTATION] ?? object.metadata.labels?.[INJECT_ANNOTATION];
    if (optOut !== undefined && FALSE.has(optOut.toLowerCase())) return object;
    const values = injectorValues(store, revision);
    if (!values) return object;
    const patched = sidecarPatch(object, values);
    return { ...patched, spec: defaultPodSpec(patched['spec'] as JsonObject) };
  };
}
