import type { ParsedLine } from '../../mesh/access-log/types.js';
import { statusClassMatches } from '../../mesh/access-log/summary.js';
import { compileFilter } from '../../mesh/filter.js';
import type { BufferedLine } from '../../kube/logs/log-buffer.js';
import type { LogsUi } from './logs-state.js';

/** One predicate for the text filter and the narrowing; raw lines pass status and flag narrowing never. */
export function logPredicate(ui: Pick<LogsUi, 'filter' | 'narrow'>, liveFilter?: string): (entry: BufferedLine<ParsedLine>) => boolean {
  const text = compileFilter(liveFilter ?? ui.filter);
  const { status, flag, cluster, pod } = ui.narrow;
  return (entry) => {
    if (cluster && entry.line.cluster !== cluster) return false;
    if (pod && !entry.line.pod.includes(pod)) return false;
    const parsed = entry.parsed;
    if (status && (parsed.kind !== 'access' || !statusClassMatches(parsed, status))) return false;
    if (flag && (parsed.kind !== 'access' || !parsed.responseFlags.includes(flag))) return false;
    return text.matches([entry.line.text, entry.line.pod, entry.line.cluster]);
  };
}
