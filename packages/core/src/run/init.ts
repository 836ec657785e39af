import { rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InvalidValueError, RunlogError, StorageError } from '../errors/runlogError.js';
import type { LogOptions } from '../history/historyRecorder.js';
import { atomicWriteJsonSync } from '../storage/atomicWrite.js';
import { readJsonSync } from '../storage/readJson.js';
import { assertSafeName, FORMAT_VERSION, resolveStoreDir, storePaths } from '../storage/storePaths.js';
import { captureMetadata } from './metadata.js';
import { assertNotLive, decideResume } from './resume.js';
import { Run } from './run.js';
import type { RunDocument } from './runDocument.js';
import { runExtras } from './runExtras.js';
import { generateRunId, generateRunName } from './runNames.js';
import { type InitOptions, resolveSettings } from './runOptions.js';
import { takeSweepTrial, trialOptions } from './sweepTrial.js';
import { attachTensorboard, checkTensorboardOptions, loadTensorboard } from './tensorboardHook.js';

let currentRun: Run | undefined;

const AUTO_RESUME_FILE = '.auto-resume.json';

function checkOptions(options: InitOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new InvalidValueError('init() takes an options object', 'INVALID_ARGUMENT');
  const strings = ['name', 'notes', 'group', 'jobType', 'dir'] as const;
  for (const key of strings) {
    if (options[key] !== undefined && typeof options[key] !== 'string') {
      throw new InvalidValueError(`init option ${key} must be a string`, 'INVALID_ARGUMENT');
    }
  }
  if (
    options.tags !== undefined &&
    (!Array.isArray(options.tags) || !options.tags.every((t) => typeof t === 'string'))
  ) {
    throw new InvalidValueError('init option tags must be an array of strings', 'INVALID_ARGUMENT');
  }
  if (options.resume !== undefined && !['allow', 'must', 'never', 'auto'].includes(options.resume)) {
    throw new InvalidValueError("resume must be 'allow', 'must', 'never' or 'auto'", 'INVALID_ARGUMENT');
  }
  if (options.mode !== undefined && options.mode !== 'offline' && options.mode !== 'disabled') {
    throw new InvalidValueError("mode must be 'offline' or 'disabled'", 'INVALID_ARGUMENT');
  }
  if (
    options.config !== undefined &&
    (typeof options.config !== 'object' || options.config === null || Array.isArray(options.config))
  ) {
    throw new InvalidValueError('init option config must be an object', 'INVALID_ARGUMENT');
  }
}

/** The members of `object` that are not undefined. */
function pickDefined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** 'auto' resume without an id: this project's last run started from here, if it did not finish. */
function autoResumeId(projectDir: string): string | undefined {
  try {
    const id = readJsonSync<{ id?: unknown }>(join(projectDir, AUTO_RESUME_FILE))?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined; // a damaged marker only means there is nothing to resume
  }
}

/**
 * Starts (or resumes) a run and makes it the current one. Writes run.json before it resolves.
 * @example
 * import { init } from '@runlog/core';
 * const run = await init({ project: 'mnist', config: { lr: 1e-3, epochs: 5 } });
 * run.log({ loss: 0.42 });
 * await run.finish();
 */
