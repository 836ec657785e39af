/**
 * How each parameter relates to the metric across finished trials, as the sweep page and `runlog sweep show`
 * present it. correlation: Pearson's r of a numeric parameter with the metric. importance: the correlation ratio
 * η² (the share of the metric's variance explained by grouping trials by the parameter: its values, or five
 * quantile bins of a continuous one), normalised to sum 1 over the parameters. A simple, deterministic stand-in
 * for wandb's random-forest importance that also sees non-monotonic effects.
 */
export interface ParameterStatistic {
  key: string;
  correlation: number | null;
  importance: number | null;
}

const BINS = 5;

export function pearson(xs: number[], ys: number[]): number | null {
  const n = xs.length;
  if (n < 3) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/** η²: between-group variance over total variance of ys, trials grouped by `groups`. */
export function correlationRatio(groups: string[], ys: number[]): number | null {
  const n = ys.length;
  if (n < 3) return null;
  const mean = ys.reduce((a, b) => a + b, 0) / n;
  const total = ys.reduce((sum, y) => sum + (y - mean) ** 2, 0);
  if (total === 0) return null;
  const byGroup = new Map<string, number[]>();
  groups.forEach((group, i) => {
    const list = byGroup.get(group) ?? [];
    list.push(ys[i]);
    byGroup.set(group, list);
  });
  if (byGroup.size < 2) return null;
  let between = 0;
  for (const values of byGroup.values()) {
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    between += values.length * (m - mean) ** 2;
  }
  return between / total;
}

/** Groups of a parameter's values: the value itself when there are few distinct ones, else quantile bins. */
function groupsOf(values: unknown[]): string[] {
  const distinct = new Set(values.map((v) => JSON.stringify(v)));
  if (distinct.size <= BINS || !values.every((v) => typeof v === 'number')) return values.map((v) => JSON.stringify(v));
  const sorted = [...(values as number[])].sort((a, b) => a - b);
  const edges = Array.from({ length: BINS - 1 }, (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / BINS)]);
  return (values as number[]).map((v) => String(edges.filter((edge) => v >= edge).length));
}

/** Statistics of every parameter key over trials with a metric value. */
export function parameterStatistics(
  keys: string[],
  trials: Array<{ params: Record<string, unknown>; value: number }>,
): ParameterStatistic[] {
  const raw = keys.map((key) => {
    const rows = trials.filter((t) => t.params[key] !== undefined);
    const values = rows.map((t) => t.params[key]);
    const ys = rows.map((t) => t.value);
    const numeric = values.every((v) => typeof v === 'number');
    return {
      key,
      correlation: numeric ? pearson(values as number[], ys) : null,
      eta: correlationRatio(groupsOf(values), ys),
    };
  });
  const sum = raw.reduce((s, r) => s + (r.eta ?? 0), 0);
  return raw.map(({ key, correlation, eta }) => ({
    key,
    correlation,
    importance: eta === null || sum === 0 ? null : eta / sum,
  }));
}
