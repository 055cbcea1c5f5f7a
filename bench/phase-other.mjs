// Measures without a cluster: the access-log parser on one core, CA generation, and the floor under
// every "start → first frame": a pty plus node starting a script that draws one frame.
import { execFile } from 'node:child_process';
import { generateCas } from './ca.mjs';
import { startPty } from './pty.mjs';
import { Measure, until } from './measure.mjs';

const PARSE = new URL('./parse-logs.mjs', import.meta.url).pathname;

function hasTaskset() {
  return new Promise((resolve) => execFile('taskset', ['--version'], (error) => resolve(!error)));
}

/** bench/parse-logs.mjs in a child pinned to one CPU (taskset -c 0), its per-round rates as samples. */
export async function measureParse(ctx, deadline) {
  const { config, results, log } = ctx;
  const { lines, rounds } = config.parse;
  log(`parse: ${lines.toLocaleString('en-US')} lines × ${rounds} rounds per format, one core`);
  const pinned = await hasTaskset();
  const [command, args] = pinned ? ['taskset', ['-c', '0', 'node', PARSE, '--json']] : ['node', [PARSE, '--json']];
  try {
    const out = await new Promise((resolve, reject) =>
      execFile(command, args, { env: { ...process.env, BENCH_LINES: String(lines), BENCH_ROUNDS: String(rounds) }, timeout: until(deadline) }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message} ${stderr}`)) : resolve(stdout))),
    );
    const report = JSON.parse(out.trim().split('\n').at(-1));
    const note = `${lines.toLocaleString('en-US')} distinct lines per round from the published fixtures${pinned ? ', pinned to CPU 0' : ' (taskset missing: not pinned)'}`;
    results.add('parse.text', 'one core', { unit: '/s', samples: report.text.samples, better: 'higher', target: { op: '>', value: 300_000, text: '> 300,000/s' }, note });
    results.add('parse.json', 'one core', { unit: '/s', samples: report.json.samples, better: 'higher', note });
  } catch (error) {
    for (const id of ['parse.text', 'parse.json']) results.skip(id, 'one core', `failed: ${error.message.split('\n')[0]}`);
  }
}

/** A root and three intermediates, `bits` RSA (the keys of one run made side by side); one run per attempt. */
export function caMeasure(ctx) {
  const { bits } = ctx.config.ca;
  const size = `RSA ${bits}`;
  const times = [];
  const stalls = [];
  const measure = new Measure({
    name: 'ca',
    size,
    figureIds: ['ca.generate', 'ca.stall'],
    run: async () => {
      ctx.log(`ca: root + 3 intermediates, ${size}, run ${times.length + 1}`);
      const run = await generateCas({ bits });
      times.push(run.ms);
      stalls.push(run.stallMs);
    },
  });
  measure.finish = () => {
    if (times.length === 0) return;
    ctx.results.add('ca.generate', size, { unit: 'ms', samples: times, ...(bits === 4096 ? { target: { op: '<', value: 10_000, text: '< 10 s' } } : {}), note: 'keys made with crypto.generateKeyPair on the thread pool, side by side; RSA key generation time varies a lot from run to run' });
    ctx.results.add('ca.stall', size, { unit: 'ms', samples: stalls, note: 'longest gap between 10 ms timer ticks while generating' });
  };
  return measure;
}

/** `script` + node + a one-line program that draws one synchronized frame: what any command pays first. */
export function baselineMeasure(ctx) {
  const times = [];
  const program = "process.stdout.write('\\x1b[?2026hmeshdeck\\x1b[?2026l'); setTimeout(() => {}, 2000)";
  const measure = new Measure({
    name: 'pty baseline',
    size: 'pty',
    figureIds: ['pty.baseline'],
    run: async (deadline) => {
      const term = startPty(`node -e "${program}"`, { columns: 80, rows: 24 });
      try {
        const frame = await term.waitFor((f) => f.text.includes('meshdeck'), { timeoutMs: until(deadline) });
        times.push(frame.at - term.started);
      } finally {
        term.child.kill('SIGKILL');
      }
    },
  });
  measure.finish = () => times.length && ctx.results.add('pty.baseline', 'pty', { unit: 'ms', samples: times, note: 'spawn `script`, start node, draw one frame: the floor under every "start → first frame"' });
  return measure;
}
