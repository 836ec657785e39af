import type { UploadResult } from '../upload/folderUpload.js';
import type { Config } from './config.js';
import { RunArtifactMethods } from './runArtifactMethods.js';
import type { T9kMetricOptions } from './t9kMetricLog.js';
import type { T9kMetrics } from './t9kMetrics.js';
import { type T9kRunDict, T9kRunRecord } from './t9kRunDict.js';
import type { T9kUploadOptions } from './t9kUpload.js';
import type { T9kView } from './t9kView.js';

/**
 * t9k's vocabulary of Run (`t9k.em.Run`), each handed to the run's T9kView (run/t9kView.ts). A base class so
 * run.ts stays a short facade. t9k's `status` is `run.state` (wandb's `status()` keeps its name).
 */
export abstract class RunT9kMethods extends RunArtifactMethods {
  abstract readonly config: Config;
  abstract tags: readonly string[];
  abstract notes: string;
  /** The t9k view, after the finished guard when `method` records something. */
  protected abstract t9kView(method?: string): T9kView;

  /**
   * t9k's Run.parse_from_dict: a read-only run rebuilt from a dict (`toDict()`'s, or t9k's own).
   * @example const view = Run.parseFromDict(JSON.parse(text)); view.metrics.val;
   */
  static parseFromDict(dict: unknown): T9kRunRecord {
    return new T9kRunRecord(dict);
  }

  /** t9k: the hyperparameters, the same object as `config`. */
  get hparams(): Config {
    return this.config;
  }
  /** t9k: labels are tags. */
  get labels(): readonly string[] {
    return this.tags;
  }
  set labels(labels: readonly string[]) {
    this.tags = labels;
  }
  /** t9k: the description is the notes. */
  get description(): string {
    return this.notes;
  }
  set description(text: string) {
    this.notes = text;
  }

  /**
   * t9k's `log(type, metrics, step, epoch)`: one step counter per type. Each call is kept as a row of its own with
   * `<type>/<metric>` keys and the type's axis `<type>/step` (and `<type>/epoch`), which its charts use; types
   * take t9k's aliases (training -> train; validate, validation -> val; testing, eval, evaluate, evaluation ->
   * test). Without `step`, the type's last step + 1.
   * @example run.logMetrics('validation', { loss: 0.2, acc: 0.93 }, { step: 100, epoch: 2 });
   */
  logMetrics(type: string, metrics: Record<string, number>, options?: T9kMetricOptions): void {
    this.t9kView('logMetrics').metricLog.log(type, metrics, options);
  }

  /**
   * t9k's `run.metrics`: `{ [type]: [{ step, epoch, metrics, timestamp }] }`. A promise (`await run.metrics`):
   * the records are read from history.jsonl after a flush, never held in memory while the run logs.
   */
  get metrics(): Promise<T9kMetrics> {
    return this.t9kView().metrics();
  }

  /** The run as one plain object in t9k's vocabulary, synchronously (for JSON.stringify; no metrics). */
  toJSON(): Record<string, unknown> {
    return this.t9kView().toJSON();
  }

  /**
   * t9k's to_dict: name, labels, description, hparams, metrics, status, start/end timestamps, platform, git,
   * associations (artifacts used and logged), alternativeName. Async: the metrics are read from history.
   */
  toDict(): Promise<T9kRunDict> {
    return this.t9kView().toDict();
  }

  /**
   * t9k's upload: sends the run to `folder` on a runlog server (RUNLOG_HOST / RUNLOG_API_KEY, or `host` and
   * `apiKey`), where `conflictStrategy` decides about a run of the same name or id: 'skip', 'error' (RUN_EXISTS),
   * 'new' (a new id and the alternative name; the default) or 'replace' (swapped in atomically). Without a server,
   * NEEDS_SERVER. Answers where the run went.
   * @example await run.upload({ folder: 'cv/mnist', makeFolder: true, conflictStrategy: 'replace' });
   */
  upload(options?: T9kUploadOptions): Promise<UploadResult> {
    return this.t9kView().upload(options);
  }
}
