import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: the bench is plain JavaScript (bench/*.mjs), without type declarations.
import { FIGURES, COMPARISONS } from '../../bench/report.mjs';

// `npm run bench -- --quick` end to end (tiny clusters, one repetition): every figure the full bench
// reports must be in the JSON with a sane value, so the harness cannot rot between full runs.

interface Figure {
  id: string;
  size: string;
  unit: string;
  kind: 'runs' | 'latency';
  median?: number;
  min?: number;
  max?: number;
  n: number;
  p50?: number;
  p95?: number;
  p99?: number;
  timeouts?: number;
}
interface Report {
  meta: { mode: string; durationMs: number; cpus: number };
  sizes: { label: string; pods?: number }[];
  figures: Figure[];
  comparisons: { size: string; meshdeck: string; kubectl: string; ratio: number }[];
  growth: { id: string; exponent: number; hint: string }[];
  skipped: { id: string; size: string; reason: string }[];
}

const SCRIPT = new URL('../../scripts/bench.mjs', import.meta.url).pathname;

function runQuick(out: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', [SCRIPT, '--quick', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** What a sane value is, by unit. */
function checkValue(f: Figure): void {
  const where = `${f.id} at ${f.size}`;
  if (f.kind === 'latency') {
    expect(f.n, where).toBeGreaterThan(0);
    expect(f.timeouts ?? 0, `${where}: unanswered keypresses`).toBe(0);
    expect(f.p50!, where).toBeGreaterThan(0);
    expect(f.p50!, where).toBeLessThanOrEqual(f.p95!);
    expect(f.p95!, where).toBeLessThanOrEqual(f.p99!);
    expect(f.p99!, where).toBeLessThan(5000);
    return;
  }
  expect(f.n, where).toBeGreaterThan(0);
  expect(f.min!, where).toBeLessThanOrEqual(f.median!);
  expect(f.median!, where).toBeLessThanOrEqual(f.max!);
  if (f.id === 'logs.view.rssGrowth') {
    expect(Math.abs(f.median!), where).toBeLessThan(2000);
  } else if (f.unit === 'ms') {
    expect(f.median!, where).toBeGreaterThan(0);
    expect(f.median!, where).toBeLessThan(120_000);
  } else if (f.unit === 'MB') {
    expect(f.median!, where).toBeGreaterThan(20);
    expect(f.median!, where).toBeLessThan(8000);
  } else {
    expect(f.unit, where).toBe('/s');
    expect(f.median!, where).toBeGreaterThan(0);
  }
}

describe('npm run bench -- --quick', () => {
  it('writes every figure with a sane value, the meshdeck/kubectl ratios and the growth with size', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdeck-bench-test-'));
    try {
      const out = join(dir, 'results.json');
      const run = await runQuick(out);
      expect(run.code, run.stderr.slice(-2000)).toBe(0);
      const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
      expect(report.meta.mode).toBe('quick');
      expect(report.skipped, JSON.stringify(report.skipped)).toEqual([]);

      const sized = report.sizes.filter((s) => s.pods);
      expect(sized.length).toBeGreaterThanOrEqual(2);
      const has = (id: string, size: string) => report.figures.find((f) => f.id === id && f.size === size);
      const expected: [string, string][] = [];
      for (const size of sized) for (const id of FIGURES.perSize as string[]) expected.push([id, size.label]);
      const others = report.sizes.filter((s) => !s.pods).map((s) => s.label);
      for (const group of ['rows', 'logs'] as const) {
        for (const id of FIGURES[group] as string[]) {
          const size = report.figures.find((f) => f.id === id)?.size;
          expect(size && others.includes(size), `${id} measured`).toBe(true);
          expected.push([id, size!]);
        }
      }
      for (const id of [...FIGURES.parse, ...FIGURES.ca, ...FIGURES.other] as string[]) {
        const figure = report.figures.find((f) => f.id === id);
        expect(figure, `${id} measured`).toBeDefined();
        expected.push([id, figure!.size]);
      }
      for (const [id, size] of expected) {
        const figure = has(id, size);
        expect(figure, `${id} at ${size}`).toBeDefined();
        checkValue(figure!);
      }

      // Every comparison, at every size where both sides exist, with a finite positive ratio.
      for (const c of COMPARISONS as { meshdeck: string; kubectl: string }[]) {
        const found = report.comparisons.filter((r) => r.meshdeck === c.meshdeck && r.kubectl === c.kubectl);
        expect(found.length, `${c.meshdeck} / ${c.kubectl}`).toBeGreaterThan(0);
        for (const r of found) expect(Number.isFinite(r.ratio) && r.ratio > 0, `${r.meshdeck} / ${r.kubectl} at ${r.size}`).toBe(true);
      }
      // Growth for every per-size figure.
      for (const id of FIGURES.perSize as string[]) {
        const g = report.growth.find((x) => x.id === id);
        expect(g, `growth of ${id}`).toBeDefined();
        expect(Number.isFinite(g!.exponent), `growth of ${id}`).toBe(true);
      }
      // The printed table names the ratio column.
      expect(run.stdout).toContain('| figure | size | meshdeck | kubectl | meshdeck/kubectl | target |');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
