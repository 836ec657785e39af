import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunData } from '../access/runData.js';
import { isRunState, type RunRecord } from '../api/runRecord.js';
import { NotFoundError } from '../errors/runlogError.js';
import { lastHistoryRowSync } from '../historyRows/historyRowText.js';
import { type Heartbeat, lockPidOf, readerState, toEpochMs } from '../run/liveness.js';
import { LIVE_STATES } from '../run/runState.js';
import { readJsonSync } from '../storage/readJson.js';
import { RUN_FILES } from '../storage/storePaths.js';
import type { JsonObject } from '../values/jsonTypes.js';

/**
 * Loads a run folder without changing anything in it. A folder without run.json is RUN_NOT_FOUND.
 * The files are small and local: synchronous reads skip the thread-pool round trips (a listing of 1,000 runs
 * is several thousand of them). The heartbeat is read only for runs that say they are live.
 */
export function loadRunSnapshot(dir: string, project: string, id: string): RunData {
  const raw = readJsonSync<Partial<RunRecord>>(join(dir, RUN_FILES.run));
  if (raw === undefined) {
    const exists = statSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false;
    throw new NotFoundError(
      'RUN_NOT_FOUND',
      exists
        ? `run ${project}/${id} is incomplete: its ${RUN_FILES.run} is missing (was it deleted half-way, or never started?)`
        : `run ${project}/${id} not found`,
    );
  }
  const record = normalizeRecord(raw, project, id);
  const summary = readJsonSync<Record<string, unknown>>(join(dir, RUN_FILES.summary));
  const lastRow = lastHistoryRowSync(join(dir, RUN_FILES.history));
  let heartbeat: Heartbeat | undefined;
  let heartbeatStat: { mtimeMs: number } | undefined;
  let lockPid: number | null | undefined;
  if (LIVE_STATES.has(record.state)) {
    lockPid = lockPidOf(dir);
    const path = join(dir, RUN_FILES.heartbeat);
    heartbeat = tryRead(() => readJsonSync<Heartbeat>(path)); // rewritten constantly; a miss is fine
    heartbeatStat = statSync(path, { throwIfNoEntry: false });
  }
  const state = readerState({ record, heartbeat, heartbeatMtimeMs: heartbeatStat?.mtimeMs, lockPid });
  const beatMs = toEpochMs(heartbeat?.at) ?? heartbeatStat?.mtimeMs;
  const safeSummary = summary !== null && typeof summary === 'object' && !Array.isArray(summary) ? summary : {};
  const lastRuntime = typeof lastRow?._runtime === 'number' ? lastRow._runtime : undefined;
  const runtime = runtimeOf(record, safeSummary, lastRuntime, beatMs);
  return {
    record,
    summary: safeSummary,
    state,
    heartbeatAt: beatMs === undefined ? null : new Date(beatMs).toISOString(),
    lastHistoryStep: typeof lastRow?._step === 'number' ? lastRow._step : -1,
    ...(runtime === undefined ? {} : { runtime }),
  };
}

function tryRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** Fills what an older or hand-written run.json leaves out, so readers never meet undefined fields. */
export function normalizeRecord(raw: Partial<RunRecord>, project: string, id: string): RunRecord {
  const object = (v: unknown): JsonObject =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {};
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    ...raw,
    formatVersion: typeof raw.formatVersion === 'number' ? raw.formatVersion : 1,
    id: typeof raw.id === 'string' ? raw.id : id,
    name: typeof raw.name === 'string' && raw.name !== '' ? raw.name : id,
    project: typeof raw.project === 'string' ? raw.project : project,
    state: isRunState(raw.state) ? raw.state : 'crashed',
    exitCode: typeof raw.exitCode === 'number' ? raw.exitCode : null,
    createdAt: text(raw.createdAt) ?? text(raw.startedAt) ?? new Date(0).toISOString(),
    startedAt: text(raw.startedAt),
    finishedAt: text(raw.finishedAt),
    updatedAt: text(raw.updatedAt) ?? text(raw.createdAt) ?? new Date(0).toISOString(),
    resumeCount: typeof raw.resumeCount === 'number' ? raw.resumeCount : 0,
    pid: typeof raw.pid === 'number' ? raw.pid : null,
    host: text(raw.host),
    tags: Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === 'string') : [],
    notes: typeof raw.notes === 'string' ? raw.notes : '',
    group: text(raw.group),
    jobType: text(raw.jobType),
    config: object(raw.config),
    metadata: object(raw.metadata),
  };
}

/**
 * Seconds the run has run over all its resumes: the largest of run.json's `runtimeSeconds`, the last history
 * row's `_runtime` and the summary's; from timestamps only when none of those exist.
 */
export function runtimeOf(
  record: RunRecord,
  summary: Record<string, unknown>,
  historyRuntime: number | undefined,
  heartbeatMs: number | undefined,
): number | undefined {
  const known = [record.runtimeSeconds, historyRuntime, summary._runtime].filter(
    (v): v is number => typeof v === 'number' && Number.isFinite(v),
  );
  if (known.length > 0) return Math.max(...known);
  const start = toEpochMs(record.startedAt);
  const end = toEpochMs(record.finishedAt) ?? heartbeatMs ?? toEpochMs(record.updatedAt);
  return start === undefined || end === undefined ? undefined : Math.max(0, (end - start) / 1000);
}
