import type { JsonObject, KubeObject } from '../objects.js';
import { isJsonObject } from '../objects.js';
import type { ResourceDef } from '../resources/types.js';
import { apiVersionOf } from '../resources/types.js';
import { findResource } from '../resources/registry.js';
import { ObjectStore, StoreConflict } from '../store/object-store.js';
import type { AdmissionContext, Mutator, Operation } from '../admission/context.js';
import { applyDefaults } from '../admission/defaults.js';
import { validate } from '../admission/validation.js';
import { randomSuffix } from '../admission/names.js';
import { applyPatch, checkPatchType } from '../patch/apply-patch.js';
import { PatchError } from '../patch/patch-error.js';
import { ApiError, alreadyExists, badRequest, conflict, invalid, notFound } from './status.js';

export interface WriteOptions {
  dryRun?: boolean;
  subresource?: string;
}

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
}

/**
 * The API server's write path without HTTP: defaulting, admission, validation, optimistic
 * concurrency and storage. The HTTP layer and the simulated controllers both write through it,
 * so a pod made by a ReplicaSet is admitted (and injected) exactly like one made by kubectl.
 */
export class ResourceApi {
  private readonly mutators: Mutator[] = [];

  constructor(
    readonly store: ObjectStore,
    private readonly ctx: AdmissionContext,
  ) {}

  addMutator(mutator: Mutator): void {
    this.mutators.push(mutator);
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): KubeObject {
    const object = this.store.get(def, namespace, name);
    if (!object) throw notFound(def, name);
    return object;
  }

  create(def: ResourceDef, namespace: string | undefined, body: KubeObject, options: WriteOptions = {}): KubeObject {
    const object = this.checkBody(def, namespace, body);
    const metadata = { ...object.metadata };
    delete metadata.resourceVersion;
    delete metadata.uid;
    delete metadata.creationTimestamp;
    delete metadata.deletionTimestamp;
    if (!metadata.name && metadata.generateName) metadata.name = `${metadata.generateName}${randomSuffix()}`;
    if (def.namespaced) this.requireLiveNamespace(namespace!);
    const admitted = this.admit('CREATE', def, { ...object, metadata }, undefined);
    if (this.store.get(def, namespace, admitted.metadata.name!)) throw alreadyExists(def, admitted.metadata.name!);
    if (options.dryRun) return { ...admitted, apiVersion: apiVersionOf(def), kind: def.kind };
    try {
      return this.store.create(def, admitted);
    } catch (error) {
      if (error instanceof StoreConflict) throw alreadyExists(def, admitted.metadata.name!);
      throw error;
    }
  }

  update(def: ResourceDef, namespace: string | undefined, name: string, body: KubeObject, options: WriteOptions = {}): KubeObject {
    const object = this.checkBody(def, namespace, body);
    if (object.metadata.name && object.metadata.name !== name) {
      throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
    }
    const current = this.get(def, namespace, name);
    const expected = object.metadata.resourceVersion;
    if (expected && expected !== current.metadata.resourceVersion) throw conflict(def, name);
    const merged = this.mergeForSubresource(def, current, { ...object, metadata: { ...object.metadata, name } }, options.subresource);
    const admitted = this.admit('UPDATE', def, merged, current);
    return this.store_(def, admitted, current, options);
  }

  patch(def: ResourceDef, namespace: string | undefined, name: string, contentType: string, patchBody: string, options: WriteOptions = {}): KubeObject {
    let patched: KubeObject;
    try {
      // The media type is judged first: server-side apply, which would create a missing object, gets its
      // 415 rather than a NotFound that would make no sense to `kubectl apply --server-side`.
      checkPatchType(contentType, def.builtIn);
    } catch (error) {
      if (error instanceof PatchError) throw new ApiError(error.code, error.reason, error.message);
      throw error;
    }
    const current = this.get(def, namespace, name);
    try {
      patched = applyPatch(contentType, current, patchBody, def.kind, def.builtIn);
    } catch (error) {
      if (error instanceof PatchError) throw new ApiError(error.code, error.reason, error.message);
      throw error;
    }
    if (!isJsonObject(patched) || !isJsonObject(patched.metadata)) throw badRequest('the patch removed the object metadata');
    if (patched.metadata.name !== name) throw badRequest('metadata.name cannot be changed by a patch');
    const expected = patched.metadata.resourceVersion;
    if (expected && expected !== current.metadata.resourceVersion) throw conflict(def, name);
    const merged = this.mergeForSubresource(def, current, patched, options.subresource);
    const admitted = this.admit('UPDATE', def, merged, current);
    return this.store_(def, admitted, current, options);
  }

