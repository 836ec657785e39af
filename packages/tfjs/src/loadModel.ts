import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { InvalidValueError, type Run } from '@runlog/core';
import { resolveRun } from '@runlog/media';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { MODEL_JSON, modelDirHandler } from './modelDirHandler.js';

/**
 * Loads a LayersModel saved by ModelCheckpoint (or any model.json + weights.bin folder) on the current backend.
 * `source` is a model artifact reference (`name`, `name:best`, `name:v3`, `project/name:alias`), used as an input
 * of `run`, or a path to a folder or a model.json.
 * @example
 * const best = await loadModel(run, 'model-abc123:best');
 * const fromDisk = await loadModel('./checkpoints/epoch-3');
 */
export async function loadModel(source: string): Promise<LayersModel>;
export async function loadModel(run: Run | undefined, source: string): Promise<LayersModel>;
export async function loadModel(runOrSource: Run | string | undefined, maybeSource?: string): Promise<LayersModel> {
  const source = typeof runOrSource === 'string' ? runOrSource : maybeSource;
  if (typeof source !== 'string' || source.length === 0) {
    throw new InvalidValueError(
      "loadModel needs an artifact reference ('name:alias') or the path of a model folder",
      'INVALID_ARGUMENT',
    );
  }
  const local = await localFolder(source);
  if (local) return loadLayersModel(modelDirHandler(local));
  const run = resolveRun(typeof runOrSource === 'string' ? undefined : runOrSource, 'loadModel');
  return loadLayersModel(modelDirHandler(await run.useModel(source)));
}

async function localFolder(source: string): Promise<string | undefined> {
  try {
    const info = await stat(source);
    if (info.isDirectory()) return source;
    if (info.isFile() && basename(source) === MODEL_JSON) return dirname(source);
  } catch {
    // not a path: an artifact reference
  }
  return undefined;
}
