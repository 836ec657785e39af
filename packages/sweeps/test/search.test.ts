import { Grid, optimize, suggestTpe, validateSweepConfig } from '@runlog/sweeps';
import { describe, expect, it } from 'vitest';
import { BRANIN_MINIMUM, branin, braninSweep } from './branin.js';

/** Runs a sweep in memory (optimize: no store): each trial's value is the objective. */
const simulate = (
  document: Record<string, unknown>,
  budget: number,
  objective: (p: Record<string, unknown>) => number,
) => optimize(document, objective, { trials: budget });

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
};

describe('grid search', () => {
  it("walks every combination once in wandb's order (parameters sorted, last fastest)", async () => {
    const config = validateSweepConfig({
      method: 'grid',
      parameters: {
        b: { values: ['x', 'y'] },
        a: { values: [1, 2, 3] },
        c: { distribution: 'q_uniform', min: 0, max: 0.3, q: 0.1 },
        d: { min: 1, max: 2 },
      },
    });
    const grid = new Grid(config.parameters);
    expect(grid.size).toBe(3 * 2 * 3 * 2);
    expect(grid.point(0)).toEqual({ a: 1, b: 'x', c: 0, d: 1 });
    expect(grid.point(1)).toEqual({ a: 1, b: 'x', c: 0, d: 2 });
    expect(grid.point(2)).toEqual({ a: 1, b: 'x', c: 0.1, d: 1 });
    expect(grid.point(35)).toEqual({ a: 3, b: 'y', c: 0.2, d: 2 });
    const trials = await simulate(config.raw, 100, () => 0);
    expect(trials).toHaveLength(36);
    expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(36);
    expect(trials.map((t) => t.gridIndex)).toEqual(Array.from({ length: 36 }, (_, i) => i));
  });

  it('metric.target ends the sweep once a trial reaches it', async () => {
    const document = {
      method: 'grid',
      metric: { name: 'y', goal: 'maximize', target: 3 },
      parameters: { a: { values: [1, 2, 3, 4, 5] } },
    };
    expect((await simulate(document, 100, (p) => p.a as number)).map((t) => t.value)).toEqual([1, 2, 3]);
  });

  it('run_cap limits the trials', async () => {
    expect(
      await simulate({ method: 'grid', run_cap: 4, parameters: { a: { values: [1, 2, 3, 4, 5, 6] } } }, 100, () => 0),
    ).toHaveLength(4);
  });
});

describe('bayes search (TPE)', () => {
  it('is deterministic for a seed and a set of trials', async () => {
    const a = await simulate(braninSweep('bayes', 3), 15, (p) => branin(p.x1 as number, p.x2 as number));
    const b = await simulate(braninSweep('bayes', 3), 15, (p) => branin(p.x1 as number, p.x2 as number));
    expect(a.map((t) => t.params)).toEqual(b.map((t) => t.params));
    const c = await simulate(braninSweep('bayes', 4), 15, (p) => branin(p.x1 as number, p.x2 as number));
    expect(c.map((t) => t.params)).not.toEqual(a.map((t) => t.params));
  });

  it('beats random search on Branin: median best of 30 trials over 20 seeds', async () => {
    const best = async (method: 'random' | 'bayes', seed: number) =>
      Math.min(
        ...(await simulate(braninSweep(method, seed), 30, (p) => branin(p.x1 as number, p.x2 as number))).map(
          (t) => t.value!,
        ),
      );
    const seeds = Array.from({ length: 20 }, (_, i) => 100 + i);
    const tpe = median(await Promise.all(seeds.map((s) => best('bayes', s))));
    const random = median(await Promise.all(seeds.map((s) => best('random', s))));
    console.log(
      `Branin, 30 trials, median best over 20 seeds: TPE ${tpe.toFixed(4)}, random ${random.toFixed(4)} (minimum ${BRANIN_MINIMUM})`,
    );
    expect(tpe).toBeLessThan(random);
    expect(tpe).toBeGreaterThanOrEqual(BRANIN_MINIMUM - 1e-6);
  });

  it('counts running trials as bad (constant liar): two agents asking at once get different points', async () => {
    const config = validateSweepConfig(braninSweep('bayes', 1));
    const trials = await simulate(config.raw, 12, (p) => branin(p.x1 as number, p.x2 as number));
    const searchTrials = trials.map((t) => ({
      number: t.number,
      params: t.params,
      status: 'finished' as const,
      value: t.value,
    }));
    const first = suggestTpe(config.parameters, 'minimize', searchTrials, { seed: 1, trialNumber: 12 });
    const withRunning = [...searchTrials, { number: 12, params: first, status: 'running' as const }];
    const second = suggestTpe(config.parameters, 'minimize', withRunning, { seed: 1, trialNumber: 12 });
    expect(second).not.toEqual(first);
  });

  it('maximises when the goal says so, and handles categorical, integer and log parameters', async () => {
    const document = {
      method: 'bayes',
      seed: 5,
      metric: { name: 'score', goal: 'maximize' },
      parameters: {
        kind: { values: ['bad', 'good', 'ok'] },
        units: { min: 1, max: 64 },
        lr: { distribution: 'log_uniform_values', min: 1e-5, max: 1 },
        noise: { distribution: 'normal', mu: 0, sigma: 1 },
      },
    };
    const score = (p: Record<string, unknown>) =>
      (p.kind === 'good' ? 1 : 0) -
      Math.abs(Math.log10(p.lr as number) + 2) / 5 -
      Math.abs((p.units as number) - 32) / 64;
    const trials = await simulate(document, 40, score);
    const late = trials.slice(25);
    expect(late.filter((t) => t.params.kind === 'good').length).toBeGreaterThan(late.length / 2);
    for (const t of trials) {
      expect(Number.isInteger(t.params.units)).toBe(true);
      expect(t.params.units as number).toBeGreaterThanOrEqual(1);
      expect(t.params.lr as number).toBeLessThanOrEqual(1);
    }
  });
});
