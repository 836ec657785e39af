import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunlogError } from '@runlog/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel, MetricsLogger, ModelCheckpoint, modelDirHandler, PredictionLogger } from '../src/index.js';

const root = await mkdtemp(join(tmpdir(), 'runlog-tfjs-errors-'));
afterAll(() => rm(root, { recursive: true, force: true }));

/** The RunlogError code `work` fails with (thrown or rejected). */
async function codeOf(work: () => unknown): Promise<string | undefined> {
  try {
    await work();
  } catch (error) {
    expect(error).toBeInstanceOf(RunlogError);
    return (error as RunlogError).code;
  }
  throw new Error('expected an error');
}

describe('tfjs errors are RunlogErrors with a stable code', () => {
  // First in this file: no init() has made a current run yet.
  it('NO_ACTIVE_RUN: an artifact reference without a run', async () => {
    expect(await codeOf(() => loadModel('model-x:best'))).toBe('NO_ACTIVE_RUN');
  });

  it.each([
    ['MetricsLogger logFreq 0', () => new MetricsLogger({ logFreq: 0 })],
    ['MetricsLogger logFreq 1.5', () => new MetricsLogger({ logFreq: 1.5 })],
    ['ModelCheckpoint saveTopK 0', () => new ModelCheckpoint({ saveTopK: 0 })],
    ['ModelCheckpoint everyNEpochs 1.5', () => new ModelCheckpoint({ everyNEpochs: 1.5 })],
    ['ModelCheckpoint mode up', () => new ModelCheckpoint({ mode: 'up' as 'min' })],
    ['PredictionLogger without x', () => new PredictionLogger({} as never)],
    ['PredictionLogger every 0', () => new PredictionLogger({ x: tf.zeros([2, 4]), every: 0 })],
    ['loadModel without a source', () => loadModel('')],
    [
      'modelDirHandler saving a graph model',
      () => modelDirHandler(join(root, 'graph')).save!({ modelTopology: new ArrayBuffer(8) }),
    ],
  ])('INVALID_ARGUMENT: %s', async (_label, work) => {
    expect(await codeOf(work)).toBe('INVALID_ARGUMENT');
  });

  it('ARTIFACT_INVALID: a model folder without model.json, or with a broken one', async () => {
    const empty = join(root, 'empty');
    await mkdir(empty, { recursive: true });
    expect(await codeOf(() => modelDirHandler(empty).load!())).toBe('ARTIFACT_INVALID');
    expect(await codeOf(() => loadModel(empty))).toBe('ARTIFACT_INVALID');
    const broken = join(root, 'broken');
    await mkdir(broken, { recursive: true });
    await writeFile(join(broken, 'model.json'), '{ not json');
    expect(await codeOf(() => loadModel(broken))).toBe('ARTIFACT_INVALID');
  });
});
