import { hostname } from 'node:os';
import { DEFAULT_HEARTBEAT_INTERVAL_MS, isProcessAlive } from '../run/liveness.js';
import type { Heartbeat, RunRecord, RunState } from './runRecord.js';
import { LIVE_STATES } from './runRecord.js';

/** A heartbeat older than this many intervals means the writer is gone. */
export const STALE_HEARTBEATS = 3;

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
  record: RunRecord;
  heartbeat: Heartbeat | undefined;
  /** Modification time of the heartbeat file, used when its `at` is missing. */
  heartbeatMtimeMs?: number;
  now?: number;
  host?: string;
}

/**
 * The state a reader should show. run.json says what the writer last recorded; a `running` or `preempting`
 * run whose writer died never got to record anything else, so it reads as `crashed` when its heartbeat is
 * older than three intervals, or when it ran on this host under a pid that is no longer alive.
 */
export function readerState({ record, heartbeat, heartbeatMtimeMs, now, host }: StateEvidence): RunState {
  if (!LIVE_STATES.includes(record.state)) return record.state;
  const pid = heartbeat?.pid ?? record.pid;
  const runHost = heartbeat?.host ?? record.host;
  if (typeof pid === 'number' && runHost === (host ?? hostname()) && !isProcessAlive(pid)) return 'crashed';
  const interval = positive(record.heartbeatIntervalMs) ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  const beatAt =
    toEpochMs(heartbeat?.at) ?? heartbeatMtimeMs ?? toEpochMs(record.updatedAt) ?? toEpochMs(record.startedAt);
  if (beatAt === undefined) return record.state;
  return (now ?? Date.now()) - beatAt > STALE_HEARTBEATS * interval ? 'crashed' : record.state;
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && value > 0 ? value : undefined;
}
