import { useMemo } from 'react';
import type { ParsedLine } from '../../mesh/access-log/types.js';
import type { BufferedLine, LogBuffer } from '../../kube/logs/log-buffer.js';
import type { LogsUi } from './logs-state.js';
import { logPredicate } from './log-filter.js';
import type { KeyActivity } from '../hooks/key-activity.js';
import { usePacedVersion } from '../hooks/usePacedVersion.js';

/**
 * The log lines a view shows: filtered, narrowed, and held back from the pause point while paused.
 * New lines reach the screen paced (keys first, at most one redraw per 100 ms): a fast stream never
 * queues a keypress behind its frames.
 */
export function useLogRows(buffer: LogBuffer<ParsedLine> | undefined, ui: LogsUi | undefined, liveFilter: string | undefined, keys: KeyActivity): { rows: BufferedLine<ParsedLine>[]; held: number } {
  const version = usePacedVersion(buffer, keys);
  return useMemo(() => {
    if (!buffer || !ui) return { rows: [], held: 0 };
    const until = ui.paused ? ui.pausedAt : Infinity;
    const rows = buffer.select(logPredicate(ui, liveFilter), until);
    return { rows, held: ui.paused ? buffer.received - ui.pausedAt : 0 };
  }, [buffer, version, ui?.paused, ui?.pausedAt, ui?.filter, ui?.narrow, liveFilter]);
}
