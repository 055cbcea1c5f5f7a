// npm run bench [-- --quick] [-- --out PATH] [-- --budget SECONDS]: meshdeck against kubectl on the same simulated clusters.
// Needs `npm run build` first. Prints a table and how each figure grows with size; writes the results as
// JSON (bench/results.json, or PATH; --quick writes to the temporary directory unless --out is given).
// Full: 1×1,000, 10×5,000 and 20×10,000 pods, 50,000 rows, the log pipeline, the parser and CA
// generation, under 10 minutes on 2 cores. --quick: the same figures on tiny clusters, once, under a minute.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FULL, QUICK } from '../bench/config.mjs';
import { runBench } from '../bench/run.mjs';
import { renderReport } from '../bench/report.mjs';

let args;
try {
  args = parseArgs({ options: { quick: { type: 'boolean', default: false }, out: { type: 'string' }, budget: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } }).values;
  if (args.budget !== undefined && !(Number(args.budget) > 0)) throw new Error(`--budget takes seconds, got "${args.budget}"`);
} catch (error) {
  console.error(`bench: ${error.message}`);
  process.exit(2);
}
if (args.help) {
  console.log('usage: npm run bench [-- --quick] [-- --out PATH] [-- --budget SECONDS]\n  --budget: time for the whole run (default 570 s; 50 s with --quick); measures that would not fit are skipped and listed');
  process.exit(0);
}
const config = { ...(args.quick ? QUICK : FULL), ...(args.budget ? { budgetMs: Number(args.budget) * 1000 } : {}) };
const out = resolve(args.out ?? (args.quick ? join(tmpdir(), 'meshdeck-bench-quick.json') : new URL('../bench/results.json', import.meta.url).pathname));

// The budget is the bench's own; this only stops a run that hangs past it (and leaves a note).
const hardStop = setTimeout(() => {
  console.error(`bench: still running ${Math.round((config.budgetMs + 120_000) / 1000)} s after the start; giving up`);
  process.exit(1);
}, config.budgetMs + 120_000);
hardStop.unref();

const started = Date.now();
const results = await runBench(config, { log: (message) => process.stderr.write(`bench [${Math.round((Date.now() - started) / 1000)} s] ${message}\n`) });
const report = renderReport(results);
console.log(report);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
if (!args.quick && !args.out) writeFileSync(new URL('../bench/last-run.md', import.meta.url), `${report}\n`);
console.log(`\nresults: ${out}`);
// Sockets of stopped simulators and ptys can keep the loop alive for a moment; the work is done.
process.exit(0);
