import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { init, setSweepTrial } from '@runlog/core';
import { agent, controlSweep, FileSweepState, optimize, sweep } from '@runlog/sweeps';
import { MetricsLogger } from '@runlog/tfjs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUIET, tempStore } from './tempStore.js';
import { classifier, toyData } from './tfjsTrials.js';

let store: Awaited<ReturnType<typeof tempStore>>;
beforeAll(async () => {
  store = await tempStore();
  await tf.setBackend('cpu');
  await tf.ready();
});
afterAll(() => store.cleanup());

describe('a stop request ends a tfjs fit', () => {
  it('run.requestStop() during fit: the MetricsLogger sets model.stopTraining and fit returns early', async () => {
    const run = await init({ project: 'tf', dir: store.dir, settings: QUIET });
    const data = toyData(32);
    const model = classifier(0.05, 4);
    const stopper = new tf.CustomCallback({
      onEpochEnd: async (epoch) => (epoch === 1 ? run.requestStop('enough') : undefined),
    });
    const history = await model.fit(data.x, data.y, {
      epochs: 20,
      batchSize: 8,
      verbose: 0,
      callbacks: [stopper, new MetricsLogger({ run, progress: false })],
    });
    expect(history.epoch).toEqual([0, 1]);
    await run.finish();
    model.dispose();
  });

  it("a sweep trial's run sees stop-request.json on its flush timer", async () => {
    setSweepTrial({ sweepId: 'sw', runId: 'filestop', project: 'tf', dir: store.dir, params: { lr: 1 } });
    const run = await init({ settings: { ...QUIET, flushIntervalMs: 20 } });
    expect(run.sweepId).toBe('sw');
    expect(run.config.get('lr')).toBe(1);
    expect(run.stopRequested).toBe(false);
    await mkdir(run.dir, { recursive: true });
    await writeFile(join(run.dir, 'stop-request.json'), JSON.stringify({ reason: 'test' }));
    const start = Date.now();
    while (!run.stopRequested && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(run.stopRequested).toBe(true);
    await run.finish();
  });

  it('cancelling the sweep stops the running trial\'s fit (stopped, "the sweep was cancelled")', async () => {
    const id = await sweep(
      { method: 'random', metric: { name: 'epoch/loss' }, parameters: { lr: { min: 0.01, max: 0.1 } } },
      { project: 'tf', dir: store.dir },
    );
    const data = toyData(32);
    let epochs = 0;
    const result = await agent(
      id,
      async () => {
        const run = await init({ settings: QUIET });
        const model = classifier(run.config.get('lr') as number, 4);
        const cancel = new tf.CustomCallback({
          onEpochEnd: async (epoch) => {
            epochs = epoch + 1;
            if (epoch === 2) await controlSweep(id, 'cancel', { dir: store.dir });
            await new Promise((r) => setTimeout(r, 30)); // let the agent's poll see it
          },
        });
        await model.fit(data.x, data.y, {
          epochs: 200,
          batchSize: 32,
          verbose: 0,
          callbacks: [cancel, new MetricsLogger({ run, progress: false })],
        });
        model.dispose();
        await run.finish();
      },
      { dir: store.dir, pollMs: 20 },
    );
    expect(epochs).toBeGreaterThan(2);
    expect(epochs).toBeLessThan(200);
    const state = new FileSweepState(store.dir);
    const { trials } = await state.snapshot(result.sweep);
    expect(trials).toHaveLength(1);
    expect(trials[0]).toMatchObject({ state: 'stopped', stopReason: 'the sweep was cancelled', steps: epochs });
  });
});

describe('bayes vs random on a real tfjs fit (learning rate and units)', () => {
  it('median best final loss of 30 trials over 20 seeds: TPE beats random search', async () => {
    const data = toyData(48);
    const cache = new Map<string, number>();
    const objective = async (params: Record<string, unknown>) => {
      const key = `${params.lr}|${params.units}`;
      const known = cache.get(key);
      if (known !== undefined) return known;
      const model = classifier(params.lr as number, params.units as number);
      const history = await model.fit(data.x, data.y, { epochs: 4, batchSize: 48, verbose: 0 });
      model.dispose();
      const loss = history.history.loss.at(-1) as number;
      cache.set(key, loss);
      return loss;
    };
    const bestOf = async (method: 'random' | 'bayes', seed: number) => {
      const document = {
        method,
        seed,
        metric: { name: 'loss', goal: 'minimize' },
        parameters: { lr: { distribution: 'log_uniform_values', min: 1e-4, max: 1 }, units: { min: 1, max: 32 } },
      };
      return Math.min(...(await optimize(document, objective, { trials: 30 })).map((t) => t.value!));
    };
    const seeds = Array.from({ length: 20 }, (_, i) => 200 + i);
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return (sorted[9] + sorted[10]) / 2;
    };
    const tpe: number[] = [];
    const random: number[] = [];
    for (const seed of seeds) {
      tpe.push(await bestOf('bayes', seed));
      random.push(await bestOf('random', seed));
    }
    console.log(
      `tfjs fit, 30 trials, median best loss over 20 seeds: TPE ${median(tpe).toFixed(4)}, random ${median(random).toFixed(4)}; ${cache.size} fits`,
    );
    expect(median(tpe)).toBeLessThan(median(random));
  }, 300_000);
});
