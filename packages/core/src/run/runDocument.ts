import type { RunMetadata } from './metadata.js';
import type { RunState } from './runState.js';
import type { T9kUploadSettings } from './t9kUpload.js';

/** run.json: a run's identity, state, config and metadata (docs/FORMAT.md). */
export interface RunDocument {
  formatVersion: number;
  id: string;
  name: string;
  project: string;
  state: RunState;
  exitCode: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  resumeCount: number;
  pid: number | null;
  host: string | null;
  tags: string[];
  notes: string;
  group: string | null;
  jobType: string | null;
  config: Record<string, unknown>;
  metadata: Partial<RunMetadata>;
  heartbeatIntervalMs: number;
  /** Seconds the run has been running, over all its resumes, as of the last save. */
  runtimeSeconds: number;
  /** t9k's alternative name, kept when a run config file gives one. */
  alternativeName?: string;
  /** t9k's upload options given to createRun, kept for a server sync to honour (none uploads today). */
  upload?: T9kUploadSettings;
  /** The sweep this run is a trial of (@runlog/sweeps), else null or absent. */
  sweepId?: string | null;
}
