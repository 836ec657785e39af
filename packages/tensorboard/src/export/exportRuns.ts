import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RunView } from '@runlog/core';
import { isEventFileName } from '../format/eventFileName.js';
import { runFolderName } from '../logdir/runFolderName.js';
import type { ScalarForm } from '../values/encoderTarget.js';
import { type ExportedRun, exportRun } from './exportRun.js';

export interface ExportTensorboardOptions {
  /** TensorBoard's logdir: each run becomes a folder in it. */
  logdir: string;
  /** Scalars as float64 tensors (TensorBoard's current form, default) or float32 `simple_value`s. */
  scalars?: ScalarForm;
  /** Progress over all the runs, from 0 to 1, with the run being written. */
  onProgress?: (fraction: number, run: string) => void;
}

/** Whether `folder` holds event files other than this run's own export (then the run needs a folder of its own). */
async function holdsOtherEvents(folder: string, runId: string): Promise<boolean> {
  const names = await readdir(folder).catch(() => [] as string[]);
  return names.some((name) => isEventFileName(name) && !name.endsWith(`.runlog.${runId}`));
}

/**
 * Writes stored runs into a TensorBoard logdir, one folder per run named after the run (`<name>-<id>` when two
 * runs share a name or the folder holds another writer's events). Exporting a run again replaces its file.
 * @example
 * const api = new Api({ dir: './runlog' });
 * await exportRuns(await api.runs('digits').toArray(), { logdir: './tb' }); // then: tensorboard --logdir ./tb
 */
export async function exportRuns(runs: readonly RunView[], options: ExportTensorboardOptions): Promise<ExportedRun[]> {
  const logdir = resolve(options.logdir);
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(run.name, (counts.get(run.name) ?? 0) + 1);
  const results: ExportedRun[] = [];
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i];
    let folder = join(logdir, runFolderName(run.name));
    if ((counts.get(run.name) ?? 0) > 1 || (await holdsOtherEvents(folder, run.id))) {
      folder = join(logdir, runFolderName(`${run.name}-${run.id}`));
    }
    results.push(
      await exportRun(run, {
        folder,
        scalars: options.scalars,
        onProgress: (fraction) => options.onProgress?.((i + fraction) / runs.length, run.path),
      }),
    );
  }
  return results;
}
