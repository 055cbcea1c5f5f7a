// Small statistics for the bench: percentiles, median and spread of repeated runs, growth with size.

/** Nearest-rank percentile (p in 0..100) of the values; NaN for none. */
export function percentile(values, p) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Median, min, max and the spread ((max - min) / median) of repeated measurements. */
export function summarize(samples) {
  const values = samples.filter(Number.isFinite);
  if (values.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0, spread: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const min = sorted[0];
  const max = sorted.at(-1);
  return { median, min, max, n: sorted.length, spread: median === 0 ? 0 : (max - min) / Math.abs(median) };
}

/**
 * How a figure grows with size: the exponent b of value ≈ a·size^b, fitted over the sizes measured
 * (least squares on logs), with a hint: flat (b < 0.3), sublinear, linear (0.8–1.25), superlinear,
 * quadratic (b ≥ 1.75). Null with fewer than two sizes or non-positive values.
 */
export function growth(points) {
  const usable = points.filter((p) => p.size > 0 && p.value > 0 && Number.isFinite(p.value));
  const sizes = new Set(usable.map((p) => p.size));
  if (sizes.size < 2) return null;
  const xs = usable.map((p) => Math.log(p.size));
  const ys = usable.map((p) => Math.log(p.value));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  const exponent = num / den;
  // The last step alone shows a recent turn for the worse that a fit over all sizes would average away.
  const bySize = [...usable].sort((a, b) => a.size - b.size);
  const [a, b] = bySize.slice(-2);
  const lastStep = Math.log(b.value / a.value) / Math.log(b.size / a.size);
  return { exponent, lastStep, hint: growthHint(exponent) };
}

export function growthHint(exponent) {
  if (!Number.isFinite(exponent)) return 'unknown';
  if (exponent < 0.3) return 'flat';
  if (exponent < 0.8) return 'sublinear';
  if (exponent <= 1.25) return 'linear';
  if (exponent < 1.75) return 'superlinear';
  return 'quadratic';
}

export const ms = (value) => `${Math.round(value)} ms`;
