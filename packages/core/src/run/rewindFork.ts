import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidValueError, RunlogError } from '../errors/runlogError.js';
import { RUN_FILES, storePaths } from '../storage/storePaths.js';
import { forkHistory, type RewindRecord, rewindHistory } from './historyRewind.js';
import { parseStepPoint, stepPointRun } from './initOptions.js';
import { readStoredRun, type StoredRun } from './resume.js';
import type { InitOptions } from './runOptions.js';
import { replaySummary } from './summaryReplay.js';

/** Where a fork came from, kept in run.json's `forkedFrom` (docs/FORMAT.md). */
export interface ForkLineage {
  project: string;
  runId: string;
  step: number;
}

/** Refuses resumeFrom/forkFrom combined with each other or with options they contradict. */
export function checkRewindFork(options: InitOptions): void {
  const resumeFrom = parseStepPoint('resumeFrom', options.resumeFrom);
  const forkFrom = parseStepPoint('forkFrom', options.forkFrom);
  if (resumeFrom && forkFrom) throw new InvalidValueError('pass resumeFrom or forkFrom, not both', 'INVALID_ARGUMENT');
  if ((resumeFrom || forkFrom) && options.resume !== undefined)
    throw new InvalidValueError(
      `resume and ${resumeFrom ? 'resumeFrom' : 'forkFrom'} cannot be combined (wandb refuses it too)`,
      'INVALID_ARGUMENT',
    );
  if (resumeFrom && options.mode === 'disabled')
    throw new InvalidValueError('a disabled run cannot rewind a stored run', 'INVALID_ARGUMENT');
}

/** The run a rewind continues, and its id: `resumeFrom` names it (an `id` option must agree). */
export function rewindTarget(options: InitOptions, project: string): { id: string; step: number } | undefined {
  const point = parseStepPoint('resumeFrom', options.resumeFrom);
  if (!point) return undefined;
  const target = stepPointRun(point, project);
  if (target.project !== project || (options.id !== undefined && options.id !== target.id))
    throw new InvalidValueError(
      `resumeFrom rewinds the run it names (${point.run}); project and id must be that run's`,
      'INVALID_ARGUMENT',
    );
  return { id: target.id, step: point.step };
}

/** Rewinds the stored run in `dir` to `step`: later rows are archived, the summary is computed again. */
export async function rewindStoredRun(
  dir: string,
  stored: StoredRun,
  step: number,
): Promise<{ stored: StoredRun; rewinds: RewindRecord[] }> {
  const previous = stored.document.rewinds ?? [];
  const cut = await rewindHistory(dir, step, previous.length + 1);
  return { stored: afterCut(stored, cut.keptRows, step), rewinds: [...previous, cut.record] };
}

/** Copies the source run's history up to the step into the new run folder; returns what the fork starts from. */
export async function forkStoredRun(
  options: InitOptions,
  storeDir: string,
  project: string,
  dir: string,
): Promise<{ stored: StoredRun; lineage: ForkLineage } | undefined> {
  const point = parseStepPoint('forkFrom', options.forkFrom);
  if (!point) return undefined;
  const source = stepPointRun(point, project);
  const sourceDir = storePaths.run(storeDir, source.project, source.id);
  const sourceRun = existsSync(join(sourceDir, RUN_FILES.run)) ? readStoredRun(sourceDir) : undefined;
  if (!sourceRun) throw new RunlogError('RUN_NOT_FOUND', `forkFrom: there is no run ${source.project}/${source.id}`);
  const cut = await forkHistory(sourceDir, dir, point.step);
  const stored = afterCut(sourceRun, cut.keptRows, point.step);
  return { stored, lineage: { project: source.project, runId: source.id, step: point.step } };
}

/** What a run continues from once its history ends at `step`: next step, runtime and a replayed summary. */
function afterCut(stored: StoredRun, rows: Record<string, unknown>[], step: number): StoredRun {
  const last = rows[rows.length - 1];
  return {
    document: stored.document,
    nextStep: Math.min(stored.nextStep, step + 1),
    runtimeSeconds: typeof last?._runtime === 'number' ? last._runtime : 0,
    // Keys set by hand are dropped: they may describe rows that are no longer in this history.
    metrics: replaySummary(rows, stored.metrics?.definitions),
  };
}
