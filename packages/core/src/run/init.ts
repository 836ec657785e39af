import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InvalidValueError, RunlogError, StorageError } from '../errors/runlogError.js';
import type { LogOptions } from '../history/historyRecorder.js';
import { type OnlineSession, prepareOnlineRun } from '../online/onlineSession.js';
import { resolveMode } from '../online/onlineTarget.js';
import { startOnlineSync } from '../online/startOnlineSync.js';
import { atomicWriteJsonSync } from '../storage/atomicWrite.js';
import { readJsonSync } from '../storage/readJson.js';
import { assertSafeName, FORMAT_VERSION, resolveStoreDir, storePaths } from '../storage/storePaths.js';
import { checkOptionNames, filterInitConfig } from './initOptions.js';
import { captureMetadata } from './metadata.js';
import { assertNotLive, decideResume, type StoredRun } from './resume.js';
import { checkRewindFork, forkStoredRun, rewindStoredRun, rewindTarget } from './rewindFork.js';
import { Run } from './run.js';
import type { RunDocument } from './runDocument.js';
import { runExtras } from './runExtras.js';
import { takeRunFolder } from './runFolderOwnership.js';
import { generateRunId, generateRunName } from './runNames.js';
import { type InitOptions, resolveSettings } from './runOptions.js';
import { takeSweepTrial, trialOptions } from './sweepTrial.js';
import { attachTensorboard, checkTensorboardOptions, loadTensorboard } from './tensorboardHook.js';

let currentRun: Run | undefined;

const AUTO_RESUME_FILE = '.auto-resume.json';

