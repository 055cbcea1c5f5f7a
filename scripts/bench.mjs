// npm run bench: meshdeck against kubectl on the same simulated clusters. Needs `npm run build` first.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeshSim } from '../dist/sim/mesh-sim.js';
import { startPty, descendantPid, peakRssMb } from '../bench/pty.mjs';
import { kubectlGetPods } from '../bench/kubectl.mjs';
import { percentile, ms } from '../bench/stats.mjs';

const SIZES = (process.env.BENCH_SIZES ?? '1x1000,10x5000').split(',').map((s) => s.split('x').map(Number));
const meshdeck = `node ${new URL('../dist/cli/main.js', import.meta.url).pathname}`;
const results = [];

for (const [clusters, pods] of SIZES) {
  const label = `${clusters}x${pods}`;
  process.stderr.write(`bench ${label}: starting the simulator...\n`);
  const t0 = performance.now();
  const sim = await MeshSim.start({ clusters, podsPerCluster: pods, podStartDelayMs: 0 });
  const simStartMs = performance.now() - t0;
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-bench-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  sim.writeKubeconfig(kubeconfig);
  const contexts = sim.clusters.map((c) => c.name);

  const serial = await kubectlGetPods(kubeconfig, contexts, { parallel: false });
  const parallel = await kubectlGetPods(kubeconfig, contexts, { parallel: true });

  const term = startPty(`${meshdeck} --kubeconfig ${kubeconfig}`, { columns: 200, rows: 50 });
  const firstFrame = (await term.waitFor((t) => t.includes('meshdeck'))) - term.started;
  const allShown = (await term.waitFor((t) => t.includes(`clusters ${clusters}/${clusters} up`) && new RegExp(`Workloads \\((\\d+)\\)`).test(t) && Number(/Workloads \((\d+)\)/.exec(t)[1]) > 0 && !/\.\.\. loading|… loading/.test(t))) - term.started;
  // Keypress to frame: each 'j' moves the selection; the frame that follows is the answer.
  term.write('3');
  await new Promise((r) => setTimeout(r, 500));
  const latencies = [];
  for (let i = 0; i < 60; i++) {
    const sent = performance.now();
    term.write('j');
    const at = await term.waitFor(() => true, { after: sent, timeoutMs: 5000 }).catch(() => NaN);
    latencies.push(at - sent);
    await new Promise((r) => setTimeout(r, 30));
  }
  const pid = await descendantPid(term.child.pid);
  const rss = pid ? await peakRssMb(pid) : undefined;
  await term.stop();
  await sim.stop();
  results.push({ label, simStartMs, serial, parallel, firstFrame, allShown, latencies, rss });
  process.stderr.write(`bench ${label}: done\n`);
}

const lines = ['| size | sim start | first frame | all clusters shown | kubectl get pods -A, serial | kubectl, parallel | keypress→frame p50/p95/p99 | peak RSS |', '|---|---|---|---|---|---|---|---|'];
for (const r of results) {
  lines.push(`| ${r.label} | ${ms(r.simStartMs)} | ${ms(r.firstFrame)} | ${ms(r.allShown)} | ${ms(r.serial.ms)} (${r.serial.lines} pods) | ${ms(r.parallel.ms)} | ${[50, 95, 99].map((p) => Math.round(percentile(r.latencies, p))).join('/')} ms | ${r.rss ?? '?'} MB |`);
}
const report = lines.join('\n');
console.log(report);
writeFileSync(new URL('../bench/last-run.md', import.meta.url), `${new Date().toISOString()} on ${process.platform}/${process.arch}, node ${process.version}\n\n${report}\n`);

// CA: a root and three intermediates at RSA 4096 (issue 7: under 10 s on 2 cores), with the longest
// event-loop stall while the keys are made (the cockpit's spinner runs on that loop).
{
  const { createRootCa, createIntermediateCa } = await import('../dist/pki/authority.js');
  let stall = 0;
  let tick = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - tick);
    tick = now;
  }, 10);
  const started = performance.now();
  const root = await createRootCa({ key: { type: 'rsa', bits: 4096 } });
  await Promise.all(['east', 'west', 'central'].map((cluster) => createIntermediateCa(root, { cluster, key: { type: 'rsa', bits: 4096 } })));
  const elapsed = performance.now() - started;
  clearInterval(timer);
  console.log(`\nca: root + 3 intermediates, RSA 4096: ${ms(elapsed)} (longest event-loop stall ${Math.round(stall)} ms)`);
}
