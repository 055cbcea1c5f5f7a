import { useMemo } from 'react';
import type { ParsedLine } from '../../mesh/access-log/types.js';
import type { BufferedLine, LogBuffer } from '../../kube/logs/log-buffer.js';
import type { LogsUi } from './logs-state.js';
import { logPredicate } from './log-filter.js';
import type { KeyActivity } from '../hooks/key-activity.js';
import { usePacedVersion } from '../hooks/usePacedVersion.js';

/**
 * The log lines a view shows: filtered, narrowed, and held back from the pause point while paused.
 * While not following (someone moves through the lines) the lines on screen hold still, as in `less`
 * after following: new lines are counted, not shown, until `f`/`G` follows again, so the selected line
 * is not pushed out of a busy buffer under the cursor. New lines reach the screen paced (keys first, at
 * most one redraw per 100 ms): a fast stream never queues a keypress behind its frames.
 */
export function useLogRows(buffer: LogBuffer<ParsedLine> | undefined, ui: LogsUi | undefined, liveFilter: string | undefined, keys: KeyActivity): { rows: BufferedLine<ParsedLine>[]; held: number } {
  const version = usePacedVersion(buffer, keys);
  const holding = Boolean(ui && !ui.follow && !ui.paused);
  const view = useMemo(() => {
    if (!buffer || !ui) return { rows: [], from: 0 };
    const until = ui.paused ? ui.pausedAt : Infinity;
    return { rows: buffer.select(logPredicate(ui, liveFilter), until), from: buffer.received };
    // While holding, new versions do not change the lines (the filter and narrowing still do).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [buffer, holding ? -1 : version, holding, ui?.paused, ui?.pausedAt, ui?.filter, ui?.narrow, liveFilter]);
  const held = !buffer || !ui ? 0 : ui.paused ? buffer.received - ui.pausedAt : holding ? buffer.received - view.from : 0;
  return { rows: view.rows, held };
}
