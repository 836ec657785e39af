/**
 * Benchmarks on a shared, noisy machine: the two sides run interleaved (A B A B ...), each at least five times,
 * and we report the minimum and the median of each side and their ratio. Never a timed test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Side {
  name: string;
  /** One measured repetition; returns the value measured (seconds, or a throughput when `higherIsBetter`). */
  run: () => Promise<number> | number;
}

export interface SideResult {
  name: string;
  samples: number[];
  min: number;
  median: number;
}

export interface Comparison {
  title: string;
  unit: string;
  higherIsBetter: boolean;
  sides: SideResult[];
  /** Ratio of the first side's median to the second's (and of their best values). */
  ratioMedian: number;
  ratioBest: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs every side `repeats` times, interleaved, after one untimed warm-up round. */
export async function interleave(
  title: string,
  sides: Side[],
  options: { repeats?: number; unit: string; higherIsBetter?: boolean; warmup?: boolean },
): Promise<Comparison> {
  const repeats = Math.max(5, options.repeats ?? 5);
  const higherIsBetter = options.higherIsBetter ?? false;
  if (options.warmup !== false) for (const side of sides) await side.run();
  const samples = sides.map(() => [] as number[]);
  for (let r = 0; r < repeats; r++) {
    for (let s = 0; s < sides.length; s++) samples[s].push(await sides[s].run());
  }
  const results = sides.map((side, s) => {
    const best = higherIsBetter ? Math.max(...samples[s]) : Math.min(...samples[s]);
    return { name: side.name, samples: samples[s], min: best, median: median(samples[s]) };
  });
  const [a, b] = results;
  return {
    title,
    unit: options.unit,
    higherIsBetter,
    sides: results,
    ratioMedian: b ? a.median / b.median : Number.NaN,
    ratioBest: b ? a.min / b.min : Number.NaN,
  };
}

const fmt = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(4));

/** Prints a comparison as a small table. "best" is the minimum (or the maximum of a throughput). */
export function printComparison(c: Comparison): void {
  console.log(`\n${c.title}  (${c.unit}; ${c.higherIsBetter ? 'higher' : 'lower'} is better)`);
  for (const s of c.sides)
    console.log(`  ${s.name.padEnd(44)} best ${fmt(s.min).padStart(12)}   median ${fmt(s.median).padStart(12)}`);
  if (c.sides.length > 1)
    console.log(
      `  ratio ${c.sides[0].name} / ${c.sides[1].name}: median ${c.ratioMedian.toFixed(3)}, best ${c.ratioBest.toFixed(3)}`,
    );
}

/** Writes the JSON results of one bench script to bench/results/<name>.json. */
export function writeResults(name: string, results: unknown): string {
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', `${name}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ name, at: new Date().toISOString(), results }, null, 2)}\n`);
  return file;
}
