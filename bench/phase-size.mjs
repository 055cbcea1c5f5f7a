// One size (clusters × pods per cluster, the plain scenario): simulator start, the cockpit's start-up
// and memory, scrolling, kubectl get pods -A, meshdeck doctor against the kubectl calls for its facts.
// `startSize` starts the simulator and returns the size's measures; bench/run.mjs decides how often each
// runs (a first pass over every size, then more repetitions while the budget lasts), and `finish`
// turns the samples into figures.
import { startSim } from './sim.mjs';
import { openCockpit, scroll, memory } from './cockpit.mjs';
import { kubectlGetPods, kubectlDoctorFacts } from './kubectl.mjs';
import { meshdeckDoctor } from './doctor.mjs';
import { Measure, until } from './measure.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const SIZE_FIGURES = ['sim.start', 'sim.rss', 'cockpit.firstFrame', 'cockpit.allShown', 'cockpit.peakRss', 'cockpit.scroll', 'kubectl.getPods.serial', 'kubectl.getPods.parallel', 'doctor.wall', 'kubectl.doctorFacts.serial', 'kubectl.doctorFacts.parallel'];

/** Starts the simulator for a size; resolves with its measures, or undefined when it could not start. */
export async function startSize(ctx, { clusters, podsPerCluster }, deadline) {
  const { config, results, log } = ctx;
  const label = `${clusters}x${podsPerCluster}`;
  const pods = clusters * podsPerCluster;
  log(`${label}: starting the simulator (${pods.toLocaleString('en-US')} pods)...`);
  const t0 = performance.now();
  let sim;
  try {
    sim = await ctx.track(startSim({ clusters, podsPerCluster }, { timeoutMs: until(deadline, 10_000) }));
  } catch (error) {
    const reason = performance.now() >= deadline - 1000 ? `the simulator did not start within the time budget (${Math.round(ctx.budget.elapsedMs / 1000)} s in)` : `the simulator did not start: ${error.message}`;
    for (const id of SIZE_FIGURES) results.skip(id, label, reason);
    return undefined;
  }
  const simMs = performance.now() - t0;
  results.addSize({ label, clusters, podsPerCluster, pods, scenario: 'plain' });
  results.add('sim.start', label, { unit: 'ms', samples: [simMs] });
  log(`${label}: simulator up in ${Math.round(simMs / 1000)} s`);

  const samples = { firstFrame: [], allShown: [], peakRss: [], scroll: [], scrollTimeouts: 0, serial: [], parallel: [], doctor: [], factsSerial: [], factsParallel: [] };
  const minWorkloads = Math.ceil(podsPerCluster / replicasFor(podsPerCluster)) * clusters;
  const measure = (name, figureIds, run) => new Measure({ name: `${label} ${name}`, size: label, figureIds, run });

  const measures = {
    cockpit: measure('cockpit', ['cockpit.firstFrame', 'cockpit.allShown', 'cockpit.peakRss', 'cockpit.scroll'], async (deadline) => {
      const cockpit = await ctx.track(openCockpit({ kubeconfig: sim.kubeconfig, clusters, minWorkloads, timeoutMs: until(deadline) }));
      try {
        samples.firstFrame.push(cockpit.firstFrameMs);
        samples.allShown.push(cockpit.allShownMs);
        // Scrolling once per size: the keypresses are its repetitions.
        if (samples.scroll.length === 0) {
          cockpit.term.write('3');
          await sleep(300);
          const s = await scroll(cockpit.term, { count: config.scroll.keys, maxMs: Math.min(config.scroll.maxMs, until(deadline) - 2000) });
          samples.scroll.push(...s.latencies);
          samples.scrollTimeouts += s.timeouts;
        } else await sleep(500);
        samples.peakRss.push(memory(cockpit.pid).peak);
      } finally {
        await cockpit.term.stop();
      }
    }),
    serial: measure('kubectl get pods -A, serial', ['kubectl.getPods.serial'], async (deadline) => {
      const r = await kubectlGetPods(sim.kubeconfig, sim.contexts, { parallel: false, timeoutMs: until(deadline) });
      if (r.lines < pods) ctx.warn(`${label}: kubectl printed ${r.lines} pods, expected at least ${pods}`);
      samples.serial.push(r.ms);
    }),
    parallel: measure('kubectl get pods -A, parallel', ['kubectl.getPods.parallel'], async (deadline) => {
      samples.parallel.push((await kubectlGetPods(sim.kubeconfig, sim.contexts, { parallel: true, timeoutMs: until(deadline) })).ms);
    }),
    doctor: measure('meshdeck doctor', ['doctor.wall'], async (deadline) => {
      const r = await meshdeckDoctor(sim.kubeconfig, { killAfterMs: until(deadline) });
      if (r.clusters !== clusters) ctx.warn(`${label}: meshdeck doctor reported ${r.clusters} clusters, expected ${clusters}`);
      samples.doctor.push(r.ms);
    }),
    factsParallel: measure('kubectl doctor facts, parallel', ['kubectl.doctorFacts.parallel'], async (deadline) => {
      samples.factsParallel.push((await kubectlDoctorFacts(sim.kubeconfig, sim.contexts, { parallel: true, timeoutMs: until(deadline) })).ms);
    }),
    factsSerial: measure('kubectl doctor facts, serial', ['kubectl.doctorFacts.serial'], async (deadline) => {
      samples.factsSerial.push((await kubectlDoctorFacts(sim.kubeconfig, sim.contexts, { parallel: false, timeoutMs: until(deadline) })).ms);
    }),
  };

  return {
    label,
    pods,
    measures,
    /** Turns the samples into figures (and records the simulator's memory). */
    async finish() {
      const simRss = await sim.rss().catch(() => ({ peakRssMb: NaN }));
      results.add('sim.rss', label, { unit: 'MB', samples: [simRss.peakRssMb], note: 'the simulator process, peak' });
      const add = (id, values, options) => values.length > 0 && results.add(id, label, options(values));
      add('cockpit.firstFrame', samples.firstFrame, (v) => ({ unit: 'ms', samples: v, target: { op: '<', value: 300, text: '< 300 ms' }, note: 'from spawning `node dist/bundle/meshdeck.js` in a pty: node start-up included (see pty.baseline)' }));
      add('cockpit.allShown', samples.allShown, (v) => ({ unit: 'ms', samples: v }));
      add('cockpit.peakRss', samples.peakRss, (v) => ({ unit: 'MB', samples: v, ...(label === config.memoryTargetSize ? { target: { op: '<', value: 250, text: '< 250 MB' } } : {}) }));
      if (samples.scroll.length) results.addLatency('cockpit.scroll', label, { samples: samples.scroll, timeouts: samples.scrollTimeouts, target: { op: '<', value: 50, text: 'p95 < 50 ms' } });
      add('kubectl.getPods.serial', samples.serial, (v) => ({ unit: 'ms', samples: v }));
      add('kubectl.getPods.parallel', samples.parallel, (v) => ({ unit: 'ms', samples: v }));
      add('doctor.wall', samples.doctor, (v) => ({ unit: 'ms', samples: v }));
      add('kubectl.doctorFacts.serial', samples.factsSerial, (v) => ({ unit: 'ms', samples: v }));
      add('kubectl.doctorFacts.parallel', samples.factsParallel, (v) => ({ unit: 'ms', samples: v }));
      // Issue 5: everything shown faster than kubectl lists the same contexts one after another.
      const shown = results.get('cockpit.allShown', label);
      const serial = results.get('kubectl.getPods.serial', label);
      if (shown && serial) shown.target = { op: '<', value: serial.median, text: '< kubectl serial', met: shown.median < serial.median };
    },
    stop: () => sim.stop(),
  };
}

/** The simulator's default replicas per Deployment (source/sim/seed/workloads.ts). */
function replicasFor(podCount) {
  return podCount >= 100 ? 10 : podCount >= 20 ? 4 : 1;
}
