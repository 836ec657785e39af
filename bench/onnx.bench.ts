/**
 * What watch() adds to each inference call: a watched session (logFreq 100, the defaults: tensor summaries of
 * the sampled call, no histograms) against an unwatched session of the same model, interleaved, many calls per
 * repetition. The model is an MLP sized so that one call takes about 40 µs on the bench machine.
 * Target (issue 7): at most 10 µs added per call on average.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { unwatch, watch } from '@runlog/onnx';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { encodeModel, initializer, node, randomWeights, valueInfo } from '../packages/onnx/test/helpers/onnxGraph.js';
import { interleave, median, printComparison, writeResults } from './lib/interleave.js';

const CALLS_PER_REPETITION = 500;
const REPEATS = 81;
/** The wrapper's own cost is measured on a session that answers at once, with many more calls. */
const INSTANT_CALLS = 100_000;

/** x [batch, 64] -> Gemm 64x512 -> Relu -> Gemm 512x512 -> Relu -> Gemm 512x10 -> Softmax. */
function benchModel(): Uint8Array {
  const layer = (name: string, inputs: number, outputs: number, seed: number) => [
    initializer(`${name}.w`, [inputs, outputs], randomWeights(inputs * outputs, seed, 1 / Math.sqrt(inputs))),
    initializer(`${name}.b`, [outputs], randomWeights(outputs, seed + 1, 0.01)),
  ];
  return encodeModel({
    name: 'bench-mlp',
    inputs: [valueInfo('x', 'float32', ['batch', 64])],
    outputs: [valueInfo('probs', 'float32', ['batch', 10])],
    nodes: [
      node('Gemm', ['x', 'fc1.w', 'fc1.b'], ['h1']),
      node('Relu', ['h1'], ['r1']),
      node('Gemm', ['r1', 'fc2.w', 'fc2.b'], ['h2']),
      node('Relu', ['h2'], ['r2']),
      node('Gemm', ['r2', 'fc3.w', 'fc3.b'], ['logits']),
      node('Softmax', ['logits'], ['probs'], { axis: 1 }),
    ],
    initializers: [...layer('fc1', 64, 512, 1), ...layer('fc2', 512, 512, 3), ...layer('fc3', 512, 10, 5)],
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'runlog-onnx-bench-'));
  const run = await init({
    project: 'bench',
    dir,
    settings: { console: false, systemMetrics: false, quiet: true, processHooks: false },
  });
  const options: InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1 };
  // One session for both sides: the watched side watches it for its repetition and unwatches it after, so the
  // two sides differ only by the wrapper (same native session, same memory).
  const session = await InferenceSession.create(benchModel(), options);
  const x = new Tensor('float32', randomWeights(64, 9), [1, 64]);

  /**
   * Mean wall-clock µs per call over one repetition of sequential awaited calls. The process CPU time per call
   * is kept too (onnxruntime runs on this thread with one intra-op thread): on a shared machine it is far less
   * noisy than wall time, which stretches with every other process's load.
   */
  const cpuMicros: number[] = [];
  const calls = async () => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < CALLS_PER_REPETITION; i++) await session.run({ x });
    const wall = ((performance.now() - start) * 1000) / CALLS_PER_REPETITION;
    const used = process.cpuUsage(cpu);
    cpuMicros.push((used.user + used.system) / CALLS_PER_REPETITION);
    return wall;
  };
  const comparison = await interleave(
    `onnx watch(session) at logFreq 100, ${CALLS_PER_REPETITION} calls per repetition`,
    [
      {
        name: 'watched session (µs per call)',
        run: async () => {
          watch(session, { run, logFreq: 100 });
          try {
            return await calls();
          } finally {
            await unwatch(session);
          }
        },
      },
      { name: 'unwatched session (µs per call)', run: calls },
    ],
    { repeats: REPEATS, unit: 'µs per call' },
  );
  printComparison(comparison);
  // cpuMicros holds the warm-up round (watched, unwatched), then watched/unwatched pairs in order.
  const cpuWatched = cpuMicros.slice(2).filter((_, i) => i % 2 === 0);
  const cpuPlain = cpuMicros.slice(2).filter((_, i) => i % 2 === 1);
  const cpu = {
    baseline: { min: Math.min(...cpuPlain), median: median(cpuPlain) },
    added: {
      min: Math.min(...cpuWatched) - Math.min(...cpuPlain),
      median: median(cpuWatched) - median(cpuPlain),
      pairedMedian: median(cpuWatched.map((v, i) => v - cpuPlain[i])),
    },
  };
  console.log(
    `  CPU time per call: ${cpu.baseline.median.toFixed(1)} µs unwatched (median); added min ${cpu.added.min.toFixed(2)} µs, ` +
      `median ${cpu.added.median.toFixed(2)} µs, paired median ${cpu.added.pairedMedian.toFixed(2)} µs`,
  );
  const [a, b] = comparison.sides;
  // Paired differences: each watched repetition against the unwatched one that ran right after it.
  const paired = a.samples.map((v, i) => v - b.samples[i]);
  const added = { min: a.min - b.min, median: a.median - b.median, pairedMedian: median(paired) };
  console.log(
    `  added per call: min ${added.min.toFixed(2)} µs, median ${added.median.toFixed(2)} µs ` +
      `(paired median ${added.pairedMedian.toFixed(2)} µs) on a ${b.min.toFixed(1)} µs (best) / ${b.median.toFixed(1)} µs (median) call; target <= 10 µs`,
  );

  // The wrapper alone: a session whose run resolves at once, so all that is measured is what watch adds.
  const outputs = await session.run({ x });
  const instant = { inputNames: ['x'], run: (_feeds: unknown) => Promise.resolve(outputs) };
  const instantCalls = async () => {
    const start = performance.now();
    for (let i = 0; i < INSTANT_CALLS; i++) await instant.run({ x });
    return ((performance.now() - start) * 1000) / INSTANT_CALLS;
  };
  const wrapperOnly = await interleave(
    `onnx watch on a session that answers at once (the wrapper's own cost), ${INSTANT_CALLS} calls per repetition`,
    [
      {
        name: 'watched instant session (µs per call)',
        run: async () => {
          watch(instant, { run, logFreq: 100 });
          try {
            return await instantCalls();
          } finally {
            await unwatch(instant);
          }
        },
      },
      { name: 'unwatched instant session (µs per call)', run: instantCalls },
    ],
    { repeats: 7, unit: 'µs per call' },
  );
  printComparison(wrapperOnly);
  const wrapper = {
    min: wrapperOnly.sides[0].min - wrapperOnly.sides[1].min,
    median: wrapperOnly.sides[0].median - wrapperOnly.sides[1].median,
  };
  console.log(
    `  wrapper's own cost per call: min ${wrapper.min.toFixed(2)} µs, median ${wrapper.median.toFixed(2)} µs`,
  );
  const figures = {
    baselineMicrosPerCall: { min: b.min, median: b.median },
    addedMicrosPerCall: added,
    cpuMicrosPerCall: cpu,
    wrapperOwnMicrosPerCall: wrapper,
  };
  await run.finish();
  console.log(`  results: ${writeResults('onnx', { comparison, wrapperOnly, figures })}`);
  await session.release();
  rmSync(dir, { recursive: true, force: true });
}

await main();
