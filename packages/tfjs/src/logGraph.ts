import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Run } from '@runlog/core';
import { atomicWriteJsonSync } from '@runlog/core/internal';
import { Table } from '@runlog/media';
import type { LayersModel } from '@tensorflow/tfjs-layers';

export const GRAPH_TABLE_KEY = 'graph/layers';
export const GRAPH_FILE = 'model_graph.json';

/**
 * Records a model's structure: a Table under `graph/layers` (name, class, output shape, params, trainable
 * params, one row per layer), the topology (model.toJSON) as files/model_graph.json in the run folder, and the
 * parameter totals in the summary (`graph/params`, `graph/trainable_params`).
 */
export function logGraph(run: Run, model: LayersModel): void {
  const table = new Table({ columns: ['name', 'class', 'output shape', 'params', 'trainable params'] });
  let params = 0;
  let trainable = 0;
  for (const layer of model.layers) {
    const count = layer.countParams();
    const trainableCount = layer.trainableWeights.reduce(
      (n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
      0,
    );
    params += count;
    trainable += trainableCount;
    table.addData(layer.name, layer.getClassName(), JSON.stringify(outputShape(layer)), count, trainableCount);
  }
  run.log({ [GRAPH_TABLE_KEY]: table }, { commit: false });
  run.summary.set('graph/params', params);
  run.summary.set('graph/trainable_params', trainable);
  const topology = model.toJSON(undefined, false);
  const file = join(run.dir, 'files', GRAPH_FILE);
  mkdirSync(dirname(file), { recursive: true });
  atomicWriteJsonSync(file, {
    name: model.name,
    className: model.getClassName(),
    params,
    trainableParams: trainable,
    topology,
  });
}

function outputShape(layer: LayersModel['layers'][number]): unknown {
  try {
    return layer.outputShape;
  } catch {
    return null; // a layer used at several nodes has no single output shape
  }
}
