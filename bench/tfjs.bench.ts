// @runlog/tfjs overhead on real training (the demo's CNN on synthetic digits, tfjs wasm backend).
// Targets (issue 6): MetricsLogger at logFreq 'batch' + ModelCheckpoint every epoch <= 2% more wall time than the
// same fit without callbacks; watch(log: 'all', logFreq: 100) <= 5%; bytes downloaded per histogram independent
// of the weight's size. Run: pnpm --filter @runlog/tfjs... build && node --expose-gc --import tsx bench/tfjs.bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeHistogram, init, type Run } from '@runlog/core';
import { MetricsLogger, ModelCheckpoint, tapGradients, tensorHistogram, unwatch, watch } from '@runlog/tfjs';
import * as tf from '@tensorflow/tfjs';
import { buildDigitsCnn } from '../examples/digits/model.js';
import { useWasmBackend } from '../examples/digits/wasmBackend.js';
import { renderDigits } from '../examples/shared/digits.js';
import { interleave, printComparison, writeResults } from './lib/interleave.js';

const SAMPLES = 960;
const BATCH = 32; // 30 batches per epoch
const EPOCHS = 4; // 120 batches and 4 checkpoints per fit
const WATCH_EPOCHS = 4; // 120 optimizer steps: histograms at steps 0 and 100