export async function init(initOptions: InitOptions = {}): Promise<Run> {
  checkOptions(initOptions);
  const trial = takeSweepTrial();
  const options = trial ? trialOptions(initOptions, trial) : initOptions;
  const project = options.project ?? 'uncategorized';
  assertSafeName('project', project);
  const settings = resolveSettings(options.settings);
  const storeDir = resolveStoreDir(options.dir);
  const projectDir = storePaths.project(storeDir, project);
  const disabled = options.mode === 'disabled';
  checkTensorboardOptions(settings.tensorboard, options.syncTensorboard);
  const wantsTensorboard = !disabled && (settings.tensorboard !== false || options.syncTensorboard !== undefined);
  const tensorboard = wantsTensorboard
    ? await loadTensorboard(options.syncTensorboard ? 'syncTensorboard' : 'settings.tensorboard')
    : undefined;

  let id = options.id;
  if (id === undefined && options.resume === 'auto' && !disabled) id = autoResumeId(projectDir);
  id ??= generateRunId();
  assertSafeName('run id', id);
  const runPath = `${project}/${id}`;
  const dir = storePaths.run(storeDir, project, id);

  let stored = disabled ? undefined : decideResume(dir, options.resume, runPath);
  if (stored && options.resume === 'auto' && options.id === undefined && stored.document.state === 'finished') {
    // The remembered run finished cleanly: 'auto' starts a new one.
    stored = undefined;
    id = generateRunId();
  }
  if (stored) assertNotLive(dir, stored);
  const finalDir = storePaths.run(storeDir, project, id);

  const now = new Date().toISOString();
  const previous = stored?.document;
  const document: RunDocument = {
    formatVersion: FORMAT_VERSION,
    id,
    name: options.name ?? previous?.name ?? generateRunName(),
    project,
    state: 'running',
    exitCode: null,
    createdAt: previous?.createdAt ?? now,
    startedAt: previous?.startedAt ?? now,
    finishedAt: null,
    updatedAt: now,
    resumeCount: previous && previous.state !== 'pending' ? (previous.resumeCount ?? 0) + 1 : 0,
    pid: process.pid,
    host: hostname(),
    tags: options.tags ? [...options.tags] : (previous?.tags ?? []),
    notes: options.notes ?? previous?.notes ?? '',
    group: options.group ?? previous?.group ?? null,
    jobType: options.jobType ?? previous?.jobType ?? null,
    config: previous?.config ?? {},
    metadata: settings.metadata && !disabled ? captureMetadata() : (previous?.metadata ?? {}),
    heartbeatIntervalMs: settings.heartbeatIntervalMs,
    runtimeSeconds: stored?.runtimeSeconds ?? 0,
    sweepId: trial?.sweepId ?? previous?.sweepId ?? null,
    // t9k's createRun (run/t9kCreateRun.ts): its alternative name and upload options, kept across resumes.
    ...pickDefined({ alternativeName: previous?.alternativeName, upload: previous?.upload }),
    ...pickDefined(runExtras(initOptions)),
  };

  if (!disabled) {
    try {
      await mkdir(finalDir, { recursive: true });
    } catch (error) {
      throw new StorageError(
        `cannot create the run folder ${finalDir}: ${(error as Error).message}. Pass dir or set RUNLOG_DIR to a writable folder.`,
        error,
      );
    }
  }
  const run = new Run({
    document,
    storeDir,
    dir: finalDir,
    settings,
    stored,
    disabled,
    onFinish: () => {
      if (currentRun === run) currentRun = undefined;
      if (!disabled && options.resume === 'auto' && run.state === 'finished') {
        rmSync(join(projectDir, AUTO_RESUME_FILE), { force: true });
      }
    },
  });
  // A resumed run keeps its stored config; init's config adds keys and may change values on purpose.
  if (options.config) run.config.update(options.config, { allowValChange: stored !== undefined });
  if (!disabled) {
    try {
      await run.writeInitialFiles();
      if (options.resume === 'auto') atomicWriteJsonSync(join(projectDir, AUTO_RESUME_FILE), { id });
    } catch (error) {
      throw new StorageError(`cannot write to the run folder ${finalDir}: ${(error as Error).message}`, error);
    }
    if (!settings.quiet) {
      process.stderr.write(
        `runlog: ${run.resumed ? 'resumed' : 'started'} run ${document.name} (${runPath}) in ${finalDir}\n`,
      );
    }
    run.start();
    if (tensorboard) attachTensorboard(tensorboard, run, settings.tensorboard, options.syncTensorboard);
  }
  currentRun = run;
  trial?.onRun?.(run);
  return run;
}

/** The current run (the last one init started that has not finished), or undefined. */
export function getRun(): Run | undefined {
  return currentRun;
}

function requireRun(method: string): Run {
  if (!currentRun) {
    throw new RunlogError(
      'NO_ACTIVE_RUN',
      `${method}() needs a run: call \`await init({ project })\` first (or use run.${method}() on the run it returns)`,
    );
  }
  return currentRun;
}

/** Logs to the current run; see Run.log. Throws NO_ACTIVE_RUN before init(). */
export function log(data: Record<string, unknown>, options?: LogOptions): void {
  requireRun('log').log(data, options);
}

/** Finishes the current run; see Run.finish. */
export function finish(exitCode?: number): Promise<void> {
  return requireRun('finish').finish(exitCode);
}
