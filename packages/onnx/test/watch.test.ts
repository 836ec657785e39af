import { Callback, type HookEvent, type Run } from '@runlog/core';
import { isWatched, unwatch, watch } from '@runlog/onnx';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterEach, describe, expect, it } from 'vitest';
import { expectedLatency, expectedStats } from './helpers/expectedStats.js';
import { seededRandom } from './helpers/onnxGraph.js';
import { historyOf, summaryOf, testRun } from './helpers/runs.js';
import { buildConvClassifier, buildMlp, buildMultiIo } from './helpers/testModels.js';

const runs: Run[] = [];
async function newRun(): Promise<Run> {
  const run = await testRun();
  runs.push(run);
  return run;
}
afterEach(async () => {
  for (const run of runs.splice(0)) await run.finish();
});

function randomTensor(shape: number[], seed: number): Tensor {
  const random = seededRandom(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(
    'float32',
    Float32Array.from({ length: size }, () => random() * 4 - 2),
    shape,
  );
}

/** Collects every predictBatchEnd latency, independently of what the watcher logs. */
function latencyRecorder(run: Run): number[] {
  const latencies: number[] = [];
  run.hooks.hook('predictBatchEnd', ({ latencyMs }) => {
    latencies.push(latencyMs);
  });
  return latencies;
}

describe('watch(session)', () => {
  it('logs window latency percentiles, rates and tensor statistics that match the calls', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildMlp({ inputs: 4, classes: 3 }).bytes);
    const latencies = latencyRecorder(run);
    watch(session, { run, logFreq: 10 });
    const calls: Array<{ x: Tensor; probs: Tensor }> = [];
    for (let i = 0; i < 25; i++) {
      const x = randomTensor([4, 4], i);
      const { probs } = await session.run({ x });
      calls.push({ x, probs: probs as Tensor });
    }
    await unwatch(session);
    await run.flush();

    const rows = historyOf(run);
    expect(rows).toHaveLength(3); // two full windows of 10, then the 5 calls left at unwatch
    const windows = [latencies.slice(0, 10), latencies.slice(10, 20), latencies.slice(20)];
    rows.forEach((row, w) => {
      const expected = expectedLatency(windows[w]);
      expect(row['inference/latency_ms/p50']).toBeCloseTo(expected.p50, 9);
      expect(row['inference/latency_ms/p90']).toBeCloseTo(expected.p90, 9);
      expect(row['inference/latency_ms/p99']).toBeCloseTo(expected.p99, 9);
      expect(row['inference/latency_ms/mean']).toBeCloseTo(expected.mean, 9);
      expect(row['inference/latency_ms/max']).toBeCloseTo(expected.max, 9);
      const callsPerSecond = row['inference/calls_per_s'] as number;
      expect(callsPerSecond).toBeGreaterThan(0);
      // every call here has 4 rows: items/s is exactly 4 x calls/s
      expect(row['inference/items_per_s']).toBeCloseTo(callsPerSecond * 4, 6);
      // a window's rate cannot beat its own summed latencies
      expect(callsPerSecond).toBeLessThanOrEqual(
        windows[w].length / ((expected.mean * windows[w].length) / 1000) + 1e-6,
      );
    });
    expect(rows.map((r) => r['inference/calls'])).toEqual([10, 20, 25]);

    // the sampled call of each full window is its last one (calls 9 and 19)
    for (const [w, call] of [
      [0, 9],
      [1, 19],
    ]) {
      const row = rows[w];
      const { x, probs } = calls[call];
      const ex = expectedStats(x);
      const ep = expectedStats(probs);
      expect(row['inference/input/x/dtype']).toBe('float32');
      expect(row['inference/input/x/shape']).toEqual([4, 4]);
      expect(row['inference/input/x/min']).toBeCloseTo(ex.min, 6);
      expect(row['inference/input/x/max']).toBeCloseTo(ex.max, 6);
      expect(row['inference/input/x/mean']).toBeCloseTo(ex.mean, 6);
      expect(row['inference/input/x/nan_count']).toBe(0);
      expect(row['inference/output/probs/shape']).toEqual([4, 3]);
      expect(row['inference/output/probs/min']).toBeCloseTo(ep.min, 6);
      expect(row['inference/output/probs/max']).toBeCloseTo(ep.max, 6);
      expect(row['inference/output/probs/mean']).toBeCloseTo(1 / 3, 6); // softmax rows sum to 1
    }
    expect(rows[2]['inference/input/x/min']).toBeUndefined(); // the partial window has no sampled call

    const summary = summaryOf(run);
    expect(summary['inference/calls']).toBe(25);
    expect(summary['inference/errors']).toBe(0);
    expect(summary['inference/items']).toBe(100);
    const overall = expectedLatency(latencies);
    expect(Math.abs((summary['inference/latency_ms/p50'] as number) / overall.p50 - 1)).toBeLessThan(0.03);
    expect(summary['inference/latency_ms/max']).toBeCloseTo(overall.max, 9);
    expect(summary['inference/latency_ms/mean']).toBeCloseTo(overall.mean, 9);
    await session.release();
  });

  it('returns the very same outputs and unwatch restores the original run function', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildMlp().bytes);
    const original = session.run;
    expect(Object.hasOwn(session, 'run')).toBe(false);
    const x = randomTensor([2, 4], 5);
    const before = await session.run({ x });
    expect(watch(session, { run })).toBe(session);
    expect(session.run).not.toBe(original);
    expect(isWatched(session)).toBe(true);
    const during = await session.run({ x });
    expect(Array.from(during.probs.data as Float32Array)).toEqual(Array.from(before.probs.data as Float32Array));
    // fetches and run options pass through
    const fetched = await session.run({ x }, ['probs'], { logSeverityLevel: 3 });
    expect(Object.keys(fetched)).toEqual(['probs']);
    await unwatch(session);
    expect(session.run).toBe(original);
    expect(Object.hasOwn(session, 'run')).toBe(false);
    expect(isWatched(session)).toBe(false);
    expect(unwatch(session)).toBeUndefined(); // unwatching again does nothing
    await run.flush();
    expect(historyOf(run)).toHaveLength(1); // the 2 watched calls, logged at unwatch
    expect(summaryOf(run)['inference/calls']).toBe(2);
    // watching again works and starts from zero
    watch(session, { run, logFreq: 1 });
    await session.run({ x });
    await unwatch(session);
    expect(session.run).toBe(original);
    await session.release();
  });

  it('unwatch leaves a wrapper someone put over ours in place; ours then only passes calls through', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildMlp().bytes);
    watch(session, { run, logFreq: 1 });
    const ours = session.run;
    let outerCalls = 0;
    const outer = function (this: unknown, ...args: unknown[]) {
      outerCalls++;
      return Reflect.apply(ours, this, args);
    } as typeof session.run;
    session.run = outer;
    await session.run({ x: randomTensor([1, 4], 1) });
    await unwatch(session);
    expect(session.run).toBe(outer);
    await session.run({ x: randomTensor([1, 4], 2) });
    expect(outerCalls).toBe(2);
    await run.flush();
    expect(historyOf(run)).toHaveLength(1); // the call after unwatch was not recorded
    expect(summaryOf(run)['inference/calls']).toBe(1);
    await session.release();
  });

  it('counts items from a symbolic batch dimension of varying size', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildMlp({ batch: 'batch' }).bytes);
    watch(session, { run, logFreq: 4 });
    const batches = [1, 3, 7, 2, 16, 5, 5, 1];
    for (const [i, n] of batches.entries()) await session.run({ x: randomTensor([n, 4], i) });
    await unwatch(session);
    await run.flush();
    const rows = historyOf(run);
    expect(rows).toHaveLength(2);
    const meanBatch = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    expect((rows[0]['inference/items_per_s'] as number) / (rows[0]['inference/calls_per_s'] as number)).toBeCloseTo(
      meanBatch(batches.slice(0, 4)),
      6,
    );
    expect((rows[1]['inference/items_per_s'] as number) / (rows[1]['inference/calls_per_s'] as number)).toBeCloseTo(
      meanBatch(batches.slice(4)),
      6,
    );
    expect(rows[1]['inference/input/x/shape']).toEqual([1, 4]);
    expect(summaryOf(run)['inference/items']).toBe(40);
    await session.release();
  });

  it('summarises a conv model image batch and adds histograms when asked', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildConvClassifier().bytes);
    watch(session, { run, logFreq: 2, histograms: true, name: 'conv' });
    const image = randomTensor([3, 1, 8, 8], 42);
    await session.run({ image: randomTensor([3, 1, 8, 8], 41) });
    const { probs } = await session.run({ image });
    await unwatch(session);
    await run.flush();
    const [row] = historyOf(run);
    const ei = expectedStats(image);
    expect(row['inference/conv/input/image/shape']).toEqual([3, 1, 8, 8]);
    expect(row['inference/conv/input/image/mean']).toBeCloseTo(ei.mean, 6);
    expect(row['inference/conv/output/probs/shape']).toEqual([3, 10]);
    expect(row['inference/conv/output/probs/max']).toBeCloseTo(expectedStats(probs as Tensor).max, 6);
    const histogram = row['inference/conv/input/image/histogram'] as {
      _type: string;
      bins: number[];
      values: number[];
    };
    expect(histogram._type).toBe('histogram');
    expect(histogram.values.reduce((a, b) => a + b, 0)).toBe(3 * 64);
    expect(histogram.bins[0]).toBeCloseTo(ei.min, 6);
    expect(histogram.bins[histogram.bins.length - 1]).toBeCloseTo(ei.max, 6);
    expect(row['inference/conv/output/probs/histogram']).toMatchObject({ _type: 'histogram' });
    expect(summaryOf(run)['inference/conv/calls']).toBe(2);
    await session.release();
  });

  it('summarises every input and output of a multi-input multi-output model, int64 included, or only those named', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildMultiIo().bytes);
    const a = randomTensor([2, 3], 1);
    const b = randomTensor([2, 3], 2);
    const scale = new Tensor('float32', new Float32Array([0.5]), [1]);
    watch(session, { run, logFreq: 1 });
    const out = await session.run({ a, b, scale });
    await unwatch(session);
    watch(session, { run, logFreq: 1, logInputs: ['scale'], logOutputs: false, name: 'only-scale' });
    await session.run({ a, b, scale });
    await unwatch(session);
    await run.flush();
    const [all, some] = historyOf(run);
    for (const [key, tensor] of [
      ['input/a', a],
      ['input/b', b],
      ['input/scale', scale],
      ['output/sum', out.sum],
      ['output/scaled', out.scaled],
      ['output/best', out.best],
    ] as const) {
      const e = expectedStats(tensor as Tensor);
      expect(all[`inference/${key}/min`]).toBeCloseTo(e.min, 6);
      expect(all[`inference/${key}/max`]).toBeCloseTo(e.max, 6);
      expect(all[`inference/${key}/mean`]).toBeCloseTo(e.mean, 6);
    }
    expect(all['inference/output/best/dtype']).toBe('int64');
    expect(all['inference/output/best/shape']).toEqual([2]);
    expect(Object.keys(some).filter((k) => k.includes('/input/') || k.includes('/output/'))).toEqual(
      expect.arrayContaining(['inference/only-scale/input/scale/mean']),
    );
    expect(Object.keys(some).some((k) => k.includes('/input/a/') || k.includes('/output/'))).toBe(false);
    await session.release();
  });

  it("with tensorStats 'all' summarises every call of the window", async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildMlp().bytes);
    watch(session, { run, logFreq: 3, tensorStats: 'all', logOutputs: false });
    const xs = [randomTensor([2, 4], 1), randomTensor([2, 4], 2), randomTensor([5, 4], 3)];
    for (const x of xs) await session.run({ x });
    await unwatch(session);
    await run.flush();
    const [row] = historyOf(run);
    const values = xs.flatMap((x) => Array.from(x.data as Float32Array));
    expect(row['inference/input/x/min']).toBeCloseTo(Math.min(...values), 6);
    expect(row['inference/input/x/max']).toBeCloseTo(Math.max(...values), 6);
    expect(row['inference/input/x/mean']).toBeCloseTo(values.reduce((s, v) => s + v, 0) / values.length, 6);
    expect(row['inference/input/x/shape']).toEqual([5, 4]);
    await session.release();
  });

  it('emits the predict hooks in Lightning order to a core Callback', async () => {
    const run = await newRun();
    const seen: string[] = [];
    class Recorder extends Callback {
      override setup({ stage }: HookEvent<'setup'>) {
        seen.push(`setup:${stage}`);
      }
      override predictStart({ name }: HookEvent<'predictStart'>) {
        seen.push(`predictStart:${name}`);
      }
      override predictBatchEnd({ call, batchSize, latencyMs }: HookEvent<'predictBatchEnd'>) {
        expect(latencyMs).toBeGreaterThan(0);
        seen.push(`predictBatchEnd:${call}:${batchSize}`);
      }
      override predictEnd({ calls }: HookEvent<'predictEnd'>) {
        seen.push(`predictEnd:${calls}`);
      }
      override teardown({ stage }: HookEvent<'teardown'>) {
        seen.push(`teardown:${stage}`);
      }
    }
    run.hooks.addCallback(new Recorder());
    const session = await InferenceSession.create(buildMlp().bytes);
    watch(session, { run, name: 'mlp' });
    await session.run({ x: randomTensor([2, 4], 1) });
    await session.run({ x: randomTensor([3, 4], 2) });
    await unwatch(session);
    expect(seen).toEqual([
      'setup:predict',
      'predictStart:mlp',
      'predictBatchEnd:0:2',
      'predictBatchEnd:1:3',
      'predictEnd:2',
      'teardown:predict',
    ]);
    await session.release();
  });

  it('waits for an async hook before resolving the call', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildMlp().bytes);
    let done = false;
    run.hooks.hook('predictBatchEnd', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      done = true;
    });
    watch(session, { run });
    const outputs = await session.run({ x: randomTensor([1, 4], 1) });
    expect(done).toBe(true);
    expect(outputs.probs.dims).toEqual([1, 3]);
    await unwatch(session);
    await session.release();
  });
});
