import { stat } from 'node:fs/promises';
import { NotFoundError } from '@runlog/core';
import { EventSource } from './eventSource.js';
import { type ImportedRun, importRun } from './importRun.js';
import { findRunFolders } from './runFolders.js';

export interface ImportTensorboardOptions {
  /** The runlog project the runs go into. */
  project: string;
  /** The store; default $RUNLOG_DIR or ./runlog. */
  dir?: string;
  /** Progress over the whole logdir, from 0 to 1 (by bytes of event files read), with the run being read. */
  onProgress?: (fraction: number, run: string) => void;
}

/**
 * Imports a TensorBoard logdir into a runlog project: one run per folder of event files (Keras-style `train/`,
 * `validation/`, `val/` subfolders folded into their parent's run, tags prefixed `train/`...). Importing the
 * same logdir again creates no run twice: unchanged runs are left alone, runs whose files grew are replaced.
 * @example
 * const runs = await importTensorboard('./logs', { project: 'keras-mnist' });
 * for (const run of runs) console.log(run.path, run.status, run.rows);
 */
export async function importTensorboard(logdir: string, options: ImportTensorboardOptions): Promise<ImportedRun[]> {
  const info = await stat(logdir).catch(() => undefined);
  if (!info?.isDirectory()) throw new NotFoundError('RUN_NOT_FOUND', `no TensorBoard logdir at ${logdir}`);
  const folders = await findRunFolders(logdir);
  let total = 0;
  for (const folder of folders) {
    for (const source of folder.sources) {
      total += (await new EventSource(source.folder, source.prefix).sizes()).total;
    }
  }
  let done = 0;
  const results: ImportedRun[] = [];
  for (const folder of folders) {
    results.push(
      await importRun(folder, {
        project: options.project,
        dir: options.dir,
        onBytes: (bytes) => {
          done += bytes;
          options.onProgress?.(total > 0 ? Math.min(1, done / total) : 1, folder.name);
        },
      }),
    );
  }
  options.onProgress?.(1, '');
  return results;
}
