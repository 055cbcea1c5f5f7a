// Drives the cockpit (`meshdeck --kubeconfig FILE`) in a pty: start-up times, keypress-to-frame latency.
import { startPty, descendantPid, rssMb } from './pty.mjs';

const MAIN = new URL('../dist/bundle/meshdeck.js', import.meta.url).pathname;
export const COLUMNS = 200;
export const ROWS = 50;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The count in the Workloads pane title: "3 Workloads (N)" or, filtered, "(M of N ...)". */
export function workloadCount(frame) {
  const m = /Workloads \((?:(\d+) of )?(\d+)/.exec(frame.text);
  return m ? { shown: Number(m[1] ?? m[2]), total: Number(m[2]) } : undefined;
}

/**
 * Starts the cockpit and waits until every cluster is synced ("clusters N/N up") and the Workloads pane
 * counts at least `minWorkloads` rows. Times are from spawning the command (which includes node's start).
 */
export async function openCockpit({ kubeconfig, clusters, minWorkloads, timeoutMs = 180_000, env = {} }) {
  // BENCH_NODE_ARGS: flags for the cockpit's node, for profiling a measure (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof).
  const nodeArgs = process.env.BENCH_NODE_ARGS ? `${process.env.BENCH_NODE_ARGS} ` : '';
  const term = startPty(`node ${nodeArgs}${MAIN} --kubeconfig ${kubeconfig}`, { columns: COLUMNS, rows: ROWS, env });
  try {
    const first = await term.waitFor((f) => f.text.includes('meshdeck'), { timeoutMs: 30_000 });
    const all = await term.waitFor(
      (f) => f.text.includes(`clusters ${clusters}/${clusters} up`) && (workloadCount(f)?.total ?? 0) >= minWorkloads,
      { timeoutMs },
    );
    const pid = descendantPid(term.child.pid);
    return { term, pid, firstFrameMs: first.at - term.started, allShownMs: all.at - term.started, workloads: workloadCount(all).total };
  } catch (error) {
    await term.stop().catch(() => {});
    throw error;
  }
}

/**
 * Presses `key` up to `count` times (and for at most `maxMs`), each time waiting for the first frame for
 * which `answered(before, frame)` holds; returns the latencies in ms (keypress written → frame complete).
 * A keypress not answered within `keyTimeoutMs` counts as that long and ends the run.
 */
export async function keypressLatencies(term, { keys, count, maxMs, answered, thinkMs = [15, 45], keyTimeoutMs = 5000 }) {
  const latencies = [];
  const deadline = performance.now() + maxMs;
  let timeouts = 0;
  for (let i = 0; i < count && performance.now() < deadline; i++) {
    const key = typeof keys === 'function' ? keys(i) : keys;
    const before = term.lastFrame;
    const sent = performance.now();
    term.write(key);
    try {
      const frame = await term.waitFor((f) => f.index > before.index && answered(before, f, i), { after: sent, timeoutMs: keyTimeoutMs });
      latencies.push(frame.at - sent);
    } catch {
      latencies.push(keyTimeoutMs);
      timeouts++;
      break;
    }
    await sleep(thinkMs[0] + Math.random() * (thinkMs[1] - thinkMs[0]));
  }
  return { latencies, timeouts };
}

/** The selection moved: the inverse (selected) line is another line or shows another row. */
export const selectionMoved = (before, frame) => frame.selectedIndex >= 0 && (frame.selectedIndex !== before.selectedIndex || frame.selected !== before.selected);

/** `j` down the focused pane. */
export function scroll(term, { count, maxMs }) {
  return keypressLatencies(term, { keys: 'j', count, maxMs, answered: selectionMoved });
}

/**
 * Types `text` into the `/` filter one character at a time, then deletes it again, and repeats; each
 * keystroke is answered by the frame whose prompt line shows the new input (the table of that frame is
 * already filtered: the cockpit filters in the same render).
 */
export async function typeFilter(term, { text, count, maxMs }) {
  term.write('/');
  await term.waitFor((f) => f.lines.some((l) => l.startsWith('/')), { timeoutMs: 5000 });
  const script = [];
  for (let i = 1; i <= text.length; i++) script.push({ key: text[i - 1], input: text.slice(0, i) });
  for (let i = text.length - 1; i >= 0; i--) script.push({ key: '\x7f', input: text.slice(0, i) });
  const promptShows = (input) => (f) => f.lines.some((l) => l.trimEnd() === `/${input}█` || l.startsWith(`/${input}█ `));
  const result = await keypressLatencies(term, {
    keys: (i) => script[i % script.length].key,
    count,
    maxMs,
    answered: (_before, f, i) => promptShows(script[i % script.length].input)(f),
  });
  term.write('\x1b'); // Esc: leave the prompt, filter cleared
  await sleep(300);
  return result;
}

export function memory(pid) {
  return pid ? rssMb(pid) : { rss: NaN, peak: NaN };
}
