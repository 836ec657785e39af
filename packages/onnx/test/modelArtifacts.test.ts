import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Run, RunlogError } from '@runlog/core';
import { loadSession, logModel, readOnnxMetadata } from '@runlog/onnx';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterEach, describe, expect, it } from 'vitest';
import { testRun } from './helpers/runs.js';
import { buildConvClassifier, buildMlp } from './helpers/testModels.js';

const runs: Run[] = [];
async function newRun(): Promise<Run> {
  const run = await testRun('models');
  runs.push(run);
  return run;
}
afterEach(async () => {
  for (const run of runs.splice(0)) await run.finish();
});

async function rejection(promise: Promise<unknown>): Promise<RunlogError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RunlogError);
    return error as RunlogError;
  }
  throw new Error('expected a rejection');
}

describe('logModel and loadSession', () => {
  it('logs an .onnx file as a model artifact with the metadata the file holds', async () => {
    const run = await newRun();
    const conv = buildConvClassifier();
    const path = join(run.dir, 'digits-cnn.onnx');
    writeFileSync(path, conv.bytes);
    const model = await logModel(run, path, {
      name: 'digits-cnn',
      aliases: ['candidate'],
      metadata: { accuracy: 0.91 },
    });
    expect(model.type).toBe('model');
    expect(model.qualifiedName).toBe('models/digits-cnn:v0');
    expect(model.aliases).toEqual(expect.arrayContaining(['latest', 'candidate']));
    expect(model.files().map((f) => f.path)).toEqual(['digits-cnn.onnx']);
    expect(model.metadata).toMatchObject({
      format: 'onnx',
      file: 'digits-cnn.onnx',
      irVersion: 8,
      opsetImports: [{ domain: '', version: 13 }],
      producerName: 'runlog-onnx-graph',
      inputs: [{ name: 'image', type: 'float32', shape: ['batch', 1, 8, 8] }],
      outputs: [{ name: 'probs', type: 'float32', shape: ['batch', 10] }],
      initializerCount: conv.initializerCount,
      parameterCount: conv.parameterCount,
      accuracy: 0.91,
    });
    // what is on disk in the store says the same
    const version = JSON.parse(
      readFileSync(join(run.storeDir, 'models', 'artifacts', 'digits-cnn', 'versions', 'v0', 'version.json'), 'utf8'),
    );
    expect(version.type).toBe('model');
    expect(version.metadata.parameterCount).toBe(conv.parameterCount);
    expect(version.metadata.inputs[0].shape).toEqual(['batch', 1, 8, 8]);
    const stored = readFileSync(await model.file('digits-cnn.onnx'));
    expect(Buffer.compare(stored, Buffer.from(conv.bytes))).toBe(0);
  });

  it('logs bytes too, and loadSession opens the version by alias giving the same outputs', async () => {
    const run = await newRun();
    const mlp = buildMlp();
    const model = await logModel(run, mlp.bytes, { name: 'mlp', aliases: ['production'] });
    expect(model.files().map((f) => f.path)).toEqual(['model.onnx']);
    expect(model.metadata.parameterCount).toBe(readOnnxMetadata(mlp.bytes).parameterCount);

    const session = await loadSession(run, 'mlp:production', { intraOpNumThreads: 1 });
    const reference = await InferenceSession.create(mlp.bytes);
    const x = new Tensor('float32', Float32Array.from([0.1, -0.4, 2, 0.7, 1, 1, -1, 0]), [2, 4]);
    const [a, b] = await Promise.all([session.run({ x }), reference.run({ x })]);
    expect(Array.from(a.probs.data as Float32Array)).toEqual(Array.from(b.probs.data as Float32Array));
    // the run recorded the model as an input
    const lineage = readFileSync(join(run.dir, 'artifacts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lineage.map((l) => [l.direction, l.artifact])).toEqual([
      ['logged', 'models/mlp:v0'],
      ['used', 'models/mlp:v0'],
    ]);
    await Promise.all([session.release(), reference.release()]);
  });

  it('a corrupt or truncated file fails with ARTIFACT_INVALID and logs nothing', async () => {
    const run = await newRun();
    const bytes = buildMlp().bytes;
    const truncated = join(run.dir, 'truncated.onnx');
    writeFileSync(truncated, bytes.subarray(0, bytes.length >> 1));
    const fromPath = await rejection(logModel(run, truncated, { name: 'broken' }));
    expect(fromPath.code).toBe('ARTIFACT_INVALID');
    expect(fromPath.message).toContain('truncated.onnx is not a valid ONNX model');
    const garbage = await rejection(logModel(run, new TextEncoder().encode('{"not": "a model"}'), { name: 'broken' }));
    expect(garbage.code).toBe('ARTIFACT_INVALID');
    const missing = await rejection(logModel(run, join(run.dir, 'nope.onnx')));
    expect(missing.code).toBe('ARTIFACT_INVALID');
    expect(missing.message).toContain('no file at');
    expect(existsSync(join(run.storeDir, 'models', 'artifacts', 'broken'))).toBe(false);
    expect(existsSync(join(run.dir, 'artifacts.jsonl'))).toBe(false);
  });

  it('loadSession refuses a non-model artifact and names a missing one', async () => {
    const run = await newRun();
    const data = join(run.dir, 'data.csv');
    writeFileSync(data, 'a,b\n1,2\n');
    await run.logArtifact(data, { name: 'table', type: 'dataset' });
    expect((await rejection(loadSession(run, 'table:latest'))).code).toBe('ARTIFACT_TYPE_MISMATCH');
    expect((await rejection(loadSession(run, 'absent:latest'))).code).toBe('ARTIFACT_NOT_FOUND');
  });
});
