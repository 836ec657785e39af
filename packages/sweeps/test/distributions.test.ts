import {
  continuousCdf,
  type DistributionName,
  type ParameterSpec,
  SeededRandom,
  validateSweepConfig,
  valueAt,
} from '@runlog/sweeps';
import { describe, expect, it } from 'vitest';
import { normalCdf, normalPpf } from '../src/search/normalDistribution.js';
import { discreteKsStatistic, ksCritical, ksStatistic } from './ksTest.js';

const N = 4000;

function spec(definition: Record<string, unknown>): ParameterSpec {
  return validateSweepConfig({ method: 'random', parameters: { p: definition } }).parameters[0];
}

function draw(parameter: ParameterSpec, seed: number): number[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: N }, () => valueAt(parameter, random.next()) as number);
}

const continuous: Array<[DistributionName, Record<string, unknown>]> = [
  ['uniform', { min: -2, max: 3 }],
  ['log_uniform', { min: -3, max: 2 }],
  ['log_uniform_values', { min: 1e-5, max: 1e-1 }],
  ['inv_log_uniform', { min: -1, max: 4 }],
  ['inv_log_uniform_values', { min: 0.01, max: 10 }],
  ['normal', { mu: 3, sigma: 2 }],
  ['log_normal', { mu: -1, sigma: 0.5 }],
];

const quantised: Array<[DistributionName, Record<string, unknown>, number]> = [
  ['q_uniform', { min: 0, max: 10, q: 0.5 }, 0.5],
  ['q_log_uniform', { min: 0, max: 5, q: 2 }, 2],
  ['q_log_uniform_values', { min: 1, max: 1000, q: 5 }, 5],
  ['q_normal', { mu: 10, sigma: 3, q: 1 }, 1],
  ['q_log_normal', { mu: 2, sigma: 0.7, q: 0.5 }, 0.5],
];

describe('random search draws each distribution exactly (Kolmogorov-Smirnov, alpha 0.001, fixed seeds)', () => {
  it.each(continuous)('%s', (distribution, fields) => {
    const parameter = spec({ distribution, ...fields });
    for (const seed of [1, 2, 3]) {
      const samples = draw(parameter, seed);
      const d = ksStatistic(samples, (x) => continuousCdf(parameter, x)!);
      expect(d).toBeLessThan(ksCritical(N));
    }
  });

  it.each(quantised)('%s (on its lattice)', (distribution, fields, q) => {
    const parameter = spec({ distribution, ...fields });
    const samples = draw(parameter, 11);
    for (const value of samples) expect(Math.abs(value / q - Math.round(value / q))).toBeLessThan(1e-9);
    const support = [...new Set(samples)];
    // P(Y <= y) for y on the lattice is P(X < y + q/2) of the unquantised law.
    const d = discreteKsStatistic(samples, support, (y) => continuousCdf(parameter, y + q / 2)!);
    expect(d).toBeLessThan(ksCritical(N));
  });

  it('int_uniform: every integer of [min, max] equally often', () => {
    const parameter = spec({ min: -2, max: 7 });
    const samples = draw(parameter, 5);
    expect(Math.min(...samples)).toBe(-2);
    expect(Math.max(...samples)).toBe(7);
    expect(samples.every(Number.isInteger)).toBe(true);
    const support = Array.from({ length: 10 }, (_, i) => i - 2);
    const d = discreteKsStatistic(samples, support, (x) => continuousCdf(parameter, x)!);
    expect(d).toBeLessThan(ksCritical(N));
  });

  it('categorical: uniform over the values, or by the given probabilities (chi-square, alpha 0.001)', () => {
    const uniform = spec({ values: ['a', 'b', 'c', 'd'] });
    const weighted = spec({ values: [1, 2, 3], probabilities: [0.6, 0.3, 0.1] });
    const chiSquare = (values: unknown[], expected: number[], samples: unknown[]) =>
      values.reduce<number>((sum, value, i) => {
        const observed = samples.filter((s) => s === value).length;
        return sum + (observed - expected[i] * N) ** 2 / (expected[i] * N);
      }, 0);
    const random = new SeededRandom(9);
    const a = Array.from({ length: N }, () => valueAt(uniform, random.next()));
    const b = Array.from({ length: N }, () => valueAt(weighted, random.next()));
    expect(chiSquare(['a', 'b', 'c', 'd'], [0.25, 0.25, 0.25, 0.25], a)).toBeLessThan(16.27); // 3 dof
    expect(chiSquare([1, 2, 3], [0.6, 0.3, 0.1], b)).toBeLessThan(13.82); // 2 dof
  });

  it('constant: always its value', () => {
    expect(new Set(draw(spec({ value: 42 }), 1))).toEqual(new Set([42]));
  });

  it('a wrong distribution fails the test (the test has power)', () => {
    const parameter = spec({ distribution: 'log_uniform_values', min: 1e-5, max: 1e-1 });
    const uniform = spec({ min: 1e-5, max: 1e-1 });
    const d = ksStatistic(draw(uniform, 1), (x) => continuousCdf(parameter, x)!);
    expect(d).toBeGreaterThan(ksCritical(N));
  });

  it('the normal functions are accurate', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalCdf(-8)).toBeCloseTo(6.22096057427178e-16, 25);
    for (const p of [1e-10, 0.001, 0.02, 0.3, 0.5, 0.9, 0.999]) expect(normalCdf(normalPpf(p))).toBeCloseTo(p, 13);
  });

  it('the generator is seeded: the same seed gives the same numbers, another seed others', () => {
    const take = (seed: number) =>
      Array.from(
        { length: 5 },
        (() => {
          const r = new SeededRandom(seed);
          return () => r.next();
        })(),
      );
    expect(take(3)).toEqual(take(3));
    expect(take(3)).not.toEqual(take(4));
  });
});
