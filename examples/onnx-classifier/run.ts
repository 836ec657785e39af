/**
 * Inference logging with @runlog/onnx, end to end:
 * 1. render synthetic digits and build a conv classifier as a real .onnx file (deterministic weights),
 * 2. log it as a model artifact (metadata read from the file) and load it back by alias,
 * 3. classify fresh digits through a watched session (latency percentiles, throughput, tensor statistics),
 * 4. log a predictions gallery (images, top-3 classes, labels, correctness).
 *
 * Run it: `pnpm build && node --import tsx examples/onnx-classifier/run.ts` (store: $RUNLOG_DIR or ./runlog).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { init } from '@runlog/core';
import { loadSession, logModel, logPredictions, unwatch, watch } from '@runlog/onnx';
import { Tensor } from 'onnxruntime-node';
import { renderDigits } from '../shared/digits.js';
import { buildDigitClassifier, DIGIT_CLASSES } from './digitClassifier.js';

export interface ExampleOptions {
  /** Store folder; default $RUNLOG_DIR or ./runlog. */
  dir?: string;
  /** Reference digits the dense layer is fitted on. */
  referenceCount?: number;
  /** Fresh digits classified through the watched session. */
  testCount?: number;
  /** Images per inference call. */
  batchSize?: number;
  /** Samples in the predictions gallery. */
  galleryCount?: number;
  quiet?: boolean;
}

export interface ExampleResult {
  runDir: string;
  accuracy: number;
  calls: number;
  modelArtifact: string;
}

export async function main(options: ExampleOptions = {}): Promise<ExampleResult> {
  const { referenceCount = 600, testCount = 400, batchSize = 4, galleryCount = 32, quiet = false } = options;
  const say = quiet ? () => {} : (line: string) => console.log(line);
  const run = await init({
    project: 'onnx-classifier',
    dir: options.dir,
    jobType: 'inference',
    config: { referenceCount, testCount, batchSize },
    settings: { quiet, console: !quiet },
  });
  const work = await mkdtemp(join(tmpdir(), 'runlog-onnx-example-'));
  try {
    say(`rendering ${referenceCount} reference digits and building the classifier...`);
    const reference = await renderDigits({ count: referenceCount, seed: 1 });
    const modelPath = join(work, 'digits-cnn.onnx');
    await writeFile(modelPath, await buildDigitClassifier(reference.images, reference.labels));

    const model = await logModel(run, modelPath, {
      name: 'digits-cnn',
      aliases: ['candidate'],
      metadata: { referenceImages: referenceCount },
    });
    say(`logged ${model.qualifiedName}: ${model.metadata.parameterCount} parameters`);
    const session = await loadSession(run, 'digits-cnn:candidate', { intraOpNumThreads: 1 });

    watch(session, { run, logFreq: 10, name: 'digits-cnn' });
    const test = await renderDigits({ count: testCount, seed: 2 });
    const pixels = 28 * 28;
    const predictions = new Float32Array(testCount * 10);
    for (let start = 0; start < testCount; start += batchSize) {
      const n = Math.min(batchSize, testCount - start);
      const image = new Tensor('float32', test.images.slice(start * pixels, (start + n) * pixels), [n, 1, 28, 28]);
      const { probs } = await session.run({ image });
      predictions.set(probs.data as Float32Array, start * 10);
    }
    await unwatch(session);

    let correct = 0;
    for (let i = 0; i < testCount; i++) {
      const row = predictions.subarray(i * 10, i * 10 + 10);
      if (row.indexOf(Math.max(...row)) === test.labels[i]) correct++;
    }
    const accuracy = correct / testCount;
    run.summary.set('test/accuracy', accuracy);

    const shown = Math.min(galleryCount, testCount);
    await logPredictions(run, 'predictions', {
      inputs: new Tensor('float32', test.images.slice(0, shown * pixels), [shown, 1, 28, 28]),
      outputs: new Tensor('float32', predictions.slice(0, shown * 10), [shown, 10]),
      labels: test.labels.subarray(0, shown),
      classNames: DIGIT_CLASSES,
      topK: 3,
    });
    await session.release();
    await run.finish();

    const calls = Math.ceil(testCount / batchSize);
    say(`accuracy on ${testCount} fresh digits: ${(accuracy * 100).toFixed(1)}% over ${calls} watched calls`);
    // Where to look, as the other examples say it: the commands that show the run, not the files behind it.
    const store = run.storeDir;
    say(`run ${run.path} (folder ${run.dir}); see it with:`);
    say(`  pnpm exec runlog ui --dir ${store}      # charts of inference/digits-cnn/latency_ms/p50..., predictions`);
    say(`  pnpm exec runlog show ${run.path} --dir ${store}      # latency percentiles, calls, test/accuracy`);
    say(
      `  pnpm exec runlog artifact ls ${run.project}/digits-cnn --dir ${store}      # the model ${model.qualifiedName}`,
    );
    return { runDir: run.dir, accuracy, calls, modelArtifact: model.qualifiedName ?? '' };
  } finally {
    if (!run.finished) await run.finish(1);
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
