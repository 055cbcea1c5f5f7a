// The log pipeline end to end on the healthy scenario: shop/frontend at `replicas` pods in each of the
// two clusters, every istio-proxy writing `linesPerSecond`; lines per second into the cockpit's log view,
// out of `meshdeck logs -f -o json`, and out of `kubectl logs -f` on the same pods. `startLogs` starts
// the simulator and returns the three measures (bench/run.mjs repeats them while the budget lasts).
import { startSim } from './sim.mjs';
import { logViewRate, meshdeckLogsFollow, kubectlLogsFollow } from './logs.mjs';
import { Measure, until } from './measure.mjs';

export const LOG_FIGURES = ['logs.offered', 'logs.view.linesPerSecond', 'logs.cli.linesPerSecond', 'logs.kubectl.linesPerSecond', 'logs.view.keys', 'logs.view.rssGrowth', 'logs.view.peakRss'];

export async function startLogs(ctx, deadline) {
  const { config, results, log } = ctx;
  const { replicas, linesPerSecond, warmupMs, windowMs, keys, keyMaxMs } = config.logs;
  const clusters = 2;
  const pods = clusters * replicas;
  const offered = pods * linesPerSecond;
  const label = `${pods} pods`;

  log(`logs: starting the simulator (healthy, ${pods} frontend pods at ${linesPerSecond} lines/s each)...`);
  let sim;
  try {
    sim = await ctx.track(startSim({ clusters, podsPerCluster: replicas * 4, scenario: 'healthy', replicasPerWorkload: replicas, proxyLogLinesPerSecond: linesPerSecond }, { timeoutMs: until(deadline, 10_000) }));
  } catch (error) {
    for (const id of LOG_FIGURES) results.skip(id, label, `the simulator did not start: ${error.message}`);
    return undefined;
  }
  results.addSize({ label, clusters, podsPerCluster: replicas * 4, scenario: 'healthy', followed: `shop/frontend, ${replicas} pods per cluster`, proxyLogLinesPerSecond: linesPerSecond });
  results.add('logs.offered', label, { unit: '/s', samples: [offered], better: 'higher', note: `${pods} istio-proxy containers × ${linesPerSecond} lines/s` });

  const window = { warmupMs, windowMs };
  const samples = { view: [], cli: [], kubectl: [], keys: [], keyTimeouts: 0, growth: [], peak: [] };
  const target = { namespace: 'shop', target: 'deploy/frontend', selector: 'app=frontend', pods: replicas };
  const measure = (name, figureIds, run) => new Measure({ name: `logs ${name}`, size: label, figureIds, run });
  const measures = {
    view: measure('view', ['logs.view.linesPerSecond', 'logs.view.keys', 'logs.view.rssGrowth', 'logs.view.peakRss'], async (deadline) => {
      const view = await logViewRate({ kubeconfig: sim.kubeconfig, clusters, workload: 'frontend', pods, minWorkloads: 4, timeoutMs: until(deadline) }, { warmupMs, windowMs, keypresses: keys, keyMaxMs });
      samples.view.push(view.linesPerSecond);
      samples.keys.push(...view.keys.latencies);
      samples.keyTimeouts += view.keys.timeouts;
      samples.growth.push(view.rssEndMb - view.rssStartMb);
      samples.peak.push(view.peakRssMb);
    }),
    cli: measure('meshdeck logs -f', ['logs.cli.linesPerSecond'], async () => {
      samples.cli.push((await meshdeckLogsFollow(sim.kubeconfig, target, window)).linesPerSecond);
    }),
    kubectl: measure('kubectl logs -f', ['logs.kubectl.linesPerSecond'], async () => {
      samples.kubectl.push((await kubectlLogsFollow(sim.kubeconfig, sim.contexts, target, window)).linesPerSecond);
    }),
  };

  return {
    label,
    measures,
    finish() {
      const keepsUp = { op: '>', value: offered * 0.95, text: `keeps up with ${offered.toLocaleString('en-US')}/s` };
      if (samples.view.length) results.add('logs.view.linesPerSecond', label, { unit: '/s', samples: samples.view, better: 'higher', target: keepsUp, note: 'read off "PAUSED (N new)" in the view header over the window' });
      if (samples.cli.length) results.add('logs.cli.linesPerSecond', label, { unit: '/s', samples: samples.cli, better: 'higher', target: keepsUp });
      if (samples.kubectl.length) results.add('logs.kubectl.linesPerSecond', label, { unit: '/s', samples: samples.kubectl, better: 'higher', note: 'one kubectl per context, side by side, lines summed' });
      if (samples.keys.length) results.addLatency('logs.view.keys', label, { samples: samples.keys, timeouts: samples.keyTimeouts, target: { op: '<', value: 50, text: 'p95 < 50 ms' } });
      if (samples.growth.length) results.add('logs.view.rssGrowth', label, { unit: 'MB', samples: samples.growth, note: `RSS after the keypresses minus RSS ${warmupMs / 1000} s into following (the buffer is a 10,000-line ring)` });
      if (samples.peak.length) results.add('logs.view.peakRss', label, { unit: 'MB', samples: samples.peak });
    },
    stop: () => sim.stop(),
  };
}
