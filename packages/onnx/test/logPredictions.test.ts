import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJson, type Run } from '@runlog/core';
import { Image } from '@runlog/media';
import { logPredictions } from '@runlog/onnx';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from './helpers/onnxGraph.js';
import { historyOf, testRun } from './helpers/runs.js';
import { buildConvClassifier, buildMlp, buildMultiIo } from './helpers/testModels.js';

const runs: Run[] = [];
async function newRun(): Promise<Run> {
  const run = await testRun('predictions');
  runs.push(run);
  return run;
}
afterEach(async () => {
  for (const run of runs.splice(0)) await run.finish();
});

function randomTensor(shape: number[], seed: number, scale = 1): Tensor {
  const random = seededRandom(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(
    'float32',
    Float32Array.from({ length: size }, () => random() * scale),
    shape,
  );
}

interface TableFile {
  columns: string[];
  data: unknown[][];
}

function tableOf(run: Run, ref: unknown): TableFile {
  const path = (ref as { path: string }).path;
  return decodeJson(readFileSync(join(run.dir, path), 'utf8')) as TableFile;
}

const CLASS_NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

describe('logPredictions', () => {
  it('logs a table of image inputs with top-k classes, labels and correctness, read back from disk', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildConvClassifier().bytes);
    const image = randomTensor([6, 1, 8, 8], 3);
    const outputs = await session.run({ image });
    const probs = Array.from(outputs.probs.data as Float32Array);
    const argmax = (i: number) => {
      const row = probs.slice(i * 10, i * 10 + 10);
      return row.indexOf(Math.max(...row));
    };
    const labels = [argmax(0), argmax(1), (argmax(2) + 1) % 10, argmax(3), (argmax(4) + 3) % 10, argmax(5)];
    const table = await logPredictions(run, 'predictions', {
      inputs: { image },
      outputs,
      labels,
      classNames: CLASS_NAMES,
      topK: 2,
    });
    expect(table.rows).toHaveLength(6);
    await run.flush();
    const [row] = historyOf(run);
    expect(row['predictions/accuracy']).toBeCloseTo(4 / 6, 12);
    expect(row.predictions).toMatchObject({ _type: 'table-file', ncols: 7, nrows: 6 });
    const written = tableOf(run, row.predictions);
    expect(written.columns).toEqual(['index', 'input', 'prediction', 'score', 'top_k', 'label', 'correct']);
    for (const [i, cells] of written.data.entries()) {
      const [index, input, prediction, score, topK, label, correct] = cells as [
        number,
        { _type: string; path: string; width: number; height: number; caption: string },
        string,
        number,
        Array<{ class: string; score: number }>,
        string,
        boolean,
      ];
      expect(index).toBe(i);
      expect(prediction).toBe(CLASS_NAMES[argmax(i)]);
      expect(score).toBeCloseTo(probs[i * 10 + argmax(i)], 6);
      expect(topK).toHaveLength(2);
      expect(topK[0]).toEqual({ class: prediction, score });
      expect(topK[1].score).toBeLessThanOrEqual(topK[0].score);
      expect(label).toBe(CLASS_NAMES[labels[i]]);
      expect(correct).toBe(labels[i] === argmax(i));
      expect(input).toMatchObject({ _type: 'image-file', width: 8, height: 8 });
      expect(input.caption).toContain(`label ${label}`);
      const meta = await sharp(join(run.dir, input.path)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 8, 8]);
    }
    // the first image's pixels are the input scaled to bytes (inputs are in [0, 1] already)
    const first = written.data[0][1] as { path: string };
    const pixels = await sharp(join(run.dir, first.path)).extractChannel(0).raw().toBuffer();
    const expected = Array.from((image.data as Float32Array).subarray(0, 64), (v) => Math.round(v * 255));
    const differences = Array.from(pixels as Uint8Array, (p: number, j) => Math.abs(p - expected[j]));
    expect(Math.max(...differences)).toBeLessThanOrEqual(1);
    await session.release();
  });

  it('turns logits into probabilities, reads [N] class ids, keeps small non-image inputs as values', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildMultiIo().bytes);
    const a = randomTensor([3, 3], 1, 4);
    const b = randomTensor([3, 3], 2, 4);
    const outputs = await session.run({ a, b, scale: new Tensor('float32', new Float32Array([1]), [1]) });
    await logPredictions(run, 'logits', { inputs: a, outputs, outputName: 'sum', topK: 3 });
    await logPredictions(run, 'ids', { outputs: { best: outputs.best }, labels: [0, 1, 2] });
    await run.flush();
    const [logitsRow, idsRow] = historyOf(run);
    const logits = tableOf(run, logitsRow.logits);
    const sums = Array.from(outputs.sum.data as Float32Array);
    for (const [i, cells] of logits.data.entries()) {
      const row = sums.slice(i * 3, i * 3 + 3);
      const exp = row.map((v) => Math.exp(v - Math.max(...row)));
      const total = exp.reduce((x, y) => x + y, 0);
      const topK = cells[4] as Array<{ class: string; score: number }>;
      expect(topK.map((t) => t.score).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 6);
      expect(topK[0].score).toBeCloseTo(Math.max(...exp) / total, 6);
      expect(cells[1]).toEqual(Array.from((a.data as Float32Array).subarray(i * 3, i * 3 + 3)));
    }
    const ids = tableOf(run, idsRow.ids);
    expect(ids.columns).toEqual(['index', 'prediction', 'score', 'top_k', 'label', 'correct']);
    const best = Array.from(outputs.best.data as BigInt64Array, Number);
    expect(ids.data.map((r) => r[1])).toEqual(best.map(String));
    expect(ids.data.map((r) => r[2])).toEqual([null, null, null]);
    expect(idsRow['ids/accuracy']).toBeCloseTo(best.filter((c, i) => c === i).length / 3, 12);
    await session.release();
  });

  it('renders inputs with a custom toImage, and scales out-of-range image inputs per sample', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildConvClassifier().bytes);
    const image = randomTensor([2, 1, 8, 8], 9, 50); // values in [0, 50): not pixels yet
    const outputs = await session.run({ image });
    await logPredictions(run, 'scaled', { inputs: image, outputs });
    const seen: number[][] = [];
    await logPredictions(run, 'custom', {
      inputs: image,
      outputs,
      toImage: ({ index, data, dims }) => {
        seen.push([index, ...dims, data.length]);
        return new Image(new Uint8Array(16 * 16).fill(index * 100), { width: 16, height: 16, channels: 1 });
      },
    });
    expect(seen).toEqual([
      [0, 1, 8, 8, 64],
      [1, 1, 8, 8, 64],
    ]);
    await run.flush();
    const [scaledRow, customRow] = historyOf(run);
    const scaled = tableOf(run, scaledRow.scaled);
    const pixels = await sharp(join(run.dir, (scaled.data[0][1] as { path: string }).path))
      .extractChannel(0)
      .raw()
      .toBuffer();
    expect(Math.min(...pixels)).toBe(0);
    expect(Math.max(...pixels)).toBe(255);
    const custom = tableOf(run, customRow.custom);
    expect(custom.data[1][1]).toMatchObject({ _type: 'image-file', width: 16, height: 16 });
    await session.release();
  });

  it.each([
    ['labels of the wrong length', { labels: [1, 2] }, /2 labels for 4 samples/],
    ['classNames of the wrong length', { classNames: ['a', 'b'] }, /2 classNames for 3 output classes/],
    ['a label that is not a class name', { classNames: ['a', 'b', 'c'], labels: ['a', 'b', 'x', 'a'] }, /"x"/],
    ['inputs of another batch size', { inputs: new Tensor('float32', new Float32Array(8), [2, 4]) }, /2 samples/],
    ['outputs of rank 3', { outputs: new Tensor('float32', new Float32Array(8), [2, 2, 2]) }, /shape \[2,2,2\]/],
    ['an output name that is not there', { outputName: 'nope' }, /no tensor "nope"/],
    ['topK 0', { topK: 0 }, /topK/],
  ])('rejects %s with INVALID_ARGUMENT and logs nothing', async (_label, override, message) => {
    const run = await newRun();
    const session = await InferenceSession.create(buildMlp().bytes);
    const x = randomTensor([4, 4], 1);
    const outputs = await session.run({ x });
    await expect(logPredictions(run, 'p', { inputs: x, outputs, ...override })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(message),
    });
    await run.flush();
    expect(existsSync(join(run.dir, 'history.jsonl')) ? historyOf(run) : []).toEqual([]);
    await session.release();
  });
});
