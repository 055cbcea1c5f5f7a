// The simulator in a child process of its own, so serving lists and watches never delays the bench's
// clock (the pty reader and the keypress timer run in the parent). Started by bench/sim.mjs with the
// MeshSim options as JSON in argv[2]; answers commands over IPC.
//
// Commands (each answered with { id, ok, ... }):
//   churn { eventsPerSecond, durationMs, maxEvents }: labels the bare pods in a loop through cluster.api
//     (every write is a watch event), at that rate, spread over the clusters, until durationMs or maxEvents.
//   scale { namespace, name, replicas }: sets a Deployment's replicas in every cluster that has it.
//   rss: the host's current and peak RSS.
//   stop: stops the simulator and exits.
import { readFileSync } from 'node:fs';
import { MeshSim } from '../dist/sim/mesh-sim.js';
import { K } from '../dist/sim/controllers/kinds.js';

const options = JSON.parse(process.argv[2]);
const kubeconfig = process.argv[3];
const barePods = options.barePods ?? 0;
delete options.barePods;

const started = performance.now();
const sim = await MeshSim.start({ podStartDelayMs: 0, ...options });
const startMs = performance.now() - started;
sim.writeKubeconfig(kubeconfig);

// Bare pods (each its own workload row in the cockpit) in a namespace no Service selects. Seeding the
// same number of one-replica Deployments takes the simulator minutes (its endpoints controller and
// node-port admission scan every Service per write), so the 50,000-row measures use these; `churn`
// labels them, each write one store update and one watch event per watcher.
const CHURN_NS = 'bench-rows';
if (barePods > 0) {
  for (const cluster of sim.clusters) {
    cluster.api.create(K.namespaces, undefined, { metadata: { name: CHURN_NS } });
    for (let i = 0; i < barePods; i++) {
      cluster.api.create(K.pods, CHURN_NS, {
        metadata: { name: `row-${String(i).padStart(5, '0')}`, namespace: CHURN_NS, labels: { app: `row-${i}`, version: 'v1' } },
        spec: { containers: [{ name: 'app', image: 'registry.example.com/churn:1' }] },
      });
    }
    cluster.settle();
  }
}

function rss() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
}

async function churn({ eventsPerSecond, durationMs, maxEvents }) {
  const targets = sim.clusters.map((cluster) => ({ cluster, names: cluster.store.list(K.pods, CHURN_NS).map((p) => p.metadata.name) })).filter((t) => t.names.length > 0);
  if (targets.length === 0) throw new Error('no bare pods to label (start the simulator with barePods)');
  const begin = performance.now();
  let done = 0;
  let round = 0;
  // Every 5 ms, catch up to the rate; bounded by count and time.
  while (done < maxEvents) {
    const elapsed = performance.now() - begin;
    if (elapsed >= durationMs) break;
    const due = Math.min(maxEvents, Math.floor((elapsed / 1000) * eventsPerSecond));
    while (done < due) {
      const target = targets[done % targets.length];
      const name = target.names[Math.floor(done / targets.length) % target.names.length];
      const pod = target.cluster.store.get(K.pods, CHURN_NS, name);
      target.cluster.api.update(K.pods, CHURN_NS, name, { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, 'bench/round': String(round++) } } });
      done++;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const seconds = (performance.now() - begin) / 1000;
  return { events: done, seconds, eventsPerSecond: done / seconds };
}

function scale({ namespace, name, replicas }) {
  let scaled = 0;
  for (const cluster of sim.clusters) {
    const deployment = cluster.store.get(K.deployments, namespace, name);
    if (!deployment) continue;
    cluster.api.update(K.deployments, namespace, name, { ...deployment, spec: { ...deployment.spec, replicas } });
    scaled++;
  }
  for (let round = 0; round < 3; round++) for (const cluster of sim.clusters) cluster.settle();
  return { scaled };
}

process.on('message', async (message) => {
  const { id, cmd, args = {} } = message;
  try {
    let result;
    if (cmd === 'churn') result = await churn(args);
    else if (cmd === 'scale') result = scale(args);
    else if (cmd === 'rss') result = rss();
    else if (cmd === 'stop') {
      await sim.stop();
      process.send({ id, ok: true }, () => process.exit(0));
      return;
    } else throw new Error(`unknown command ${cmd}`);
    process.send({ id, ok: true, ...result });
  } catch (error) {
    process.send({ id, ok: false, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));

process.send({ ready: true, startMs, contexts: sim.clusters.map((c) => c.name), ...rss() });
