import type { RunFilter } from '../api/runFilter.js';
import type { RunOrder } from '../api/runOrder.js';
import type { RunRecord, RunState } from '../api/runRecord.js';
import type { JsonObject } from '../values/jsonTypes.js';

/** A run named by its project and id (`project/id` in paths and messages). */
export interface RunRef {
  project: string;
  id: string;
}

/** A project of the store. */
export interface ProjectInfo {
  name: string;
  /** Runs in the project. */
  runCount: number;
  /** Artifact collections in the project. */
  artifactCount: number;
}

/**
 * Everything a reader knows about a run at one moment: its run document (run.json, normalised so no field a
 * reader relies on is missing), its summary, and what the store derives from them.
 */
export interface RunData {
  /** run.json as stored, with defaults filled for the fields an older or hand-written document leaves out. */
  record: RunRecord;
  /** The summary (values decoded: NaN, ±Infinity, -0 and dates restored). */
  summary: Record<string, unknown>;
  /** The state a reader sees: `crashed` for a live-looking run whose process is gone (heartbeat stale, pid dead). */
  state: RunState;
  /** The last sign of life of a live run's process (ISO time), null when unknown. */
  heartbeatAt: string | null;
  /** The last `_step` in history, -1 when nothing was logged. */
  lastHistoryStep: number;
  /** Seconds run so far across resumes; absent when nothing tells. */
  runtime?: number;
}

/** Which runs `listRuns` returns, in which order (the same rules as `api.runs()`). */
export interface RunQuery {
  /** One project, or every project when absent. */
  project?: string;
  filters?: RunFilter;
  order?: RunOrder;
}

/** A run that could not be read (no run.json, damaged JSON): listed here, never fatal to a listing. */
export interface SkippedRun {
  /** `project/id` */
  path: string;
  reason: string;
}

export interface RunListing {
  runs: RunData[];
  skipped: SkippedRun[];
}

/**
 * An edit of a run. Document fields replace the stored ones; `summary` sets and removes single keys of the
 * stored summary (and marks them as set by hand, so a resumed run keeps them).
 */
export interface RunPatch {
  name?: string;
  tags?: string[];
  notes?: string;
  group?: string | null;
  jobType?: string | null;
  config?: JsonObject;
  summary?: { set?: Record<string, unknown>; remove?: string[] };
}

/** What `deleteRun` removes besides the run. */
export interface DeleteRunOptions {
  /** Also delete the artifact versions this run logged (other runs' versions are never touched). */
  deleteArtifacts?: boolean;
  /** Delete even when the run still looks alive. */
  force?: boolean;
}

/** A pending run to create (wandb's `Run.create`): a run document only, for a scheduler to start later. */
export interface PendingRunOptions {
  project: string;
  /** Default: 8 random lowercase letters and digits. */
  id?: string;
  name?: string;
  /** Only 'pending': a run a scheduler starts later with `init({ id, resume: 'must' | 'allow' })`. */
  state?: 'pending';
  config?: JsonObject;
  tags?: string[];
  notes?: string;
  group?: string | null;
  jobType?: string | null;
}
