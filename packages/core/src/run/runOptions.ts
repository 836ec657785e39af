import { DEFAULT_MAX_QUEUED_BYTES } from '../history/appendWriter.js';
import type { ReinitMode, RunStepPoint } from './initOptions.js';
import { DEFAULT_HEARTBEAT_INTERVAL_MS } from './liveness.js';
import type { ResumeMode, StoredRun } from './resume.js';
import type { RunDocument } from './runDocument.js';
import type { RunLock } from './runLock.js';
import type { T9kUploadOptions } from './t9kUpload.js';
import type { TensorboardSettings } from './tensorboardHook.js';

export interface RunSettings {
  /** How often queued history is written to disk (ms). Default 500. */
  flushIntervalMs?: number;
  /** Flush as soon as this many bytes are queued. Default 256 KiB. */
  flushBytes?: number;
  /**
   * While the disk refuses writes (full, read-only), each stream keeps at most this many unwritten bytes in memory
   * (retrying on a timer); newer lines are dropped and counted (`status().droppedRows`). Default 64 MiB.
   */
  maxQueuedBytes?: number;
  /** Record system metrics to system.jsonl. Default true. */
  systemMetrics?: boolean;
  /** Interval of system metrics samples (ms). Default 10,000. */
  systemMetricsIntervalMs?: number;
  /** Copy stdout and stderr to output.log. Default true. */
  console?: boolean;
  /** Print nothing of runlog's own (warnings included). Default false. */
  quiet?: boolean;
  /** How often the heartbeat file is refreshed (ms). Default 15,000. */
  heartbeatIntervalMs?: number;
  /** Capture host, git and package metadata. Default true. */
  metadata?: boolean;
  /** Install the SIGINT/SIGTERM/uncaught-exception/exit handlers that record how the run ended. Default true. */
  processHooks?: boolean;
  /** Mirror the run into TensorBoard event files under `logdir` as it is logged (needs @runlog/tensorboard). */
  tensorboard?: TensorboardSettings | false;
  /** Online runs: how long finish() waits for the server to acknowledge the rest (ms). Default 30,000. */
  syncTimeoutMs?: number;
  /** Online runs: how often what was written is sent (ms); a full batch (1 MiB) goes sooner. Default 1,000. */
  syncIntervalMs?: number;
  /**
   * Online runs: how long the server keeps the run's lease once this process stops renewing it (it renews every
   * third of that): after a crash, another process can resume the run that much later. 1,000-600,000; default 30,000.
   */
  leaseTtlMs?: number;
}

/** The settings of a run that init was not given. */
export const DEFAULT_SETTINGS: Readonly<Required<RunSettings>> = {
  flushIntervalMs: 500,
  flushBytes: 256 * 1024,
  maxQueuedBytes: DEFAULT_MAX_QUEUED_BYTES,
  systemMetrics: true,
  systemMetricsIntervalMs: 10_000,
  console: true,
  quiet: false,
  heartbeatIntervalMs: DEFAULT_HEARTBEAT_INTERVAL_MS,
  metadata: true,
  processHooks: true,
  tensorboard: false,
  syncTimeoutMs: 30_000,
  syncIntervalMs: 1000,
  leaseTtlMs: 30_000,
};

/** Every setting: the one given, else its default (an `undefined` one included). */
export function resolveSettings(settings: RunSettings = {}): Required<RunSettings> {
  const resolved = { ...DEFAULT_SETTINGS };
  for (const name of Object.keys(DEFAULT_SETTINGS) as (keyof RunSettings)[]) {
    if (settings[name] !== undefined) Object.assign(resolved, { [name]: settings[name] });
  }
  return resolved;
}

/** Options of `init()`: wandb's names. */
export interface InitOptions {
  /** Default 'uncategorized'. */
  project?: string;
  /** Display name; default a generated readable name like "brisk-river-7". */
  name?: string;
  /** Default 8 random [a-z0-9]. */
  id?: string;
  config?: Record<string, unknown>;
  tags?: string[];
  notes?: string;
  group?: string;
  jobType?: string;
  /** The store root; default $RUNLOG_DIR or ./runlog. */
  dir?: string;
  /** 'allow': continue the run with this id if it exists; 'must': it must exist; 'never': it must not;
   *  'auto': continue this project's last unfinished run from this directory. */
  resume?: ResumeMode;
  /**
   * 'online' streams the run to a runlog server while it trains (it is written locally first, as offline);
   * 'offline' writes the local store only; 'disabled' makes every call a no-op that still validates input.
   * Default: 'online' when a server and a token are configured (host/apiKey or $RUNLOG_HOST/$RUNLOG_API_KEY),
   * else 'offline'.
   */
  mode?: 'online' | 'offline' | 'disabled';
  /** The runlog server of an online run (default $RUNLOG_HOST). */
  host?: string;
  /** A write token for the run's project on that server (default $RUNLOG_API_KEY). */
  apiKey?: string;
  settings?: RunSettings;
  /** A TensorBoard logdir to tail into this run while it lives, as wandb's sync_tensorboard (needs @runlog/tensorboard). */
  syncTensorboard?: string;
  /** wandb's entity: accepted and ignored (local runs have none; `run.entity` is null). */
  entity?: string | null;
  /** While another run of this process is current: true/'finish_previous' finishes it first, 'return_previous'
   *  returns it; false/'create_new'/'default' (runlog's default) starts a second run beside it. */
  reinit?: ReinitMode;
  /** Rewind: continue the run `run` from `step`; its later rows are moved to an archive file, never deleted. */
  resumeFrom?: RunStepPoint | string;
  /** Fork: a new run whose history starts as a copy of `run`'s rows up to `step`, with the lineage in run.json. */
  forkFrom?: RunStepPoint | string;
  /** Lets init's config change values of a resumed run's config (always allowed on resume). */
  allowValChange?: boolean;
  /** Config keys to leave out of init's config (wandb's config_exclude_keys). */
  configExcludeKeys?: string[];
  /** The only config keys to keep of init's config (wandb's config_include_keys). */
  configIncludeKeys?: string[];
}

/** Options of t9k's `createRun()`. */
export interface CreateRunOptions extends T9kUploadOptions {
  /**
   * A YAML or JSON run config file (t9k's keys: name, hparams, labels, description, alternative_name, auto_upload,
   * folder, make_folder, conflict_strategy; camelCase also read); its values take precedence over the arguments.
   */
  configPath?: string;
  name?: string;
  hparams?: Record<string, unknown>;
  labels?: string[];
  description?: string;
  /** t9k's alternative name (the name 'new' uploads under on a conflict), kept in run.json. */
  alternativeName?: string;
  /** Stream the run into `folder` on a runlog server as it goes, as t9k (RUNLOG_HOST, or `host`; none: NEEDS_SERVER). */
  autoUpload?: boolean;
  project?: string;
  /** The store root; default $RUNLOG_DIR, else $EM_RUN_PARENT_DIR (t9k's), else ./runlog. */
  dir?: string;
  settings?: RunSettings;
}

/** Everything init resolved before a Run can exist. */
export interface RunParts {
  document: RunDocument;
  /** The store root (absolute). */
  storeDir: string;
  /** The run folder (absolute). */
  dir: string;
  settings: Required<RunSettings>;
  /** What a resumed (or forked) run continues from. */
  stored: StoredRun | undefined;
  /** True when `stored` is this run's own earlier life (not a fork's source, not a pending run). */
  resumed: boolean;
  disabled: boolean;
  /** The run folder's ownership lock, held until the run ends (none for a disabled run). */
  lock?: RunLock;
  /** Called once the run has ended. */
  onFinish: () => void;
}
