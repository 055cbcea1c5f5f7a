// Log pipeline end to end: lines per second into the cockpit's log view, out of `meshdeck logs -f -o json`,
// and out of `kubectl logs -f` on the same pods, in a steady window after a warm-up.
import { spawn } from 'node:child_process';
import { openCockpit, keypressLatencies, selectionMoved, memory } from './cockpit.mjs';

const MAIN = new URL('../dist/bundle/meshdeck.js', import.meta.url).pathname;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the commands side by side and counts the lines they print (stdout). The window opens `warmupMs`
 * after every command has printed its first line (start-up and stream opening are not what is measured)
 * and lasts `windowMs`; returns the lines per second in it, summed over the commands. A command that
 * prints nothing within `firstLineTimeoutMs` fails the measure.
 */
export async function countLines(commands, { warmupMs, windowMs, firstLineTimeoutMs = 30_000 }) {
  let windowStart = Infinity;
  let windowEnd = Infinity;
  let inWindow = 0;
  let total = 0;
  let sample = '';
  let firstLines = 0;
  let allStarted;
  const started = new Promise((resolve) => (allStarted = resolve));
  const children = commands.map(([command, args]) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let printed = false;
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
    child.stdout.on('data', (chunk) => {
      const now = performance.now();
      let n = 0;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
      total += n;
      if (now >= windowStart && now < windowEnd) inWindow += n;
      if (!sample && n > 0) sample = chunk.toString('utf8', 0, chunk.indexOf(10));
      if (!printed && n > 0) {
        printed = true;
        if (++firstLines === commands.length) allStarted();
      }
    });
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr, at: performance.now() })));
    return { child, exited };
  });
  const stop = () => Promise.all(children.map((c) => (c.child.kill('SIGTERM'), Promise.race([c.exited, sleep(5000).then(() => (c.child.kill('SIGKILL'), { code: null, signal: 'SIGKILL', stderr: '', at: performance.now() }))]))));
  const failed = Promise.race(children.map((c) => c.exited)).then((e) => e);
  const first = await Promise.race([started.then(() => 'started'), failed, sleep(firstLineTimeoutMs).then(() => 'timeout')]);
  if (first !== 'started') {
    const exits = await stop();
    const why = first === 'timeout' ? `no output within ${firstLineTimeoutMs} ms` : `exit ${first.code}`;
    throw new Error(`a log command failed (${why}): ${exits.map((e) => e.stderr.trim()).join(' ').slice(-500)}`);
  }
  windowStart = performance.now() + warmupMs;
  windowEnd = windowStart + windowMs;
  const ended = await Promise.race([sleep(warmupMs + windowMs).then(() => undefined), failed]);
  const exits = await stop();
  // Stopped by us, the exit code is whatever the command makes of SIGTERM; before that, any exit is a failure.
  if (ended) throw new Error(`a log command ended early (exit ${ended.code}): ${exits.map((e) => e.stderr.trim()).join(' ').slice(-500)}`);
  return { linesPerSecond: inWindow / (windowMs / 1000), total, sample };
}

/** `meshdeck logs -n NS deploy/NAME -f -o json --tail 0` over every context of the kubeconfig. */
export function meshdeckLogsFollow(kubeconfig, { namespace, target }, window) {
  return countLines([['node', [MAIN, 'logs', '--kubeconfig', kubeconfig, '-n', namespace, target, '-f', '-o', 'json', '--tail', '0']]], window);
}

/** `kubectl logs -f -l SELECTOR -c istio-proxy --prefix`, one per context, side by side. */
export function kubectlLogsFollow(kubeconfig, contexts, { namespace, selector, pods }, window) {
  return countLines(
    contexts.map((context) => ['kubectl', ['--kubeconfig', kubeconfig, '--context', context, 'logs', '-f', '-n', namespace, '-l', selector, '-c', 'istio-proxy', '--prefix', '--tail', '0', `--max-log-requests=${pods + 10}`]]),
    window,
  );
}

/**
 * The cockpit's log view on deploy/NAME: `/NAME` Enter on the Workloads pane, `l`, wait until every pod
 * follows, then `space` (pause: new lines are counted, "PAUSED (N new)") and read N off the frames over
 * the window. Then resume and press `k` (the selection moves up) to time keypress-to-frame under the load,
 * and read the RSS before and after (flat memory: the buffer is a 10,000-line ring).
 */
export async function logViewRate({ kubeconfig, clusters, workload, pods, minWorkloads, timeoutMs }, { warmupMs, windowMs, keypresses, keyMaxMs }) {
  const cockpit = await openCockpit({ kubeconfig, clusters, minWorkloads, ...(timeoutMs ? { timeoutMs } : {}) });
  const { term, pid } = cockpit;
  try {
    term.write('3');
    await sleep(300);
    term.write(`/${workload}\r`);
    await term.waitFor((f) => f.text.includes(`/${workload})`), { timeoutMs: 10_000 });
    term.write('l');
    const following = await term.waitFor((f) => new RegExp(`${pods}/${pods} pods following`).test(f.text), { timeoutMs: 30_000 });
    await sleep(warmupMs);
    const rssStart = memory(pid);
    term.write(' ');
    const held = (f) => Number(/PAUSED \((\d+) new\)/.exec(f.text)?.[1] ?? NaN);
    const first = await term.waitFor((f) => held(f) > 0, { timeoutMs: 10_000 });
    await sleep(windowMs);
    const last = await term.waitFor((f) => held(f) > 0, { after: performance.now(), timeoutMs: 10_000 });
    const linesPerSecond = (held(last) - held(first)) / ((last.at - first.at) / 1000);
    term.write(' ');
    await term.waitFor((f) => f.text.includes('following') && !f.text.includes('PAUSED'), { timeoutMs: 10_000 });
    const keys = await keypressLatencies(term, { keys: 'k', count: keypresses, maxMs: keyMaxMs, answered: selectionMoved });
    const rssEnd = memory(pid);
    return { linesPerSecond, followAfterMs: following.at - term.started, keys, rssStartMb: rssStart.rss, rssEndMb: rssEnd.rss, peakRssMb: rssEnd.peak };
  } finally {
    await term.stop('\x03');
  }
}
