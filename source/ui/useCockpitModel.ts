import { useMemo, useRef, useSyncExternalStore } from 'react';
import type { CockpitSource } from './source.js';
import { DerivationCache, deriveMeshModel, type MeshModel } from '../mesh/model.js';

/** The mesh model, recomputed only when the source's revision or the clock moves. */
export function useCockpitModel(source: CockpitSource, now: number): MeshModel {
  const revision = useSyncExternalStore(source.subscribe, source.getRevision);
  const cache = useRef(new DerivationCache());
  return useMemo(() => deriveMeshModel(source.snapshot(), now, cache.current), [source, revision, now]);
}
