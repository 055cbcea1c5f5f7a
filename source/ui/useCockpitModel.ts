import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { CockpitSource } from './source.js';
import type { MeshModel } from '../mesh/model.js';
import { CockpitModelStore } from './model-store.js';

/**
 * The mesh model for the screen, from a CockpitModelStore owned by the component: a render happens
 * only when the model shows something new. `keyPressed` goes to the input handler (keys first).
 */
export function useCockpitModel(source: CockpitSource): { model: MeshModel; keyPressed: () => void } {
  const store = useRef<CockpitModelStore | undefined>(undefined);
  if (!store.current) store.current = new CockpitModelStore(source);
  const current = store.current;
  useEffect(() => {
    current.start();
    return () => current.stop();
  }, [current]);
  const model = useSyncExternalStore(current.subscribe, current.getModel);
  return { model, keyPressed: () => current.keyPressed() };
}
