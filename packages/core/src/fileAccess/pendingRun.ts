import { randomBytes } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PendingRunOptions } from '../access/runData.js';
import type { RunRecord } from '../api/runRecord.js';
import { InvalidValueError, RunlogError } from '../errors/runlogError.js';
import { DEFAULT_HEARTBEAT_INTERVAL_MS } from '../run/liveness.js';
import { atomicWriteJson } from '../storage/atomicWrite.js';
import { assertSafeName, FORMAT_VERSION, RUN_FILES, storePaths } from '../storage/storePaths.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function randomRunId(): string {
  return [...randomBytes(8)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

/**
 * The run.json of a pending run (docs/FORMAT.md), options checked (INVALID_ARGUMENT): fields a started run fills
 * (startedAt, pid, host, metadata) are null or empty until `init()` resumes it. Shared with the team server.
 */
export function pendingRunRecord(options: PendingRunOptions): RunRecord {
  const { project, state = 'pending' } = options;
  assertSafeName('project', project);
  const id = options.id ?? randomRunId();
  assertSafeName('run id', id);
  if (state !== 'pending') {
    throw new InvalidValueError(
      `createRun() makes pending runs; use init() to start one (got state ${JSON.stringify(state)})`,
      'INVALID_ARGUMENT',
    );
  }
  const tags = options.tags ?? [];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) {
    throw new InvalidValueError('tags must be an array of strings', 'INVALID_ARGUMENT');
  }
  const config = options.config ?? {};
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InvalidValueError('config must be an object', 'INVALID_ARGUMENT');
  }
  const now = new Date().toISOString();
  return {
    formatVersion: FORMAT_VERSION,
    id,
    name: options.name ?? id,
    project,
    state,
    exitCode: null,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    updatedAt: now,
    resumeCount: 0,
    pid: null,
    host: null,
    tags,
    notes: options.notes ?? '',
    group: options.group ?? null,
    jobType: options.jobType ?? null,
    config,
    metadata: {},
    heartbeatIntervalMs: DEFAULT_HEARTBEAT_INTERVAL_MS,
    runtimeSeconds: 0,
  };
}

/** Writes the run.json of a pending run and nothing else: no history, no heartbeat. */
export async function writePendingRun(
  storeDir: string,
  options: PendingRunOptions,
): Promise<{ dir: string; record: RunRecord }> {
  const record = pendingRunRecord(options);
  const dir = storePaths.run(storeDir, record.project, record.id);
  if (
    await stat(join(dir, RUN_FILES.run)).then(
      () => true,
      () => false,
    )
  ) {
    throw new RunlogError('RUN_EXISTS', `run ${record.project}/${record.id} already exists; pick another id`);
  }
  await mkdir(dir, { recursive: true });
  await atomicWriteJson(join(dir, RUN_FILES.run), record);
  return { dir, record };
}
