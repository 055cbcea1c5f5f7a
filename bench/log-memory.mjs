// The cockpit's log view over a long run: node bench/log-memory.mjs [SECONDS] (default 300; after
// `npm run build`). The healthy scenario's shop/frontend at 25 pods in each of 2 clusters, every proxy
// writing 400 lines/s (20,000/s, as in `npm run bench`), followed in the log view at 200×50; the
// cockpit's RSS is read every 10 s. Issue 6 asks for flat memory over an hour at a high rate: the
// verdict compares the lowest RSS of the first and the last fifth of the run, after a minute of warm-up
// (the buffer fills, the heap grows to where the garbage collector keeps it), which a leak raises and the
// collector's sawtooth does not.
import { startSim } from './sim.mjs';
import { openCockpit, memory } from './cockpit.mjs';

const seconds = Number(process.argv[2] ?? 300);
// The run after the warm-up minute.
if (!(seconds >= 60)) {
  console.error('log-memory: give the run in seconds, at least 60');
  process.exit(2);
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sim = await startSim({ clusters: 2, podsPerCluster: 100, scenario: 'healthy', replicasPerWorkload: 25, proxyLogLinesPerSecond: 400 });
const cockpit = await openCockpit({ kubeconfig: sim.kubeconfig, clusters: 2, minWorkloads: 4 });
const { term, pid } = cockpit;
try {
  term.write('3');
  await sleep(300);
  term.write('/frontend\r');
  await term.waitFor((f) => f.text.includes('/frontend)'), { timeoutMs: 10_000 });
  term.write('l');
  await term.waitFor((f) => /50\/50 pods following/.test(f.text) && /10000 lines/.test(f.text), { timeoutMs: 60_000 });
  await sleep(60_000);
  const samples = [];
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    const rss = memory(pid).rss;
    samples.push(rss);
    console.log(`${Math.round((performance.now() - started) / 1000)} s: RSS ${rss} MB`);
    await sleep(10_000);
  }
  const fifth = Math.max(1, Math.floor(samples.length / 5));
  const low = (part) => Math.min(...part);
  const first = low(samples.slice(0, fifth));
  const last = low(samples.slice(-fifth));
  console.log(`lowest RSS, first fifth ${first} MB, last fifth ${last} MB (${last - first >= 0 ? '+' : ''}${last - first} MB); highest ${Math.max(...samples)} MB over ${seconds} s`);
} finally {
  await term.stop('\x03');
  await sim.stop();
}
process.exit(0);
