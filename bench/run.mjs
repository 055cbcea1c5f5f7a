// Runs every phase within the budget and returns the results (see scripts/bench.mjs for the entry point).
import { cpus, totalmem, loadavg } from 'node:os';
import { Results } from './results.mjs';
import { Budget } from './budget.mjs';
import { comparisons, growthTable } from './report.mjs';
import { measureSize } from './phase-size.mjs';
import { measureRows } from './phase-rows.mjs';
import { measureLogs } from './phase-logs.mjs';
import { measureParse, measureCa } from './phase-other.mjs';

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
  const budget = new Budget(config.budgetMs, { strict: config.mode !== 'quick' });
  // Everything started (simulators, cockpits) is stopped if the run is cut short.
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

  try {
    await measureParse(ctx);
    await measureCa(ctx);
    const sizes = config.sizes.filter((s) => !s.last);
    for (const size of sizes) await measureSize(ctx, size);
    await measureRows(ctx);
    await measureLogs(ctx);
    for (const size of config.sizes.filter((s) => s.last)) await measureSize(ctx, size);
  } finally {
    await stopAll();
  }
  results.finalize();
  results.comparisons = comparisons(results);
  results.growth = growthTable(results);
  results.meta.durationMs = Math.round(budget.elapsedMs);
  results.meta.loadAverage.end = load();
  const busy = Math.max(results.meta.loadAverage.start[0], results.meta.loadAverage.end[0]);
  if (busy > results.meta.cpus) ctx.warn(`the machine was busy (load average ${busy} on ${results.meta.cpus} CPUs): other processes shared the cores, so times are longer than on a quiet machine`);
  return results;
}