  delete(def: ResourceDef, namespace: string | undefined, name: string, options: DeleteOptions = {}): KubeObject {
    const current = this.get(def, namespace, name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== current.metadata.uid) {
      throw new ApiError(409, 'Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw new ApiError(409, 'Conflict', `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
    }
    if (options.dryRun) return current;
    // Finalizers (and namespaces, which always finalize their content) delay deletion.
    const finalizers = current.metadata.finalizers ?? [];
    const isNamespace = def.group === '' && def.kind === 'Namespace';
    if (finalizers.length > 0 || isNamespace) {
      if (current.metadata.deletionTimestamp) return current;
      const marked: KubeObject = { ...current, metadata: { ...current.metadata, deletionTimestamp: this.timestamp() } };
      if (isNamespace) marked['status'] = { ...(current['status'] as JsonObject), phase: 'Terminating' };
      return this.store.update(def, marked);
    }
    if (options.propagationPolicy === 'Orphan') this.orphanDependents(current);
    return this.store.delete(def, namespace, name);
  }

  private store_(def: ResourceDef, admitted: KubeObject, current: KubeObject, options: WriteOptions): KubeObject {
    if (options.dryRun) return { ...admitted, apiVersion: apiVersionOf(def), kind: def.kind };
    // Removing the last finalizer of an object that is being deleted completes its deletion.
    if (current.metadata.deletionTimestamp && (admitted.metadata.finalizers ?? []).length === 0 && !(def.group === '' && def.kind === 'Namespace')) {
      return this.store.delete(def, current.metadata.namespace, current.metadata.name!);
    }
    try {
      return this.store.update(def, { ...admitted, metadata: { ...admitted.metadata, deletionTimestamp: current.metadata.deletionTimestamp } });
    } catch (error) {
      if (error instanceof StoreConflict) throw conflict(def, current.metadata.name!);
      throw error;
    }
  }

  private admit(op: Operation, def: ResourceDef, object: KubeObject, old: KubeObject | undefined): KubeObject {
    let admitted = applyDefaults(op, def, object, old, this.ctx);
    for (const mutator of this.mutators) admitted = mutator(op, def, admitted, old, this.ctx);
    const causes = validate(def, admitted, this.ctx);
    if (causes.length > 0) throw invalid(def, admitted.metadata.name ?? '', causes);
    if (admitted.metadata.deletionTimestamp === undefined) delete admitted.metadata.deletionTimestamp;
    return admitted;
  }

  /** Status writes touch only status; main-resource writes keep the stored status (kinds with /status). */
  private mergeForSubresource(def: ResourceDef, current: KubeObject, next: KubeObject, subresource: string | undefined): KubeObject {
    if (subresource === 'status') return { ...current, status: next['status'] ?? null };
    if (def.subresources?.includes('status')) {
      const out: KubeObject = { ...next };
      if (current['status'] !== undefined) out['status'] = current['status'];
      else delete out['status'];
      return out;
    }
    return next;
  }

  private checkBody(def: ResourceDef, namespace: string | undefined, body: KubeObject): KubeObject {
    if (!isJsonObject(body)) throw badRequest('the request body is not a JSON object');
    const metadata = isJsonObject(body.metadata) ? { ...body.metadata } : {};
    if (body.kind !== undefined && body.kind !== def.kind) {
      throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersionOf(def)})`);
    }
    if (def.namespaced) {
      if (metadata.namespace && metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      metadata.namespace = namespace!;
    } else {
      delete metadata.namespace;
    }
    return { ...body, metadata };
  }

  private requireLiveNamespace(namespace: string): void {
    const namespaces = findResource('', 'namespaces')!;
    const ns = this.store.get(namespaces, undefined, namespace);
    if (!ns) throw notFound(namespaces, namespace);
    if (ns.metadata.deletionTimestamp) {
      throw new ApiError(403, 'Forbidden', `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  private orphanDependents(owner: KubeObject): void {
    const uid = owner.metadata.uid;
    for (const kind of ['replicasets', 'pods', 'endpointslices']) {
      const def = findResource(kind === 'replicasets' ? 'apps' : kind === 'endpointslices' ? 'discovery.k8s.io' : '', kind)!;
      for (const dependent of this.store.list(def, owner.metadata.namespace)) {
        const refs = dependent.metadata.ownerReferences ?? [];
        if (!refs.some((ref) => ref.uid === uid)) continue;
        this.store.update(def, { ...dependent, metadata: { ...dependent.metadata, ownerReferences: refs.filter((ref) => ref.uid !== uid) } });
      }
    }
  }

  private timestamp(): string {
    return this.ctx.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}
