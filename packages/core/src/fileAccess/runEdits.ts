import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeleteRunOptions, RunData, RunPatch } from '../access/runData.js';
import { artifactUses } from '../api/artifactUse.js';
import { checkRunPatch } from '../api/runPatch.js';
import type { RunRecord } from '../api/runRecord.js';
import { StateTransitionError } from '../api/stateTransitionError.js';
import { assertTransition } from '../api/stateTransitions.js';
import { readJsonLines } from '../jsonLines/readJsonLines.js';
import { endedPreempted } from '../run/liveness.js';
import { RunLock } from '../run/runLock.js';
import { LIVE_STATES, type RunState } from '../run/runState.js';
import { atomicWriteJson } from '../storage/atomicWrite.js';
import { readJson } from '../storage/readJson.js';
import { RUN_FILES } from '../storage/storePaths.js';
import { deleteLoggedVersions } from './deleteLoggedVersions.js';
import { loadRunSnapshot } from './runSnapshot.js';

/** A run folder and its name, for the edits below. */
export interface RunFolder {
  project: string;
  id: string;
  dir: string;
}

const pathOf = (run: RunFolder) => `${run.project}/${run.id}`;

/**
 * Writes an edit: run.json's fields replaced, summary.json's keys set and removed (each document replaced
 * atomically). Summary keys edited here are recorded in metrics.json's "manual" map, so a resumed run keeps them.
 */
export async function updateRunFolder(run: RunFolder, patch: RunPatch): Promise<RunData> {
  checkRunPatch(pathOf(run), patch);
  const before = loadRunSnapshot(run.dir, run.project, run.id);
  const runJson = join(run.dir, RUN_FILES.run);
  const current = (await readJson<RunRecord>(runJson)) ?? before.record;
  const fields = ['name', 'tags', 'notes', 'group', 'jobType', 'config'] as const;
  const record: RunRecord = { ...current };
  for (const field of fields) if (patch[field] !== undefined) (record as Record<string, unknown>)[field] = patch[field];
  record.updatedAt = new Date().toISOString();
  await atomicWriteJson(runJson, record);
  const set = patch.summary?.set ?? {};
  const remove = (patch.summary?.remove ?? []).filter((k) => Object.hasOwn(before.summary, k));
  if (Object.keys(set).length > 0 || remove.length > 0) {
    const summary = { ...before.summary, ...set };
    for (const key of remove) delete summary[key];
    await atomicWriteJson(join(run.dir, RUN_FILES.summary), summary);
    await markManualSummary(run.dir, summary, [...Object.keys(set), ...remove]);
  }
  return loadRunSnapshot(run.dir, run.project, run.id);
}

/** metrics.json's "manual" map (key -> value) tells a resumed run to keep these summary values. */
async function markManualSummary(runDir: string, summary: Record<string, unknown>, keys: string[]): Promise<void> {
  const path = join(runDir, RUN_FILES.metrics);
  const metrics = await readJson<Record<string, unknown>>(path).catch(() => undefined);
  if (!metrics || typeof metrics !== 'object') return;
  const previous = metrics.manual;
  const manual: Record<string, unknown> =
    previous && typeof previous === 'object' && !Array.isArray(previous) ? { ...previous } : {};
  for (const key of keys) {
    if (Object.hasOwn(summary, key)) manual[key] = summary[key];
    else delete manual[key];
  }
  await atomicWriteJson(path, { ...metrics, manual });
}

/** Requeues or fails a run (see ALLOWED_TRANSITIONS), judged on its state as stored now. */
export async function setRunFolderState(run: RunFolder, state: 'pending' | 'failed'): Promise<RunData> {
  const before = loadRunSnapshot(run.dir, run.project, run.id);
  assertTransition(pathOf(run), before.state, state);
  const runJson = join(run.dir, RUN_FILES.run);
  const current = (await readJson<RunRecord>(runJson)) ?? before.record;
  const now = new Date().toISOString();
  const record: RunRecord = {
    ...current,
    state,
    updatedAt: now,
    ...(state === 'failed' ? { finishedAt: current.finishedAt ?? now } : { finishedAt: null, exitCode: null }),
  };
  await atomicWriteJson(runJson, record);
  return loadRunSnapshot(run.dir, run.project, run.id);
}

/**
 * Removes a run folder (and with `deleteArtifacts`, the artifact versions it logged); a live run needs `force`
 * (STATE_TRANSITION). Without `force` the run's ownership lock is then taken (RUN_BUSY while a process owns the
 * run, whatever run.json says) and the state checked again under it: no process can open the run while it is
 * being deleted, and a live owner is never deleted under its feet.
 */
export async function deleteRunFolder(run: RunFolder, storeDir: string, options: DeleteRunOptions = {}): Promise<void> {
  if (!options.force) assertNotLive(run);
  const lock = options.force ? undefined : takeDeleteLock(run);
  try {
    if (!options.force) assertNotLive(run);
    await deleteUnchecked(run, storeDir, options);
  } finally {
    lock?.release(); // gone with the folder unless the delete was refused
  }
}

function takeDeleteLock(run: RunFolder): RunLock | undefined {
  if (!existsSync(run.dir)) return undefined; // nothing to protect (the delete answers RUN_NOT_FOUND or no-ops)
  return RunLock.acquire(run.dir, pathOf(run), 'delete');
}

function assertNotLive(run: RunFolder): void {
  let state: RunState | undefined;
  let preempted = false;
  try {
    const snapshot = loadRunSnapshot(run.dir, run.project, run.id);
    state = snapshot.state;
    preempted = endedPreempted(snapshot.record); // its process is gone: nothing writes it
  } catch {
    state = undefined; // a folder without run.json can still be removed
  }
  if (state !== undefined && LIVE_STATES.has(state) && !preempted) {
    throw new StateTransitionError(
      `run ${pathOf(run)} is ${state} (its process looks alive); stop it first or pass { force: true }`,
    );
  }
}

async function deleteUnchecked(run: RunFolder, storeDir: string, options: DeleteRunOptions): Promise<void> {
  if (options.deleteArtifacts) {
    const records: Record<string, unknown>[] = [];
    for await (const record of readJsonLines(join(run.dir, RUN_FILES.artifacts))) records.push(record);
    await deleteLoggedVersions(storeDir, run, artifactUses(records, 'logged'));
  }
  await rm(run.dir, { recursive: true, force: true });
}
