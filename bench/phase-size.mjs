// One size (clusters × pods per cluster, the plain scenario): simulator start, the cockpit's start-up
// and memory, scrolling, kubectl get pods -A, meshdeck doctor against the kubectl calls for its facts.
// Repetitions are interleaved (cockpit, kubectl, doctor, ...; again), so a drift in the machine's load
// touches every measure alike.
import { startSim } from './sim.mjs';
import { openCockpit, scroll, memory } from './cockpit.mjs';
import { kubectlGetPods, kubectlDoctorFacts } from './kubectl.mjs';
import { meshdeckDoctor } from './doctor.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureSize(ctx, { clusters, podsPerCluster, allowanceMs }) {
  const { config, results, budget, log } = ctx;
  const label = `${clusters}x${podsPerCluster}`;
  const pods = clusters * podsPerCluster;
  const phaseEnd = budget.phase(allowanceMs);
  const skipAll = (reason) => {
    for (const id of ['cockpit.firstFrame', 'cockpit.allShown', 'cockpit.peakRss', 'cockpit.scroll', 'kubectl.getPods.serial', 'kubectl.getPods.parallel', 'doctor.wall', 'kubectl.doctorFacts.serial', 'kubectl.doctorFacts.parallel']) results.skip(id, label, reason);
  };

  log(`${label}: starting the simulator (${pods.toLocaleString('en-US')} pods)...`);
  const simRefused = budget.refuse('sim.start', pods, phaseEnd);
  if (simRefused) {
    results.skip('sim.start', label, simRefused);
    skipAll(simRefused);
    return;
  }
  const t0 = performance.now();
  let sim;
  try {
    sim = await ctx.track(startSim({ clusters, podsPerCluster }, { timeoutMs: Math.max(10_000, phaseEnd - performance.now()) }));
  } catch (error) {
    const reason = `the simulator did not start: ${error.message}`;
    results.skip('sim.start', label, reason);
    skipAll(reason);
    return;
  }
  const simMs = performance.now() - t0;
  budget.record('sim.start', pods, simMs);
  results.addSize({ label, clusters, podsPerCluster, pods, scenario: 'plain' });
  results.add('sim.start', label, { unit: 'ms', samples: [simMs] });
  log(`${label}: simulator up in ${Math.round(simMs / 1000)} s`);

  const samples = { firstFrame: [], allShown: [], peakRss: [], serial: [], parallel: [], doctor: [], factsSerial: [], factsParallel: [] };
  let scrollLatencies;
  let scrollTimeouts = 0;
  const minWorkloads = Math.ceil(podsPerCluster / replicasFor(podsPerCluster)) * clusters;
  // Each measure: skipped when it would not fit, timed for the next size's estimate.
  const timed = async (id, fn, figureIds = [id]) => {
    const refused = budget.refuse(id, pods, phaseEnd);
    if (refused) {
      for (const figure of figureIds) results.skip(figure, label, refused);
      return undefined;
    }
    const started = performance.now();
    try {
      return await fn();
    } catch (error) {
      for (const figure of figureIds) results.skip(figure, label, `failed: ${error.message.split('\n')[0]}`);
      return undefined;
    } finally {
      budget.record(id, pods, performance.now() - started);
    }
  };

  for (let rep = 0; rep < config.reps; rep++) {
    if (rep > 0 && budget.strict && performance.now() + budget.estimate('rep', pods) > phaseEnd) break;
    const repStarted = performance.now();
    log(`${label}: repetition ${rep + 1}`);
    await timed('cockpit', async () => {
      const cockpit = await ctx.track(openCockpit({ kubeconfig: sim.kubeconfig, clusters, minWorkloads, timeoutMs: Math.max(30_000, phaseEnd - performance.now()) }));
      try {
        samples.firstFrame.push(cockpit.firstFrameMs);
        samples.allShown.push(cockpit.allShownMs);
        if (rep === 0) {
          cockpit.term.write('3');
          await sleep(300);
          const s = await scroll(cockpit.term, { count: config.scroll.keys, maxMs: config.scroll.maxMs });
          scrollLatencies = s.latencies;
          scrollTimeouts = s.timeouts;
        } else await sleep(500);
        samples.peakRss.push(memory(cockpit.pid).peak);
      } finally {
        await cockpit.term.stop();
      }
    }, ['cockpit.firstFrame', 'cockpit.allShown', 'cockpit.peakRss', 'cockpit.scroll']);
    const serial = await timed('kubectl.getPods.serial', () => kubectlGetPods(sim.kubeconfig, sim.contexts, { parallel: false }));
    if (serial) {
      samples.serial.push(serial.ms);
      if (serial.lines < pods) ctx.warn(`${label}: kubectl printed ${serial.lines} pods, expected at least ${pods}`);
    }
    const parallel = await timed('kubectl.getPods.parallel', () => kubectlGetPods(sim.kubeconfig, sim.contexts, { parallel: true }));
    if (parallel) samples.parallel.push(parallel.ms);
    const doctor = await timed('doctor.wall', () => meshdeckDoctor(sim.kubeconfig));
    if (doctor) {
      samples.doctor.push(doctor.ms);
      if (doctor.clusters !== clusters) ctx.warn(`${label}: meshdeck doctor reported ${doctor.clusters} clusters, expected ${clusters}`);
    }
    const factsSerial = await timed('kubectl.doctorFacts.serial', () => kubectlDoctorFacts(sim.kubeconfig, sim.contexts, { parallel: false }));
    if (factsSerial) samples.factsSerial.push(factsSerial.ms);
    const factsParallel = await timed('kubectl.doctorFacts.parallel', () => kubectlDoctorFacts(sim.kubeconfig, sim.contexts, { parallel: true }));
    if (factsParallel) samples.factsParallel.push(factsParallel.ms);
    budget.record('rep', pods, performance.now() - repStarted);
  }

  const simRss = await sim.rss().catch(() => ({ peakRssMb: NaN }));
  results.add('sim.rss', label, { unit: 'MB', samples: [simRss.peakRssMb], note: 'the simulator process, peak' });
  const add = (id, values, options) => values.length > 0 && results.add(id, label, options(values));
  add('cockpit.firstFrame', samples.firstFrame, (v) => ({ unit: 'ms', samples: v, target: { op: '<', value: 300, text: '< 300 ms' }, note: 'from spawning `node dist/cli/main.js` in a pty, node start-up included' }));
  add('cockpit.allShown', samples.allShown, (v) => ({ unit: 'ms', samples: v }));
  add('cockpit.peakRss', samples.peakRss, (v) => ({ unit: 'MB', samples: v, ...(label === config.memoryTargetSize ? { target: { op: '<', value: 250, text: '< 250 MB' } } : {}) }));
  if (scrollLatencies?.length) results.addLatency('cockpit.scroll', label, { samples: scrollLatencies, timeouts: scrollTimeouts, target: { op: '<', value: 50, text: 'p95 < 50 ms' } });
  add('kubectl.getPods.serial', samples.serial, (v) => ({ unit: 'ms', samples: v }));
  add('kubectl.getPods.parallel', samples.parallel, (v) => ({ unit: 'ms', samples: v }));
  add('doctor.wall', samples.doctor, (v) => ({ unit: 'ms', samples: v }));
  add('kubectl.doctorFacts.serial', samples.factsSerial, (v) => ({ unit: 'ms', samples: v }));
  add('kubectl.doctorFacts.parallel', samples.factsParallel, (v) => ({ unit: 'ms', samples: v }));
  // Issue 5: at 10 × 5,000, everything shown faster than kubectl lists the same contexts one after another.
  const shown = results.get('cockpit.allShown', label);
  const serialFigure = results.get('kubectl.getPods.serial', label);
  if (shown && serialFigure) shown.target = { op: '<', value: serialFigure.median, text: '< kubectl serial', met: shown.median < serialFigure.median };
  await sim.stop();
}

/** The simulator's default replicas per Deployment (source/sim/seed/workloads.ts). */
function replicasFor(podCount) {
  return podCount >= 100 ? 10 : podCount >= 20 ? 4 : 1;
}
