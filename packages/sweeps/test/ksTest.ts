/** Kolmogorov-Smirnov helpers for the distribution tests (fixed seeds, so each test is deterministic). */

/** D = sup |F_n(x) - F(x)| of a sample against a continuous CDF. */
export function ksStatistic(samples: number[], cdf: (x: number) => number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/**
 * D on a lattice: the largest gap between the empirical and the true CDF at the support points. For a discrete
 * law this is the exact KS statistic, and its critical value is conservative.
 */
export function discreteKsStatistic(samples: number[], support: number[], cdf: (x: number) => number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  let d = 0;
  let below = 0;
  for (const point of [...support].sort((a, b) => a - b)) {
    while (below < sorted.length && sorted[below] <= point + 1e-9 * Math.max(1, Math.abs(point))) below++;
    d = Math.max(d, Math.abs(below / sorted.length - cdf(point)));
  }
  return d;
}

/** The asymptotic critical value of D at significance 0.001: 1.949 / sqrt(n). */
export function ksCritical(n: number): number {
  return 1.9495 / Math.sqrt(n);
}
