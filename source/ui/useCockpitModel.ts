import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { CockpitSource } from './source.js';
import type { MeshModel } from '../mesh/model.js';
import { CockpitModelStore } from './model-store.js';
import type { KeyActivity } from './hooks/key-activity.js';

/**
 * The mesh model for the screen, from a CockpitModelStore owned by the component: a render happens
 * only when the model shows something new; keys reported to `keys` go first.
 */
export function useCockpitModel(source: CockpitSource, keys: KeyActivity): MeshModel {
  const store = useRef<CockpitModelStore | undefined>(undefined);
  if (!store.current) store.current = new CockpitModelStore(source);
  const current = store.current;
  useEffect(() => {
    current.start();
    const unkeys = keys.subscribe(() => current.keyPressed());
    return () => {
      unkeys();
      current.stop();
    };
  }, [current, keys]);
  return useSyncExternalStore(current.subscribe, current.getModel);
}
