import { useEffect, useState } from 'react';
import { DataPacer, type DataPacerOptions } from './data-pacer.js';
import type { KeyActivity } from './key-activity.js';

interface Versioned {
  subscribe(listener: () => void): () => void;
  getVersion(): number;
}

/**
 * A store's version as the screen should see it: changes are paced by a DataPacer (keys first, at
 * most one redraw per interval), so a stream of data never queues keypresses behind its frames.
 */
export function usePacedVersion(store: Versioned | undefined, keys: KeyActivity, options?: DataPacerOptions): number {
  const [version, setVersion] = useState(() => store?.getVersion() ?? 0);
  useEffect(() => {
    if (!store) return;
    const pacer = new DataPacer(() => setVersion(store.getVersion()), options);
    const unsubscribe = store.subscribe(pacer.changed);
    const unkeys = keys.subscribe(() => pacer.keyPressed());
    setVersion(store.getVersion());
    return () => {
      unsubscribe();
      unkeys();
      pacer.dispose();
    };
    // Options are read once per store.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, keys]);
  return version;
}
