import { init } from '@runlog/core';
import {
  agent,
  curveOf,
  FileSweepState,
  hyperbandBands,
  hyperbandStops,
  sweep,
  validateSweepConfig,
} from '@runlog/sweeps';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QUIET, tempStore } from './tempStore.js';

const hyperband = (fields: Record<string, unknown>) =>
  validateSweepConfig({
    method: 'random',
    metric: { name: 'loss' },
    parameters: { a: { values: [1] } },
    early_terminate: { type: 'hyperband', ...fields },
  }).earlyTerminate!;

/** Advances every live trial one iteration at a time, applying the rule after each; returns when each stopped. */
function synchronous(curves: number[][], config: ReturnType<typeof hyperband>) {
  const logged = curves.map(() => [] as number[]);
  const stoppedAt = new Map<number, number>();
  for (let t = 0; t < curves[0].length; t++) {
    curves.forEach((curve, i) => {
      if (!stoppedAt.has(i)) logged[i].push(curve[t]);
    });
    const trials = logged.map((values, i) => ({
      id: String(i),
      running: !stoppedAt.has(i),
      curve: curveOf(values, 'minimize'),
    }));
    for (const stop of hyperbandStops(trials, config)) stoppedAt.set(Number(stop.id), stop.band);
  }
  return stoppedAt;
}

describe('Hyperband brackets and rule', () => {
  it("computes wandb's brackets from min_iter/eta and from max_iter/s/eta", () => {
    expect(hyperbandBands(hyperband({ min_iter: 1, eta: 3 })).slice(0, 5)).toEqual([1, 3, 9, 27, 81]);
    expect(hyperbandBands(hyperband({ min_iter: 2, eta: 2 })).slice(0, 4)).toEqual([2, 4, 8, 16]);
    expect(hyperbandBands(hyperband({ max_iter: 27, s: 3, eta: 3 }))).toEqual([1, 3, 9]);
    expect(hyperbandBands(hyperband({ max_iter: 81, s: 2 }))).toEqual([9, 27]);
    expect(hyperbandBands(hyperband({ max_iter: 100, s: 3, eta: 3 }))).toEqual([3, 11, 33]);
  });

  it('27 trials in one bracket set: successive halving keeps the top 1/eta at 1, 3, 9 and 27 iterations', () => {
    // Trial i logs the constant value i: the order never changes, so the published rule's result is known.
    const curves = Array.from({ length: 27 }, (_, i) => Array.from({ length: 30 }, () => i));
    const stoppedAt = synchronous(curves, hyperband({ min_iter: 1, eta: 3 }));
    const at = (band: number) =>
      [...stoppedAt]
        .filter(([, b]) => b === band)
        .map(([i]) => i)
        .sort((a, b) => a - b);
    // band 1: 27 values, threshold sorted[9] = 9 -> 10..26 stop; band 3: 10 left, sorted[3] = 3 -> 4..9 stop;
    // band 9: 4 left, sorted[1] = 1 -> 2, 3 stop; band 27: 2 left, sorted[0] = 0 -> 1 stops.
    expect(at(1)).toEqual(Array.from({ length: 17 }, (_, i) => i + 10));
    expect(at(3)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(at(9)).toEqual([2, 3]);
    expect(at(27)).toEqual([1]);
    expect(stoppedAt.has(0)).toBe(false);
  });

  it('strict (the default) compares the value at the bracket, strict: false the best so far', () => {
    const ended = (id: string, values: number[]) => ({ id, running: false, curve: curveOf(values, 'minimize') });
    const others = [ended('a', [1, 1, 1]), ended('b', [2, 2, 2]), ended('c', [3, 3, 3])];
    const late = { id: 'x', running: true, curve: curveOf([0, 5, 5], 'minimize') }; // good early, bad at iteration 3
    expect(hyperbandStops([...others, late], hyperband({ min_iter: 3, eta: 3 })).map((s) => s.id)).toEqual(['x']);
    expect(hyperbandStops([...others, late], hyperband({ min_iter: 3, eta: 3, strict: false }))).toEqual([]);
  });

  it('reads a maximised metric the other way round', () => {
    const trials = [0.9, 0.8, 0.7, 0.1].map((v, i) => ({
      id: String(i),
      running: true,
      curve: curveOf([v], 'maximize'),
    }));
    // negated: -0.9 -0.8 -0.7 -0.1; threshold sorted[floor(4 / 2)] = -0.7; only worse than it stops
    expect(hyperbandStops(trials, hyperband({ min_iter: 1, eta: 2 })).map((s) => s.id)).toEqual(['3']);
  });
});

describe('Hyperband through an agent: 27 trials with deterministic curves', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    store = await tempStore();
  });
  afterEach(() => store.cleanup());

  /** Trial i's loss at iteration t (1-based): curves that cross, from a fixed LCG. */
  function curve(i: number): number[] {
    let s = 1000 + i * 7919;
    const next = () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648;
    };
    const floor = next();
    const speed = 0.5 + 4 * next();
    return Array.from({ length: 27 }, (_, t) => floor + 1 / (1 + speed * t) + 0.02 * next());
  }

  /** The published rule applied literally, trial after trial (as one agent runs them), with plain arrays. */
  function expectedStops(curves: number[][], bands: number[], eta: number) {
    const ended: number[][] = [];
    const stops = new Map<number, number>();
    curves.forEach((values, i) => {
      const mine: number[] = [];
      for (const value of values) {
        mine.push(value);
        const all = [...ended, mine];
        let reached = -1;
        for (let b = 0; b < bands.length && bands[b] <= mine.length; b++) reached = b;
        if (reached < 0) continue;
        const band = bands[reached];
        const atBand = all
          .filter((h) => h.length >= band)
          .map((h) => h[band - 1])
          .sort((x, y) => x - y);
        if (mine[band - 1] > atBand[Math.floor((1 / eta) * atBand.length)]) {
          stops.set(i, mine.length);
          break;
        }
      }
      ended.push(mine);
    });
    return stops;
  }

  it('stops exactly the trials the rule stops, when they reach the bracket; their state says why', async () => {
    const curves = Array.from({ length: 27 }, (_, i) => curve(i));
    const id = await sweep(
      {
        method: 'grid',
        metric: { name: 'loss', goal: 'minimize' },
        parameters: { i: { values: Array.from({ length: 27 }, (_, i) => i) } },
        early_terminate: { type: 'hyperband', min_iter: 1, eta: 3 },
      },
      { project: 'hb', dir: store.dir },
    );
    const result = await agent(
      id,
      async () => {
        const run = await init({ settings: QUIET });
        const values = curves[run.config.get('i') as number];
        for (const loss of values) {
          if (run.stopRequested) break;
          run.log({ loss });
        }
        await run.finish();
      },
      { dir: store.dir },
    );
    expect(result.trials).toHaveLength(27);
    const expected = expectedStops(curves, [1, 3, 9, 27], 3);
    expect(expected.size).toBeGreaterThan(5); // the curves make the rule stop a good share
    const { trials } = await new FileSweepState(store.dir).snapshot(result.sweep);
    const stopped = new Map(trials.filter((t) => t.state === 'stopped').map((t) => [t.params.i as number, t.steps]));
    expect(stopped).toEqual(expected);
    for (const trial of trials) {
      if (trial.state === 'stopped')
        expect(trial.stopReason).toMatch(/^hyperband: loss .* at iteration \d+ is worse than the bracket's threshold/);
      else expect(trial).toMatchObject({ state: 'finished', steps: 27 });
    }
  });
});
