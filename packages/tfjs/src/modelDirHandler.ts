import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InvalidValueError, RunlogError } from '@runlog/core';
import { io } from '@tensorflow/tfjs-core';
import { modelFiles } from './modelFiles.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/**
 * A tfjs IOHandler over a folder holding `model.json` + `weights.bin`: the layout tfjs-node's `file://`
 * handler writes, so either side reads what the other wrote, without tfjs-node installed.
 * @example
 * await model.save(modelDirHandler('./ckpt'));
 * const same = await tf.loadLayersModel(modelDirHandler('./ckpt'));
 */
export function modelDirHandler(dir: string): io.IOHandler {
  return {
    save: (artifacts) => saveModelDir(dir, artifacts),
    load: () => loadModelDir(dir),
  };
}

async function saveModelDir(dir: string, artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new InvalidValueError(
      'modelDirHandler saves layers models (JSON topology), not binary graph models',
      'INVALID_ARGUMENT',
    );
  }
  await mkdir(dir, { recursive: true });
  const { modelJson, weights } = modelFiles(artifacts, WEIGHTS_BIN);
  // Weights first, then model.json: a reader that finds model.json finds its weights too.
  await writeAtomic(join(dir, WEIGHTS_BIN), new Uint8Array(weights));
  await writeAtomic(join(dir, MODEL_JSON), JSON.stringify(modelJson));
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: 'JSON',
      modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
      weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
      weightDataBytes: weights.byteLength,
    },
  };
}

async function loadModelDir(dir: string): Promise<io.ModelArtifacts> {
  const modelJsonPath = join(dir, MODEL_JSON);
  const modelJson = await readModelJson(modelJsonPath);
  return io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    // Shards are read in manifest order, relative to model.json, as tfjs-node does.
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      for (const path of group.paths) {
        const bytes = await readModelFile(join(dirname(modelJsonPath), path));
        buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      }
    }
    return [io.getWeightSpecs(manifest), io.CompositeArrayBuffer.join(buffers)];
  });
}

async function readModelJson(path: string): Promise<io.ModelJSON> {
  const text = (await readModelFile(path)).toString('utf8');
  try {
    return JSON.parse(text) as io.ModelJSON;
  } catch (cause) {
    throw new RunlogError('ARTIFACT_INVALID', `${path} is not JSON: is this a tfjs model folder?`, { cause });
  }
}

/** A file of a saved model; a missing or unreadable one makes the folder an invalid model. */
async function readModelFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? String(cause)})`;
    throw new RunlogError('ARTIFACT_INVALID', `${path} ${why}: a tfjs model folder holds model.json and its weights`, {
      cause,
    });
  }
}

async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}
