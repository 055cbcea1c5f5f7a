// The printed report: one table (each figure, kubectl's beside it where there is one, the ratio, the
// target), then how each figure grows with size.
import { growth } from './stats.mjs';

export const LABELS = {
  'sim.start': 'simulator start (seeded, settled)',
  'sim.rss': 'simulator RSS',
  'cockpit.firstFrame': 'cockpit: start → first frame',
  'cockpit.allShown': 'cockpit: start → all clusters shown',
  'cockpit.peakRss': 'cockpit: peak RSS',
  'cockpit.scroll': 'cockpit: keypress→frame, scrolling (j)',
  'doctor.wall': 'meshdeck doctor --output json',
  'rows.allShown': 'cockpit: start → every workload row shown',
  'rows.peakRss': 'cockpit: peak RSS with those rows (after the watch events)',
  'rows.scroll': 'keypress→frame, scrolling the workload rows (j)',
  'rows.filter': 'keypress→frame, typing a / filter over them',
  'rows.churn': 'keypress→frame, scrolling while watch events arrive',
  'rows.churnRate': 'watch events/s the simulator delivered meanwhile',
  'logs.offered': 'log lines/s the followed proxies write',
  'logs.view.linesPerSecond': 'log lines/s into the cockpit log view',
  'logs.cli.linesPerSecond': 'meshdeck logs -f -o json, lines/s',
  'logs.view.keys': 'log view keypress→frame (k) under that load',
  'logs.view.rssGrowth': 'log view RSS change while streaming',
  'logs.view.peakRss': 'cockpit peak RSS in the log view',
  'parse.text': 'access-log parse, TEXT, one core',
  'parse.json': 'access-log parse, JSON, one core',
  'ca.generate': 'CA: root + 3 intermediates',
  'ca.stall': 'CA: longest event-loop stall',
  'pty.baseline': 'pty + node start → a trivial first frame (the floor)',
};

/** Every figure a run reports, by where it is measured (test/bench/quick.test.ts checks them all). */
export const FIGURES = {
  perSize: ['sim.start', 'sim.rss', 'cockpit.firstFrame', 'cockpit.allShown', 'cockpit.peakRss', 'cockpit.scroll', 'kubectl.getPods.serial', 'kubectl.getPods.parallel', 'doctor.wall', 'kubectl.doctorFacts.serial', 'kubectl.doctorFacts.parallel'],
  rows: ['rows.allShown', 'rows.peakRss', 'rows.scroll', 'rows.filter', 'rows.churn', 'rows.churnRate'],
  logs: ['logs.offered', 'logs.view.linesPerSecond', 'logs.cli.linesPerSecond', 'logs.kubectl.linesPerSecond', 'logs.view.keys', 'logs.view.rssGrowth', 'logs.view.peakRss'],
  parse: ['parse.text', 'parse.json'],
  ca: ['ca.generate', 'ca.stall'],
  other: ['pty.baseline'],
};

/** meshdeck figure against kubectl figure, same size; ratio = meshdeck / kubectl (medians). */
export const COMPARISONS = [
  { meshdeck: 'cockpit.allShown', kubectl: 'kubectl.getPods.serial', kubectlLabel: 'get pods -A, serial' },
  { meshdeck: 'cockpit.allShown', kubectl: 'kubectl.getPods.parallel', kubectlLabel: 'get pods -A, parallel' },
  { meshdeck: 'doctor.wall', kubectl: 'kubectl.doctorFacts.serial', kubectlLabel: 'same facts, serial' },
  { meshdeck: 'doctor.wall', kubectl: 'kubectl.doctorFacts.parallel', kubectlLabel: 'same facts, parallel' },
  { meshdeck: 'logs.view.linesPerSecond', kubectl: 'logs.kubectl.linesPerSecond', kubectlLabel: 'kubectl logs -f' },
  { meshdeck: 'logs.cli.linesPerSecond', kubectl: 'logs.kubectl.linesPerSecond', kubectlLabel: 'kubectl logs -f' },
];

const KUBECTL_IDS = new Set(COMPARISONS.map((c) => c.kubectl));

export function formatValue(value, unit) {
  if (!Number.isFinite(value)) return '–';
  if (unit === 'ms') return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
  if (unit === 'MB') return `${Math.round(value)} MB`;
  if (unit === '/s') return `${Math.round(value).toLocaleString('en-US')}/s`;
  return `${Math.round(value * 100) / 100} ${unit}`;
}

export function formatFigure(f) {
  if (!f) return '';
  if (f.kind === 'latency') return `${[f.p50, f.p95, f.p99].map((v) => Math.round(v)).join(' / ')} ms (n=${f.n}${f.timeouts ? `, ${f.timeouts} unanswered` : ''})`;
  const range = f.n > 1 ? ` (${formatValue(f.min, f.unit)}–${formatValue(f.max, f.unit)}, n=${f.n})` : ' (n=1)';
  return `${formatValue(f.median, f.unit)}${range}`;
}

function formatTarget(t) {
  if (!t) return '';
  return `${t.text} ${t.met ? '✓' : '✗'}`;
}

