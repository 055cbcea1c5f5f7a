import { useMemo, useSyncExternalStore } from 'react';
import type { ParsedLine } from '../../mesh/access-log/types.js';
import type { BufferedLine, LogBuffer } from '../../kube/logs/log-buffer.js';
import type { LogsUi } from './logs-state.js';
import { logPredicate } from './log-filter.js';

const NO_BUFFER = { subscribe: () => () => {}, getVersion: () => 0 };

/** The log lines a view shows: filtered, narrowed, and held back from the pause point while paused. */
export function useLogRows(buffer: LogBuffer<ParsedLine> | undefined, ui: LogsUi | undefined, liveFilter: string | undefined): { rows: BufferedLine<ParsedLine>[]; held: number } {
  const source = buffer ?? NO_BUFFER;
  const version = useSyncExternalStore(source.subscribe, source.getVersion);
  return useMemo(() => {
    if (!buffer || !ui) return { rows: [], held: 0 };
    const until = ui.paused ? ui.pausedAt : Infinity;
    const rows = buffer.select(logPredicate(ui, liveFilter), until);
    return { rows, held: ui.paused ? buffer.received - ui.pausedAt : 0 };
  }, [buffer, version, ui?.paused, ui?.pausedAt, ui?.filter, ui?.narrow, liveFilter]);
}
