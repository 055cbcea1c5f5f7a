// Strategic merge patch needs to know, per field, what the Go types of k8s.io/api declare in their
// `patchStrategy` / `patchMergeKey` struct tags. This table restates those tags for the built-in kinds
// the simulator serves. A field that is not listed behaves as Kubernetes treats an untagged field:
// objects merge key by key, lists and scalars are replaced whole.

export interface FieldStrategy {
  /**
   * `merge`: the list is merged item by item (patchStrategy:"merge").
   * `replace`: the list is replaced whole; only written out where that is worth documenting,
   * since it is also what an unlisted list gets.
   */
  readonly strategy?: 'merge' | 'replace';
  /** patchMergeKey: the member that identifies an item. A merged list without one holds primitives. */
  readonly mergeKey?: string;
  /**
   * patchStrategy:"retainKeys". Only the diffing side (kubectl) acts on it by emitting `$retainKeys`;
   * applying obeys the directive wherever it appears, so this is recorded for completeness.
   */
  readonly retainKeys?: boolean;
  /** Strategies inside the nested object, or inside each item of the list. */
  readonly fields?: StructStrategy;
}

export type StructStrategy = Readonly<Record<string, FieldStrategy>>;

const mergeByKey = (mergeKey: string, fields?: StructStrategy, retainKeys = false): FieldStrategy => ({
  strategy: 'merge',
  mergeKey,
  ...(fields ? { fields } : {}),
  ...(retainKeys ? { retainKeys } : {}),
});
const mergePrimitives: FieldStrategy = { strategy: 'merge' };
const atomic: FieldStrategy = { strategy: 'replace' };
const nested = (fields: StructStrategy): FieldStrategy => ({ fields });

/** metav1.ObjectMeta */
const objectMeta: StructStrategy = {
  ownerReferences: mergeByKey('uid'),
  finalizers: mergePrimitives,
};

/** core/v1 Container; EphemeralContainer declares the same tags. */
const container: StructStrategy = {
  ports: mergeByKey('containerPort'),
  env: mergeByKey('name'),
  volumeMounts: mergeByKey('mountPath'),
  volumeDevices: mergeByKey('devicePath'),
};

/** core/v1 PodSpec */
const podSpec: StructStrategy = {
  // Volume inlines VolumeSource, hence retainKeys: switching a volume's source must drop the old one.
  volumes: mergeByKey('name', undefined, true),
  initContainers: mergeByKey('name', container),
  containers: mergeByKey('name', container),
  ephemeralContainers: mergeByKey('name', container),
  imagePullSecrets: mergeByKey('name'),
  hostAliases: mergeByKey('ip'),
  topologySpreadConstraints: mergeByKey('topologyKey'),
  schedulingGates: mergeByKey('name'),
  resourceClaims: mergeByKey('name', undefined, true),
};

/** core/v1 PodStatus */
const podStatus: StructStrategy = {
  conditions: mergeByKey('type'),
  podIPs: mergeByKey('ip'),
  hostIPs: mergeByKey('ip'),
};

const podTemplateSpec: StructStrategy = {
  metadata: nested(objectMeta),
  spec: nested(podSpec),
};

/** The many status types whose only tagged list is `conditions`, keyed by condition type. */
const conditionsStatus: StructStrategy = { conditions: mergeByKey('type') };

/** Workloads (Deployment, ReplicaSet, ...) whose spec embeds a pod template. */
const workload = (specExtras: StructStrategy = {}): StructStrategy => ({
  spec: nested({ template: nested(podTemplateSpec), ...specExtras }),
  status: nested(conditionsStatus),
});

const kinds: Readonly<Record<string, StructStrategy>> = {
  Pod: { spec: nested(podSpec), status: nested(podStatus) },
  PodTemplate: { template: nested(podTemplateSpec) },
  // DeploymentSpec.strategy is retainKeys: moving from RollingUpdate to Recreate must drop rollingUpdate.
  Deployment: workload({ strategy: { retainKeys: true } }),
  ReplicaSet: workload(),
  ReplicationController: workload(),
  // volumeClaimTemplates carries no tag, so it is replaced whole.
  StatefulSet: workload({ volumeClaimTemplates: atomic }),
  DaemonSet: workload(),
  Job: workload(),
  CronJob: {
    spec: nested({ jobTemplate: nested({ metadata: nested(objectMeta), spec: nested({ template: nested(podTemplateSpec) }) }) }),
  },
  Service: { spec: nested({ ports: mergeByKey('port') }), status: nested(conditionsStatus) },
  // EndpointSubset and the lists inside it are untagged: a patch replaces all subsets at once.
  Endpoints: { subsets: atomic },
  Node: {
    spec: nested({ podCIDRs: mergePrimitives, taints: atomic }),
    status: nested({ addresses: mergeByKey('type'), conditions: mergeByKey('type') }),
  },
  Namespace: { status: nested(conditionsStatus) },
  PersistentVolumeClaim: { status: nested(conditionsStatus) },
  ServiceAccount: { secrets: mergeByKey('name') },
};

/** The strategies for a whole object of the given built-in kind; unknown kinds only get ObjectMeta's. */
export function strategiesForKind(kind: string): StructStrategy {
  const own = Object.hasOwn(kinds, kind) ? kinds[kind] : undefined;
  return { ...own, metadata: nested(objectMeta) };
}
