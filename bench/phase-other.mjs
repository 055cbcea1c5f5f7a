// Measures without a cluster: the access-log parser on one core, and CA generation.
import { execFile } from 'node:child_process';
import { generateCas } from './ca.mjs';

const PARSE = new URL('./parse-logs.mjs', import.meta.url).pathname;

function hasTaskset() {
  return new Promise((resolve) => execFile('taskset', ['--version'], (error) => resolve(!error)));
}

/** bench/parse-logs.mjs in a child pinned to one CPU (taskset -c 0), its per-round rates as samples. */
export async function measureParse(ctx) {
  const { config, results, log } = ctx;
  const { lines, rounds } = config.parse;
  log(`parse: ${lines.toLocaleString('en-US')} lines × ${rounds} rounds per format, one core`);
  const pinned = await hasTaskset();
  const [command, args] = pinned ? ['taskset', ['-c', '0', 'node', PARSE, '--json']] : ['node', [PARSE, '--json']];
  try {
    const out = await new Promise((resolve, reject) =>
      execFile(command, args, { env: { ...process.env, BENCH_LINES: String(lines), BENCH_ROUNDS: String(rounds) }, timeout: 120_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message} ${stderr}`)) : resolve(stdout))),
    );
    const report = JSON.parse(out.trim().split('\n').at(-1));
    const note = `${lines.toLocaleString('en-US')} distinct lines per round from the published fixtures${pinned ? ', pinned to CPU 0' : ' (taskset missing: not pinned)'}`;
    results.add('parse.text', 'one core', { unit: '/s', samples: report.text.samples, better: 'higher', target: { op: '>', value: 300_000, text: '> 300,000/s' }, note });
    results.add('parse.json', 'one core', { unit: '/s', samples: report.json.samples, better: 'higher', note });
  } catch (error) {
    for (const id of ['parse.text', 'parse.json']) results.skip(id, 'one core', `failed: ${error.message.split('\n')[0]}`);
  }
}

/** A root and three intermediates, `bits` RSA, `reps` times (the keys of one run made side by side). */
export async function measureCa(ctx) {
  const { config, results, budget, log } = ctx;
  const { bits, reps, allowanceMs } = config.ca;
  const label = `RSA ${bits}`;
  const phaseEnd = budget.phase(allowanceMs);
  const times = [];
  const stalls = [];
  for (let rep = 0; rep < reps; rep++) {
    const estimate = times.length ? Math.max(...times) : 0;
    if (performance.now() + estimate > phaseEnd) {
      if (times.length === 0) results.skip('ca.generate', label, `time budget spent (${Math.round(budget.elapsedMs / 1000)} s in)`);
      else results.skip('ca.generate', label, 'fewer repetitions: phase allowance reached');
      break;
    }
    log(`ca: root + 3 intermediates, ${label}, run ${rep + 1}`);
    const run = await generateCas({ bits });
    times.push(run.ms);
    stalls.push(run.stallMs);
  }
  if (times.length === 0) return;
  results.add('ca.generate', label, { unit: 'ms', samples: times, ...(bits === 4096 ? { target: { op: '<', value: 10_000, text: '< 10 s' } } : {}), note: 'keys made with crypto.generateKeyPair on the thread pool, side by side; RSA key generation time varies a lot from run to run' });
  results.add('ca.stall', label, { unit: 'ms', samples: stalls, note: 'longest gap between 10 ms timer ticks while generating' });
}
