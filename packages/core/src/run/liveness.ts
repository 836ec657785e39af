import { hostname } from 'node:os';
import { join } from 'node:path';
import { readJsonSync } from '../storage/readJson.js';
import { RUN_FILES } from '../storage/storePaths.js';
import { LIVE_STATES, type RunState } from './runState.js';

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 15_000;

export interface Heartbeat {
  pid: number;
  host: string;
  at: string;
}

/** True when a process with this pid exists on this machine. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The state a reader should show: a run recorded as running (or preempting) whose process is gone, or whose
 * heartbeat is older than three intervals, is crashed.
 */
export function effectiveState(
  runDir: string,
  stored: { state: RunState; heartbeatIntervalMs?: number },
  now = Date.now(),
): RunState {
  if (!LIVE_STATES.has(stored.state)) return stored.state;
  let heartbeat: Heartbeat | undefined;
  try {
    heartbeat = readJsonSync<Heartbeat>(join(runDir, RUN_FILES.heartbeat));
  } catch {
    heartbeat = undefined; // a damaged heartbeat is no sign of life
  }
  if (!heartbeat) return 'crashed';
  if (heartbeat.host === hostname() && !isProcessAlive(heartbeat.pid)) return 'crashed';
  const interval = stored.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  const age = now - Date.parse(heartbeat.at);
  return age > 3 * interval ? 'crashed' : stored.state;
}
