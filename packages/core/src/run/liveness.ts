import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { readJsonSync } from '../storage/readJson.js';
import { RUN_FILES } from '../storage/storePaths.js';
import { LIVE_STATES, type RunState } from './runState.js';

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 15_000;
/** A heartbeat older than this many intervals means the writer is gone. */
export const STALE_HEARTBEATS = 3;

/** The heartbeat file: rewritten by a live run's process. `at` is an ISO time (older files: Unix s or ms). */
export interface Heartbeat {
  pid?: number;
  host?: string;
  at?: string | number;
}

/** What the liveness rule reads of run.json. */
export interface LivenessRecord {
  state: RunState;
  pid?: number | null;
  host?: string | null;
  heartbeatIntervalMs?: number;
  updatedAt?: string;
  startedAt?: string | null;
  /** Set when the run's process recorded its end (a preempted run ends `preempting`). */
  finishedAt?: string | null;
}

/** A run whose process ended it as `preempting` (markPreempting, then a signal): waiting to be requeued. */
export function endedPreempted(record: LivenessRecord): boolean {
  return record.state === 'preempting' && typeof record.finishedAt === 'string';
}

/**
 * True when a process with this pid runs on this machine. A zombie (dead, not yet reaped: an orphan whose new
 * parent reaps late, as some container inits do) answers signal 0 like a live process, so on Linux its state
 * in /proc is checked too.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    // /proc/<pid>/stat: "pid (comm) S ...": the state follows the last ')' (comm may hold spaces and parens).
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
  } catch {
    return false;
  }
}

/** Milliseconds since the epoch for an ISO time or Unix seconds/milliseconds; undefined when unreadable. */
export function toEpochMs(at: unknown): number | undefined {
  if (typeof at === 'number' && Number.isFinite(at)) return at < 1e11 ? at * 1000 : at;
  if (typeof at === 'string') {
    const ms = Date.parse(at);
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (at instanceof Date) return at.getTime();
  return undefined;
}

export interface StateEvidence {
  record: LivenessRecord;
  heartbeat: Heartbeat | undefined;
  /** Modification time of the heartbeat file, used when its `at` is missing. */
  heartbeatMtimeMs?: number;
  now?: number;
  host?: string;
  /** The pid named by the run folder's ownership lock (null: no lock file; undefined: not looked at). */
  lockPid?: number | null;
}

/**
 * The one liveness rule, for the engine (resume) and every reader: a `running` or `preempting` run whose writer
 * died never got to record anything else, so it reads as `crashed` when it ran on this host under a pid that is
 * no longer alive, or when its last sign of life (heartbeat, else run.json's updatedAt) is older than three
 * heartbeat intervals. A run whose pid is alive on this host and holds the run's ownership lock is never
 * crashed, however long its heartbeat is silent (a pid that is alive without the lock may be a reused pid, so
 * the heartbeat's age decides).
 */
export function readerState({ record, heartbeat, heartbeatMtimeMs, now, host, lockPid }: StateEvidence): RunState {
  if (!LIVE_STATES.has(record.state) || endedPreempted(record)) return record.state;
  const pid = heartbeat?.pid ?? record.pid;
  const runHost = heartbeat?.host ?? record.host;
  if (typeof pid === 'number' && runHost === (host ?? hostname())) {
    if (!isProcessAlive(pid)) return 'crashed';
    if (lockPid === pid) return record.state;
  }
  const interval =
    typeof record.heartbeatIntervalMs === 'number' && record.heartbeatIntervalMs > 0
      ? record.heartbeatIntervalMs
      : DEFAULT_HEARTBEAT_INTERVAL_MS;
  const beatAt =
    toEpochMs(heartbeat?.at) ?? heartbeatMtimeMs ?? toEpochMs(record.updatedAt) ?? toEpochMs(record.startedAt);
  if (beatAt === undefined) return record.state;
  return (now ?? Date.now()) - beatAt > STALE_HEARTBEATS * interval ? 'crashed' : record.state;
}

/** readerState for a run folder: reads its heartbeat file (a damaged one is no sign of life). */
export function effectiveState(runDir: string, record: LivenessRecord, now = Date.now()): RunState {
  const path = join(runDir, RUN_FILES.heartbeat);
  let heartbeat: Heartbeat | undefined;
  let heartbeatMtimeMs: number | undefined;
  try {
    heartbeat = readJsonSync<Heartbeat>(path);
    heartbeatMtimeMs = heartbeat ? statSync(path).mtimeMs : undefined;
  } catch {
    heartbeat = undefined;
  }
  return readerState({ record, heartbeat, heartbeatMtimeMs, now, lockPid: lockPidOf(runDir) });
}

/** The pid in a run folder's ownership lock, or null without one (read only for runs that say they are live). */
export function lockPidOf(runDir: string): number | null {
  try {
    const pid = readJsonSync<{ pid?: unknown }>(join(runDir, RUN_FILES.lock))?.pid;
    return typeof pid === 'number' ? pid : null;
  } catch {
    return null;
  }
}
