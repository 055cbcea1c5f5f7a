// 50,000 workload rows: scrolling, typing a filter, and scrolling while the simulator delivers 10,000
// watch events per second (pods labelled in a loop, in-process), keypress to frame each time.
//
// The rows are bare pods (each its own workload row), 5,000 per cluster in 10 clusters, beside the
// plain scenario's few Deployments: the simulator needs minutes to seed 50,000 one-replica Deployments
// (see bench/sim-host.mjs), and for the cockpit a row is a row.
import { startSim } from './sim.mjs';
import { openCockpit, scroll, typeFilter, memory } from './cockpit.mjs';
import { until } from './measure.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const ROW_FIGURES = ['rows.allShown', 'rows.peakRss', 'rows.scroll', 'rows.filter', 'rows.churn', 'rows.churnRate'];

/** One cockpit session on 50,000 rows, within `allowanceMs` (and the overall `deadline`). */
export async function measureRows(ctx, deadline) {
  const { config, results, budget, log } = ctx;
  const { clusters, podsPerCluster, barePods, keys, maxMs, filterText, eventsPerSecond, allowanceMs } = config.rows;
  const rows = clusters * barePods;
  const label = `${rows.toLocaleString('en-US')} rows`;
  const phaseEnd = Math.min(deadline, performance.now() + allowanceMs);
  const skipAll = (reason) => ROW_FIGURES.forEach((id) => results.skip(id, label, reason));
  if (phaseEnd - performance.now() < 10_000) return skipAll(`time budget spent (${Math.round(budget.elapsedMs / 1000)} s in)`);

  log(`${label}: starting the simulator (${clusters} clusters, ${barePods} bare pods each)...`);
  let sim;
  try {
    sim = await ctx.track(startSim({ clusters, podsPerCluster, barePods }, { timeoutMs: until(phaseEnd, 10_000) }));
  } catch (error) {
    return skipAll(`the simulator did not start: ${error.message}`);
  }
  results.addSize({ label, clusters, podsPerCluster, barePods, rows, scenario: 'plain + bare pods in bench-rows' });
  let cockpit;
  try {
    cockpit = await ctx.track(openCockpit({ kubeconfig: sim.kubeconfig, clusters, minWorkloads: rows, timeoutMs: until(phaseEnd, 10_000) }));
    results.add('rows.allShown', label, { unit: 'ms', samples: [cockpit.allShownMs] });
    const { term, pid } = cockpit;
    term.write('3');
    await sleep(300);
    // Each part gets a share of what is left of the phase, and its own count.
    const share = (parts) => Math.max(1000, Math.min(maxMs, (phaseEnd - performance.now() - 5000) / parts));

    log(`${label}: scrolling`);
    const scrolled = await scroll(term, { count: keys, maxMs: share(3) });
    results.addLatency('rows.scroll', label, { samples: scrolled.latencies, timeouts: scrolled.timeouts, target: { op: '<', value: 50, text: 'p95 < 50 ms' } });

    log(`${label}: filtering`);
    const filtered = await typeFilter(term, { text: filterText, count: keys, maxMs: share(2) });
    results.addLatency('rows.filter', label, { samples: filtered.latencies, timeouts: filtered.timeouts, target: { op: '<', value: 50, text: 'p95 < 50 ms' }, note: `typing and deleting "${filterText}" one character at a time` });

    log(`${label}: scrolling while ${eventsPerSecond.toLocaleString('en-US')} watch events/s arrive`);
    const churnMs = share(1);
    const churn = sim.churn({ eventsPerSecond, durationMs: churnMs + 1000, maxEvents: Math.ceil((eventsPerSecond * (churnMs + 1000)) / 1000) });
    await sleep(1000);
    const busy = await scroll(term, { count: keys, maxMs: churnMs });
    const delivered = await churn;
    results.addLatency('rows.churn', label, { samples: busy.latencies, timeouts: busy.timeouts, target: { op: '<', value: 50, text: 'p95 < 50 ms' } });
    results.add('rows.churnRate', label, { unit: '/s', samples: [delivered.eventsPerSecond], better: 'higher', target: { op: '>', value: eventsPerSecond * 0.95, text: `≥ ${eventsPerSecond.toLocaleString('en-US')}/s asked` }, note: `${delivered.events} pod label updates in ${delivered.seconds.toFixed(1)} s, written by the simulator's own process while it serves the watches` });
    results.add('rows.peakRss', label, { unit: 'MB', samples: [memory(pid).peak] });
  } catch (error) {
    skipAll(`failed: ${error.message.split('\n')[0]}`);
  } finally {
    await cockpit?.term.stop();
    await sim.stop();
  }
}
