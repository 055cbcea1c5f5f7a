export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';

/** What narrows a log view besides the text filter (`:5xx`, `:flag UF`, `:cluster east`, `:pod NAME`). */
export interface LogNarrow {
  status?: StatusClass;
  flag?: string;
  cluster?: string;
  pod?: string;
}

export interface LogsUi {
  /** The workload or gateway row the view follows. */
  key: string;
  title: string;
  paused: boolean;
  /** While paused, lines from this sequence number on are held back (and counted). */
  pausedAt: number;
  /** Keep the newest line selected and in view. */
  follow: boolean;
  wrap: boolean;
  filter: string;
  narrow: LogNarrow;
  selectedSeq?: number;
  detailSeq?: number;
  detailScroll: number;
}

export function newLogsUi(key: string, title: string): LogsUi {
  return { key, title, paused: false, pausedAt: 0, follow: true, wrap: false, filter: '', narrow: {}, detailScroll: 0 };
}

export type NarrowResult = { kind: 'narrow'; narrow: LogNarrow } | { kind: 'error'; message: string };

/** Parses what follows ':' in the log view: `5xx`, `logs 5xx`, `flag UF`, `cluster east`, `pod NAME`, `all`. */
export function parseNarrow(text: string, current: LogNarrow): NarrowResult {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words[0] === 'logs') words.shift();
  const [word = '', arg] = words;
  if (/^[2-5]xx$/.test(word)) return { kind: 'narrow', narrow: { ...current, status: word as StatusClass } };
  if (word === 'all' || word === '') return { kind: 'narrow', narrow: {} };
  if (word === 'flag' && arg) return { kind: 'narrow', narrow: { ...current, flag: arg.toUpperCase() } };
  if (word === 'cluster' && arg) return { kind: 'narrow', narrow: { ...current, cluster: arg } };
  if (word === 'pod' && arg) return { kind: 'narrow', narrow: { ...current, pod: arg } };
  return { kind: 'error', message: `unknown log command ":${text.trim()}" (try :5xx, :4xx, :flag UF, :cluster NAME, :pod NAME, :all, :q)` };
}

export function describeNarrow(narrow: LogNarrow): string {
  return [narrow.status, narrow.flag && `flag ${narrow.flag}`, narrow.cluster && `cluster ${narrow.cluster}`, narrow.pod && `pod ${narrow.pod}`].filter(Boolean).join(', ');
}