/** Ratios for every comparison whose two figures were measured. */
export function comparisons(results) {
  const out = [];
  for (const c of COMPARISONS) {
    for (const m of results.figures.filter((f) => f.id === c.meshdeck)) {
      const k = results.get(c.kubectl, m.size);
      if (!k) continue;
      const ratio = m.median / k.median;
      const faster = m.better === 'lower' ? ratio < 1 : ratio > 1;
      out.push({ size: m.size, meshdeck: c.meshdeck, kubectl: c.kubectl, kubectlLabel: c.kubectlLabel, ratio: Number(ratio.toFixed(3)), meshdeckFaster: faster });
    }
  }
  return out;
}

/** Growth of each figure measured at two or more of the sized runs (x = total pods). */
export function growthTable(results) {
  const podsOf = new Map(results.sizes.filter((s) => s.pods).map((s) => [s.label, s.pods]));
  const ids = [...new Set(results.figures.filter((f) => podsOf.has(f.size)).map((f) => f.id))];
  const out = [];
  for (const id of ids) {
    const points = results.figures
      .filter((f) => f.id === id && podsOf.has(f.size))
      .map((f) => ({ size: f.size, pods: podsOf.get(f.size), value: f.kind === 'latency' ? f.p95 : f.median }));
    const g = growth(points.map((p) => ({ size: p.pods, value: p.value })));
    if (!g) continue;
    out.push({ id, measure: points[0] && results.get(id, points[0].size)?.kind === 'latency' ? 'p95' : 'median', points, exponent: Number(g.exponent.toFixed(2)), lastStep: Number(g.lastStep.toFixed(2)), hint: g.hint });
  }
  return out;
}

/** Figures by size (the sized runs by pod count, then rows and logs, then the rest), then as LABELS lists them. */
function ordered(results) {
  const sized = results.sizes.filter((s) => s.pods).sort((a, b) => a.pods - b.pods).map((s) => s.label);
  const sizes = [...sized, ...results.sizes.filter((s) => !s.pods).map((s) => s.label)];
  const sizeRank = (size) => (sizes.includes(size) ? sizes.indexOf(size) : sizes.length);
  const ids = Object.keys(LABELS);
  const idRank = (id) => (ids.includes(id) ? ids.indexOf(id) : ids.length);
  return [...results.figures].sort((a, b) => sizeRank(a.size) - sizeRank(b.size) || idRank(a.id) - idRank(b.id));
}

export function renderReport(results) {
  const lines = [];
  const m = results.meta;
  lines.push(`meshdeck bench (${m.mode}) ${m.date}: ${m.platform}, ${m.cpus} CPUs, ${m.memoryGb} GB, node ${m.node}, load average ${m.loadAverage.start.join(' ')} at start, ${m.loadAverage.end?.join(' ') ?? '?'} at end; ${Math.round(m.durationMs / 1000)} s`);
  lines.push('');
  lines.push('| figure | size | meshdeck | kubectl | meshdeck/kubectl | target |');
  lines.push('|---|---|---|---|---|---|');
  const cmp = results.comparisons;
  for (const f of ordered(results)) {
    if (KUBECTL_IDS.has(f.id)) continue;
    const pairs = cmp.filter((c) => c.meshdeck === f.id && c.size === f.size);
    const label = LABELS[f.id] ?? f.id;
    if (pairs.length === 0) {
      lines.push(`| ${label} | ${f.size} | ${formatFigure(f)} |  |  | ${formatTarget(f.target)} |`);
      continue;
    }
    for (const [i, c] of pairs.entries()) {
      const k = results.get(c.kubectl, f.size);
      const verdict = Math.abs(Math.log(c.ratio)) < Math.log(1.05) ? 'even' : c.meshdeckFaster ? 'meshdeck faster' : 'kubectl faster';
      lines.push(`| ${i === 0 ? label : '″'} | ${f.size} | ${i === 0 ? formatFigure(f) : '″'} | ${c.kubectlLabel}: ${formatFigure(k)} | ${c.ratio.toFixed(2)} (${verdict}) | ${i === 0 ? formatTarget(f.target) : ''} |`);
    }
  }
  // kubectl figures whose meshdeck counterpart was not measured at that size.
  for (const f of results.figures.filter((f) => KUBECTL_IDS.has(f.id) && !cmp.some((c) => c.kubectl === f.id && c.size === f.size))) {
    lines.push(`| (${f.id}) | ${f.size} |  | ${formatFigure(f)} |  |  |`);
  }
  if (results.growth.length > 0) {
    lines.push('');
    lines.push('Growth with size (x = total pods; exponent b of value ≈ a·pods^b: 1 linear, 2 quadratic; last step = b between the two largest sizes):');
    lines.push('');
    for (const g of results.growth) {
      const pts = g.points.map((p) => `${p.size} ${formatValue(p.value, results.get(g.id, p.size).unit)}`).join(' → ');
      lines.push(`- ${LABELS[g.id] ?? g.id} (${g.measure}): ${pts}: b = ${g.exponent} (${g.hint}), last step ${g.lastStep}`);
    }
  }
  if (results.skipped.length > 0) {
    lines.push('');
    lines.push('Not measured:');
    for (const s of results.skipped) lines.push(`- ${LABELS[s.id] ?? s.id} at ${s.size}: ${s.reason}`);
  }
  return lines.join('\n');
}
