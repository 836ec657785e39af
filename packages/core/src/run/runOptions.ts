import { DEFAULT_HEARTBEAT_INTERVAL_MS } from './liveness.js';
import type { ResumeMode, StoredRun } from './resume.js';
import type { RunDocument } from './runDocument.js';
import type { T9kUploadOptions } from './t9kUpload.js';
import type { TensorboardSettings } from './tensorboardHook.js';

export interface RunSettings {
  /** How often queued history is written to disk (ms). Default 500. */
  flushIntervalMs?: number;
  /** Flush as soon as this many bytes are queued. Default 256 KiB. */
  flushBytes?: number;
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
}

/** The settings of a run that init was not given. */
export const DEFAULT_SETTINGS: Readonly<Required<RunSettings>> = {
  flushIntervalMs: 500,
  flushBytes: 256 * 1024,
  systemMetrics: true,
  systemMetricsIntervalMs: 10_000,
  console: true,
  quiet: false,
  heartbeatIntervalMs: DEFAULT_HEARTBEAT_INTERVAL_MS,
  metadata: true,
  processHooks: true,
  tensorboard: false,
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
  /** 'disabled' makes every call a no-op that still validates input. Default 'offline'. */
  mode?: 'offline' | 'disabled';
  settings?: RunSettings;
  /** A TensorBoard logdir to tail into this run while it lives, as wandb's sync_tensorboard (needs @runlog/tensorboard). */
  syncTensorboard?: string;
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
  /** Upload the run as it goes, as t9k: needs a server, so true fails with NEEDS_SERVER (stored for one). */
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
  /** What a resumed run continues from. */
  stored: StoredRun | undefined;
  disabled: boolean;
  /** Called once the run has ended. */
  onFinish: () => void;
}
