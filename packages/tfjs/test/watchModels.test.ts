import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { isWatched, MetricsLogger, unwatch, watch } from '../src/index.js';
import { useBackend } from './backends.js';
import { tinyClassifier, toyData } from './models.js';
import { historyOf, tempStore, testRun } from './runs.js';

// issue 14 item 10: wandb's watch defaults and forms.
const store = await tempStore();
afterAll(store.cleanup);

describe('watch as wandb', () => {
  it('logFreq defaults to 1000 optimizer steps: 120 steps log only step 0', async () => {
    await useBackend('cpu');
    const run = await testRun(store.dir);
    const model = tinyClassifier();
    const { x, y } = toyData(120);
    const handle = watch(model, { run });
    // MetricsLogger commits a row per batch, so each logged step of watch is a row of its own.
    const logger = new MetricsLogger({ run, logFreq: 'batch', progress: false });
    await model.fit(x, y, { epochs: 1, batchSize: 1, verbose: 0, callbacks: [logger] });
    unwatch(model);
    await run.finish();
    const logged = (await historyOf(run)).filter((row) => Object.keys(row).some((k) => k.startsWith('gradients/')));
    expect(logged).toHaveLength(1);
    expect(handle.model).toBe(model);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('watch([a, b]) watches both; unwatch() with no argument unwatches every model of the run', async () => {
    await useBackend('cpu');
    const run = await testRun(store.dir);
    const other = await testRun(store.dir);
    const [a, b, c] = [tinyClassifier({ seed: 1 }), tinyClassifier({ seed: 2 }), tinyClassifier({ seed: 3 })];
    const handles = watch([a, b], { run });
    expect(handles).toHaveLength(2);
    watch(c, { run: other });
    expect([isWatched(a), isWatched(b), isWatched(c)]).toEqual([true, true, true]);
    expect(unwatch(undefined, { run })).toBe(true);
    expect([isWatched(a), isWatched(b), isWatched(c)]).toEqual([false, false, true]);
    expect(Object.hasOwn(a.optimizer, 'applyGradients')).toBe(false);
    expect(unwatch(undefined, { run })).toBe(false);
    // The current run is `other` (the last init): unwatch() alone takes its models.
    expect(unwatch()).toBe(true);
    expect(isWatched(c)).toBe(false);
    expect(() => watch([a, a], { run })).toThrow(/twice/);
    await run.finish();
    await other.finish();
    for (const model of [a, b, c]) model.dispose();
  });
});