function checkOptions(options: InitOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new InvalidValueError('init() takes an options object', 'INVALID_ARGUMENT');
  checkOptionNames(options);
  checkRewindFork(options);
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
  if (options.mode !== undefined && !['online', 'offline', 'disabled'].includes(options.mode)) {
    throw new InvalidValueError("mode must be 'online', 'offline' or 'disabled'", 'INVALID_ARGUMENT');
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
  // wandb's reinit: what to do with a run of this process that is still current.
  const reinit = initOptions.reinit;
  if (currentRun && reinit === 'return_previous') return currentRun;
  if (currentRun && (reinit === true || reinit === 'finish_previous')) await currentRun.finish();
  const trial = takeSweepTrial();
  const options = trial ? trialOptions(initOptions, trial) : initOptions;
  const project = options.project ?? 'uncategorized';
  assertSafeName('project', project);
  const settings = resolveSettings(options.settings);
  const storeDir = resolveStoreDir(options.dir);
  const projectDir = storePaths.project(storeDir, project);
  const { target } = resolveMode(options);
  const disabled = options.mode === 'disabled';
  if (target && options.resumeFrom !== undefined)
    throw new InvalidValueError(
      "resumeFrom rewinds the run's local history, and a server keeps what it acknowledged: an online run cannot rewind (use forkFrom, or mode: 'offline')",
      'INVALID_ARGUMENT',
    );
  const warn = (message: string) => settings.quiet || process.emitWarning(message, { code: 'RUNLOG' });
  checkTensorboardOptions(settings.tensorboard, options.syncTensorboard);
  const wantsTensorboard = !disabled && (settings.tensorboard !== false || options.syncTensorboard !== undefined);
  const tensorboard = wantsTensorboard
    ? await loadTensorboard(options.syncTensorboard ? 'syncTensorboard' : 'settings.tensorboard')
    : undefined;

  const rewind = disabled ? undefined : rewindTarget(options, project);
  let id = rewind?.id ?? options.id;
  if (id === undefined && options.resume === 'auto' && !disabled) id = autoResumeId(projectDir);
  id ??= generateRunId();
  assertSafeName('run id', id);
  const runPath = `${project}/${id}`;
  const dir = storePaths.run(storeDir, project, id);

  // Exactly one process owns a run: its lock is taken before anything is read or written in the folder.
  let owned = disabled ? undefined : takeRunFolder(dir, runPath);
  let stored: StoredRun | undefined;
  let online: OnlineSession | undefined;
  // An online run's lease is taken, and a run this store lacks is downloaded, before the folder is read.
  const prepareOnline = async (runId: string, explicitId: boolean) =>
    target
      ? prepareOnlineRun(
          target,
          { project, id: runId, dir: storePaths.run(storeDir, project, runId), resume: options.resume, explicitId },
          warn,
          settings.leaseTtlMs,
        )
      : undefined;
  try {
    online = await prepareOnline(id, options.id !== undefined && !rewind);
    stored = disabled ? undefined : decideResume(dir, rewind ? 'must' : options.resume, runPath);
    if (stored && options.resume === 'auto' && options.id === undefined && stored.document.state === 'finished') {
      // The remembered run finished cleanly: 'auto' starts a new one.
      stored = undefined;
      owned?.giveUp();
      id = generateRunId();
      owned = takeRunFolder(storePaths.run(storeDir, project, id), `${project}/${id}`);
      await online?.lease.release();
      online = await prepareOnline(id, false);
    }
    if (stored) assertNotLive(dir, stored);
  } catch (error) {
    owned?.giveUp();
    await online?.lease.release();
    throw error;
  }
  const finalDir = storePaths.run(storeDir, project, id);
  // resumeFrom archives the rows after its step; forkFrom copies the source's rows up to its step.
  const rewound = rewind && stored ? await rewindStoredRun(dir, stored, rewind.step) : undefined;
  if (rewound) stored = rewound.stored;
  const fork = disabled
    ? undefined
    : await forkStoredRun(options, storeDir, project, finalDir).catch(async (error) => {
        await online?.lease.release(); // a corrected retry must not wait for the lease to expire
        throw error;
      });

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
    config: previous?.config ?? fork?.stored.document.config ?? {},
    metadata: settings.metadata && !disabled ? captureMetadata() : (previous?.metadata ?? {}),
    heartbeatIntervalMs: settings.heartbeatIntervalMs,
    runtimeSeconds: stored?.runtimeSeconds ?? 0,
    sweepId: trial?.sweepId ?? previous?.sweepId ?? null,
    // t9k's createRun (run/t9kCreateRun.ts): its alternative name and upload options, kept across resumes.
    ...pickDefined({ alternativeName: previous?.alternativeName, upload: previous?.upload }),
    ...pickDefined(runExtras(initOptions)),
    ...(rewound || previous?.rewinds ? { rewinds: rewound?.rewinds ?? previous?.rewinds } : {}),
    ...(fork || previous?.forkedFrom ? { forkedFrom: fork?.lineage ?? previous?.forkedFrom } : {}),
  };

  const run = new Run({
    document,
    storeDir,
    dir: finalDir,
    settings,
    stored: stored ?? fork?.stored,
    resumed: stored !== undefined && stored.document.state !== 'pending',
    disabled,
    lock: owned?.lock,
    onFinish: () => {
      if (currentRun === run) currentRun = undefined;
      if (!disabled && options.resume === 'auto' && run.state === 'finished') {
        rmSync(join(projectDir, AUTO_RESUME_FILE), { force: true });
      }
    },
  });
  try {
    // A resumed run keeps its stored config; init's config adds keys and may change values on purpose.
    const config = filterInitConfig(options);
    const allowValChange = stored !== undefined || fork !== undefined || options.allowValChange === true;
    if (config) run.config.update(config, { allowValChange });
  } catch (error) {
    owned?.giveUp();
    await online?.lease.release();
    throw error;
  }
  if (!disabled) {
    try {
      await run.writeInitialFiles();
      if (options.resume === 'auto') atomicWriteJsonSync(join(projectDir, AUTO_RESUME_FILE), { id });
    } catch (error) {
      owned?.giveUp();
      await online?.lease.release();
      throw new StorageError(`cannot write to the run folder ${finalDir}: ${(error as Error).message}`, error);
    }
    if (online && target) startOnlineSync(run, { ...target, session: online });
    if (!settings.quiet) {
      const streaming = online ? `, streaming to ${run.url}` : '';
      process.stderr.write(
        `runlog: ${run.resumed ? 'resumed' : 'started'} run ${document.name} (${runPath}) in ${finalDir}${streaming}\n`,
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
