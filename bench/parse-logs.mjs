// Access-log parse throughput on one core: node bench/parse-logs.mjs (after `npm run build`);
// `taskset -c 0 node bench/parse-logs.mjs` keeps it (and the GC's helper threads) on one CPU.
// Target (issue 6): 300,000 lines/s for Istio's default TEXT format.
//
// The corpus is the real published lines of test/fixtures/access-logs/ (TEXT 1.9+, pre-1.9,
// JSON), each copy made unique (request id, path, timings) so no string is parsed twice, plus a
// share of istio-agent lines that are not access logs. Prints lines/s per kind (median of rounds).
// `--json` prints the medians as one JSON object instead (scripts/bench.mjs runs it that way).
import { readFileSync } from 'node:fs';
import { summarize } from './stats.mjs';
const dist = process.env.MESHDECK_DIST ?? '../dist';
const { parseLogLine } = await import(new URL(`${dist}/mesh/access-log/parse.js`, import.meta.url).href);

const LINES = Number(process.env.BENCH_LINES ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const JSON_OUTPUT = process.argv.includes('--json');
const fixtures = new URL('../test/fixtures/access-logs/', import.meta.url);
const read = (name) => readFileSync(new URL(name, fixtures), 'utf8').split('\n').filter((l) => l.trim() !== '');

const text19 = read('envoy-default-text.log');
const textOld = read('istio-pre-1.9-text.log');
const json = read('istio-json.log');
const agent = [
  '2024-01-09T15:35:47.283123Z\tinfo\txdsproxy\tconnected to upstream XDS server: istiod.istio-system.svc:15012',
  '2024-01-09T15:35:48.001234Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:152\tStreamAggregatedResources gRPC config stream to xds-grpc closed: 14, transport is closing\tthread=17',
];

let seed = 1;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
/** A copy of a real line with its request id, numbers and path varied, so every line is a new string. */
function vary(line, i) {
  return line
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, () => `${(i >>> 0).toString(16).padStart(8, '0')}-6d84-929d-98bd-${String(rand(1e12)).padStart(12, '0')}`)
    .replace(/ (\d+) (\d+) (\d+) (\d+|-) "/, (_m, a, b, c, d) => ` ${a} ${Number(b) + rand(5000)} ${rand(900)} ${d === '-' ? '-' : rand(900)} "`)
    .replace(/"(GET|POST) \/(\S*)/, (_m, method, path) => `"${method} /${path}${i % 7 === 0 ? `?page=${i}` : ''}`);
}

function corpus(sources, count) {
  const out = [];
  for (let i = 0; i < count; i++) out.push(vary(sources[i % sources.length], i));
  // As read from a file: one big string split at newlines.
  return out.join('\n').split('\n');
}

function measure(label, lines) {
  const rates = [];
  let access = 0;
  for (let round = 0; round < ROUNDS; round++) {
    access = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < lines.length; i++) if (parseLogLine(lines[i]).kind === 'access') access++;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(lines.length / seconds);
  }
  const summary = summarize(rates);
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  if (!JSON_OUTPUT) console.log(`${label.padEnd(34)} ${fmt(summary.median).padStart(10)} lines/s  (best ${fmt(summary.max)}, worst ${fmt(summary.min)}; ${access}/${lines.length} parsed as access logs)`);
  return { ...summary, samples: rates, accessLines: access, lines: lines.length };
}

if (!JSON_OUTPUT) console.log(`node ${process.version}, ${LINES.toLocaleString('en-US')} lines per run, median of ${ROUNDS} rounds, one core`);
// Warm-up so every path is optimized before timing.
measure('warm-up (mixed)', corpus([...text19, ...textOld, ...json, ...agent], Math.min(50_000, LINES)));
const results = {
  text: measure('TEXT, Istio 1.9+ default', corpus(text19, LINES)),
  textPre19: measure('TEXT, pre-1.9 layouts', corpus(textOld, LINES)),
  json: measure('JSON encoding', corpus(json, LINES)),
};
const mixed = [];
for (let i = 0; i < 9; i++) mixed.push(...text19);
mixed.push(...agent, ...agent, ...agent);
results.mixed = measure('mixed (~90% TEXT, agent lines)', corpus(mixed, LINES));
if (JSON_OUTPUT) console.log(JSON.stringify({ node: process.version, lines: LINES, rounds: ROUNDS, ...results }));
else if (results.text.median < 300_000) {
  console.log(`below the 300,000 lines/s target for TEXT`);
  process.exitCode = 1;
}