const store = mkdtempSync(join(tmpdir(), 'runlog-bench-tfjs-'));
try {
  await useWasmBackend();
  const digits = await renderDigits({ count: SAMPLES, seed: 3 });
  const xs = tf.tensor4d(digits.images, [SAMPLES, 28, 28, 1]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(digits.labels, 'int32'), 10).toFloat());
  const newRun = () =>
    init({ project: 'bench', dir: store, settings: { systemMetrics: false, console: false, quiet: true } });

  let lastFlushMs = 0;
  /** Times one fit of a fresh model; `setUp` adds callbacks/watch (untimed), `tearDown` finishes (untimed). */
  const timedFit = async (
    epochs: number,
    setUp?: (model: tf.LayersModel, run: Run) => tf.Callback[],
  ): Promise<number> => {
    const model = buildDigitsCnn(1);
    const run = setUp ? await newRun() : undefined;
    const callbacks = setUp && run ? setUp(model, run) : undefined;
    globalThis.gc?.();
    const start = performance.now();
    await model.fit(xs, ys, { epochs, batchSize: BATCH, shuffle: false, verbose: 0, callbacks });
    const seconds = (performance.now() - start) / 1000;
    const flushStart = performance.now();
    await run?.flush(); // untimed: what fit left in the background (the last checkpoint's commit)
    lastFlushMs = performance.now() - flushStart;
    unwatch(model);
    await run?.finish();
    model.dispose();
    return seconds;
  };

  const callbacksCost = await interleave(
    `fit ${SAMPLES} digits x ${EPOCHS} epochs, batch ${BATCH}: MetricsLogger('batch') + ModelCheckpoint vs none`,
    [
      {
        name: 'MetricsLogger batch + ModelCheckpoint',
        run: () =>
          timedFit(EPOCHS, (_model, run) => [
            new MetricsLogger({ run, logFreq: 'batch', progress: false }),
            new ModelCheckpoint({ run, monitor: 'loss' }),
          ]),
      },
      { name: 'no callbacks', run: () => timedFit(EPOCHS) },
    ],
    { unit: 's', repeats: 5 },
  );
  printComparison(callbacksCost);

  // Noise-proof companion figure: the time fit spends awaiting runlog's tfjs callbacks (the relay the loggers bring
  // and every hook it calls), as a share of the fit's wall time, and the part of it inside each logger's own hook
  // methods. Checkpoints are committed in the background (fit does not wait for the last one); the time
  // run.flush() then waits for it is reported beside.
  const shares: Array<{ total: number; metricsLogger: number; modelCheckpoint: number; flushAfterFitMs: number }> = [];
  for (let i = 0; i < 3; i++) {
    const inside = { total: 0, MetricsLogger: 0, ModelCheckpoint: 0 };
    /** Times a method in place: synchronous calls stay synchronous (a hook's timing semantics are unchanged). */
    const timed = (
      slot: Record<string, (...args: unknown[]) => unknown>,
      method: string,
      add: (ms: number) => void,
    ) => {
      const original = slot[method].bind(slot);
      slot[method] = (...args) => {
        const start = performance.now();
        const result = original(...args);
        if (result instanceof Promise) return result.finally(() => add(performance.now() - start));
        add(performance.now() - start);
        return result;
      };
    };
    const instrument = <T extends MetricsLogger | ModelCheckpoint>(callback: T): T => {
      const slot = callback as unknown as Record<string, (...args: unknown[]) => unknown>;
      for (const method of ['onTrainBegin', 'onEpochBegin', 'onBatchBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'])
        timed(slot, method, (ms) => {
          inside.total += ms;
        });
      const name = callback.constructor.name as 'MetricsLogger' | 'ModelCheckpoint';
      for (const hook of ['fitStart', 'trainEpochStart', 'trainBatchEnd', 'trainEpochEnd'])
        if (typeof slot[hook] === 'function')
          timed(slot, hook, (ms) => {
            inside[name] += ms;
          });
      return callback;
    };
    const seconds = await timedFit(EPOCHS, (_model, run) => [
      instrument(new MetricsLogger({ run, logFreq: 'batch', progress: false })),
      instrument(new ModelCheckpoint({ run, monitor: 'loss' })),
    ]);
    const share = (ms: number) => ms / 1000 / seconds;
    shares.push({
      total: share(inside.total),
      metricsLogger: share(inside.MetricsLogger),
      modelCheckpoint: share(inside.ModelCheckpoint),
      flushAfterFitMs: lastFlushMs,
    });
  }
  shares.sort((a, b) => a.total - b.total);
  const insideShare = { samples: shares, median: shares[1] };
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  console.log(
    `  time inside the callbacks (median of 3 fits): ${pct(insideShare.median.total)} of fit wall time, of which MetricsLogger's hooks ${pct(insideShare.median.metricsLogger)}, ModelCheckpoint's ${pct(insideShare.median.modelCheckpoint)} (the rest: the relay and the logs read); run.flush() after fit (last checkpoint's commit) ${insideShare.median.flushAfterFitMs.toFixed(0)} ms`,
  );

  const watchCost = await interleave(
    `fit ${SAMPLES} digits x ${WATCH_EPOCHS} epochs: watch(log 'all', logFreq 100) vs not watched`,
    [
      {
        name: "watch(log: 'all', logFreq: 100)",
        run: () =>
          timedFit(WATCH_EPOCHS, (model, run) => {
            watch(model, { run, log: 'all', logFreq: 100 });
            return [];
          }),
      },
      { name: 'not watched', run: () => timedFit(WATCH_EPOCHS) },
    ],
    { unit: 's', repeats: 5 },
  );
  printComparison(watchCost);

  // Noise-proof companion: time spent in watch's optimizer-step work (listeners registered around it on the
  // same tap mark its start and end), as a share of the fit's wall time.
  const watchShares: number[] = [];
  for (let i = 0; i < 3; i++) {
    let inside = 0;
    let mark = 0;
    const start = () => {
      mark = performance.now();
    };
    const end = () => {
      inside += performance.now() - mark;
    };
    const seconds = await timedFit(WATCH_EPOCHS, (model, run) => {
      const removeStart = tapGradients(model.optimizer, { gradients: start, applied: start });
      watch(model, { run, log: 'all', logFreq: 100 });
      const removeEnd = tapGradients(model.optimizer, { gradients: end, applied: end });
      run.on('finish', () => {
        removeStart();
        removeEnd();
      });
      return [];
    });
    watchShares.push(inside / 1000 / seconds);
  }
  watchShares.sort((a, b) => a - b);
  const watchInsideShare = { samples: watchShares, median: watchShares[1] };
  console.log(
    `  time inside watch's step work (median of 3 fits): ${(100 * watchInsideShare.median).toFixed(2)}% of fit wall time`,
  );

  // Bytes a histogram downloads, counted at every tensor read. Backend binning runs on cpu here: wasm has no
  // UnsortedSegmentSum kernel and bins on the host (its tensors live in process memory; 'auto' does that anyway).
  // cpu's UnsortedSegmentSum makes several passes per bin (43 s for 4M values at load ~15), hence the smaller size:
  // 'auto' bins on the host there; the counts-only download is for GPU backends and tfjs-node.
  await tf.setBackend('cpu');
  const proto = tf.Tensor.prototype as unknown as { dataSync(): { byteLength: number } };
  const dataSync = proto.dataSync;
  let downloaded = 0;
  proto.dataSync = function (this: tf.Tensor) {
    const out = dataSync.call(this);
    downloaded += out.byteLength;
    return out;
  };
  const downloads = [];
  for (const size of [10_000, 400_000]) {
    const weight = tf.randomNormal([size], 0, 1, 'float32', 5);
    const measure = (binOn: 'backend' | 'host') => {
      tensorHistogram(weight, 64, binOn); // warm-up
      downloaded = 0;
      const start = performance.now();
      const histogram = tensorHistogram(weight, 64, binOn);
      return { histogram, bytes: downloaded, ms: performance.now() - start };
    };
    const onBackend = measure('backend');
    const onHost = measure('host');
    if (JSON.stringify(onBackend.histogram) !== JSON.stringify(computeHistogram(weight.dataSync() as Float32Array)))
      throw new Error('backend histogram differs from numpy');
    downloads.push({
      size,
      backendBytes: onBackend.bytes,
      backendMs: onBackend.ms,
      hostBytes: onHost.bytes,
      hostMs: onHost.ms,
    });
    weight.dispose();
  }
  proto.dataSync = dataSync;
  console.log("\nbytes read per 64-bin histogram (cpu backend): binOn 'backend' vs 'host'");
  for (const d of downloads) {
    console.log(
      `  ${String(d.size).padStart(9)} values: backend ${String(d.backendBytes).padStart(5)} B in ${d.backendMs.toFixed(1)} ms   host ${d.hostBytes} B in ${d.hostMs.toFixed(1)} ms`,
    );
  }
  writeResults('tfjs', { callbacksCost, insideShare, watchCost, watchInsideShare, downloads });
  tf.dispose([xs, ys]);
} finally {
  rmSync(store, { recursive: true, force: true });
}
