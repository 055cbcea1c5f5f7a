// Runs the bench within its budget and returns the results (scripts/bench.mjs is the entry point).
//
// Order: a first pass measures every figure once (parser, CA, the sizes, 50,000 rows, the log pipeline,
// then the largest size, whose simulator alone takes minutes); then repetitions, smaller sizes first,
// until each measure has `reps` runs or the budget is spent. Simulators stay up between passes (they
// idle: no watchers, no followed logs) and are stopped at the end.
import { cpus, totalmem, loadavg } from 'node:os';
import { Results } from './results.mjs';
import { Budget } from './budget.mjs';
import { comparisons, growthTable } from './report.mjs';
import { startSize } from './phase-size.mjs';
import { measureRows } from './phase-rows.mjs';
import { startLogs } from './phase-logs.mjs';
import { measureParse, caMeasure, baselineMeasure } from './phase-other.mjs';

const load = () => loadavg().map((l) => Number(l.toFixed(2)));

export async function runBench(config, { log = () => {}, warn = log } = {}) {
  const results = new Results({
    mode: config.mode,
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    cpus: cpus().length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    loadAverage: { start: load() },
    budgetMs: config.budgetMs,
    warnings: [],
  });
  const budget = new Budget(config.budgetMs);
  const deadline = budget.deadline;
  // Everything started (simulators, cockpits) is stopped at the end, however the run ends.
  const open = new Set();
  const ctx = {
    config,
    results,
    budget,
    log,
    warn: (message) => {
      results.meta.warnings.push(message);
      warn(`warning: ${message}`);
    },
    async track(promise) {
      const resource = await promise;
      open.add(resource);
      return resource;
    },
  };
  const stopAll = () => Promise.all([...open].map((r) => (r.term ? r.term.stop() : r.stop()).catch(() => {})));

  const baseline = baselineMeasure(ctx);
  const ca = caMeasure(ctx);
  const sizes = [];
  let logs;
  const attempt = (measure) => measure.attempt(ctx, deadline);
  const first = ['cockpit', 'serial', 'parallel', 'doctor', 'factsParallel'];
  try {
    // First pass.
    await measureParse(ctx, deadline);
    await baseline.attempt(ctx, deadline);
    await attempt(ca);
    for (const size of config.sizes.filter((s) => !s.last)) {
      const run = await startSize(ctx, size, deadline);
      if (!run) continue;
      sizes.push({ ...run, last: false });
      for (const name of first) await attempt(run.measures[name]);
    }
    await measureRows(ctx, deadline);
    logs = await startLogs(ctx, deadline);
    if (logs) for (const m of Object.values(logs.measures)) await attempt(m);
    for (const size of config.sizes.filter((s) => s.last)) {
      const run = await startSize(ctx, size, deadline);
      if (!run) continue;
      sizes.push({ ...run, last: true });
      for (const name of ['cockpit', 'serial', 'parallel']) await attempt(run.measures[name]);
    }
    // Repetitions, while the budget lasts: the smaller sizes, CA and logs first, then kubectl's serial
    // doctor facts (the slowest measure of all), the largest size last.
    const later = ['cockpit', 'serial', 'parallel', 'doctor', 'factsParallel'];
    for (let rep = 2; rep <= config.reps; rep++) {
      await attempt(baseline);
      for (const run of sizes.filter((r) => !r.last)) {
        for (const name of later) if (run.measures[name].runs < rep) await attempt(run.measures[name]);
      }
      if (ca.runs < rep) await attempt(ca);
      if (logs) {
        if (logs.measures.view.runs < Math.min(rep, config.logs.viewReps)) await attempt(logs.measures.view);
        for (const name of ['cli', 'kubectl']) if (logs.measures[name].runs < rep) await attempt(logs.measures[name]);
      }
      for (const run of sizes.filter((r) => !r.last)) if (run.measures.factsSerial.runs < rep - 1) await attempt(run.measures.factsSerial);
    }
    // The largest size: the doctor comparison (when the smaller size's runs say it fits), then more
    // repetitions, as long as they fit.
    for (const run of sizes.filter((r) => r.last)) {
      const smaller = sizes.filter((r) => !r.last).at(-1);
      for (const name of ['doctor', 'factsParallel', 'factsSerial']) {
        if (smaller?.measures[name].runs) run.measures[name].expectMs = smaller.measures[name].lastMs * (run.pods / smaller.pods);
      }
      for (const name of ['doctor', 'factsParallel']) await attempt(run.measures[name]);
      for (let rep = 2; rep <= config.reps; rep++) for (const name of ['cockpit', 'serial', 'parallel']) if (run.measures[name].runs < rep) await attempt(run.measures[name]);
      await attempt(run.measures.factsSerial);
    }
    // Measures the passes above never reached (the quick run's single repetition): once now.
    for (const run of sizes) if (run.measures.factsSerial.runs === 0 && !run.measures.factsSerial.failed) await attempt(run.measures.factsSerial);
  } finally {
    for (const run of sizes) await run.finish().catch((error) => ctx.warn(`${run.label}: ${error.message}`));
    logs?.finish();
    ca.finish();
    baseline.finish();
    await stopAll();
  }
  results.finalize();
  results.comparisons = comparisons(results);
  results.growth = growthTable(results);
  results.meta.durationMs = Math.round(budget.elapsedMs);
  results.meta.loadAverage.end = load();
  // At the start nothing of the bench runs yet, so the load is other processes' (later it includes ours).
  const busy = results.meta.loadAverage.start[0];
  if (busy > results.meta.cpus / 2) ctx.warn(`the machine was busy before the bench started (load average ${busy} on ${results.meta.cpus} CPUs): other processes shared the cores, so times are longer than on a quiet machine`);
  return results;
}
