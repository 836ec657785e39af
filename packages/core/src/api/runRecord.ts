import type { RunDocument } from '../run/runDocument.js';
import { RUN_STATES, type RunState } from '../run/runState.js';
import type { JsonObject } from '../values/jsonTypes.js';

export type { RunState };

export function isRunState(value: unknown): value is RunState {
  return typeof value === 'string' && (RUN_STATES as readonly string[]).includes(value);
}

export { RUN_STATES };

/**
 * run.json as a reader holds it: the engine's RunDocument, with the fields an older or hand-written file may
 * leave out made optional, and config/metadata as JSON objects.
 */
export interface RunRecord extends Omit<RunDocument, 'config' | 'metadata' | 'heartbeatIntervalMs' | 'runtimeSeconds'> {
  config: JsonObject;
  metadata: JsonObject;
  heartbeatIntervalMs?: number;
  runtimeSeconds?: number;
  [extra: string]: unknown;
}

/** The `heartbeat` file: rewritten by a live run's process. `at` is an ISO time (or Unix seconds/milliseconds). */
export interface Heartbeat {
  pid?: number;
  host?: string;
  at?: string | number;
}
