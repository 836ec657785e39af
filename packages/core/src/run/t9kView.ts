import { join } from 'node:path';
import { InvalidValueError } from '../errors/runlogError.js';
import { readJsonLines } from '../jsonLines/readJsonLines.js';
import { RUN_FILES } from '../storage/storePaths.js';
import type { MetricDefinitions } from '../summary/metricDefinition.js';
import type { Summary } from '../summary/summary.js';
import type { Config } from './config.js';
import type { RunDocument } from './runDocument.js';
import { T9kMetricLog } from './t9kMetricLog.js';
import { readT9kMetrics, type T9kMetrics, t9kTypes } from './t9kMetrics.js';
import type { T9kAssociation, T9kRunDict } from './t9kRunDict.js';
import { t9kRunJSON } from './t9kRunJSON.js';
import { needsServerError, type T9kUploadOptions, uploadSettings } from './t9kUpload.js';

export interface T9kViewParts {
  path: string;
  dir: string;
  document: RunDocument;
  config: Config;
  summary: Summary;
  definitions: MetricDefinitions;
  /** The run's log(): guarded, and emitting 'log'. */
  log(row: Record<string, unknown>): void;
  /** Waits until everything logged is on disk (nothing to wait for once the run has finished). */
  flush(): Promise<void>;
}

/**
 * The run in t9k's terms, the part of Run that t9k's vocabulary delegates to (run/runT9kMethods.ts): logMetrics'
 * per-type records, `metrics` and `toDict()` read back from the run's files, `upload()`.
 */
export class T9kView {
  readonly metricLog: T9kMetricLog;

  constructor(private readonly parts: T9kViewParts) {
    this.metricLog = new T9kMetricLog(parts);
  }

  /** The synchronous description (`toJSON`, no metrics). */
  toJSON(): Record<string, unknown> {
    return t9kRunJSON(this.parts);
  }

  /** Each type's records, read from history once everything logged is written. */
  async metrics(): Promise<T9kMetrics> {
    await this.parts.flush();
    return readT9kMetrics(join(this.parts.dir, RUN_FILES.history), t9kTypes(this.parts.definitions.list()));
  }

  async toDict(): Promise<T9kRunDict> {
    const { document: d, config, dir, path } = this.parts;
    const metrics = await this.metrics(); // flushes: artifacts.jsonl is complete too
    const { git, ...platform } = d.metadata;
    return {
      name: d.name,
      labels: [...d.tags],
      description: d.notes,
      hparams: config.toJSON(),
      metrics,
      status: d.state,
      startTimestamp: d.startedAt,
      endTimestamp: d.finishedAt,
      platform: structuredClone(platform),
      git: git ? (structuredClone(git) as unknown as Record<string, unknown>) : null,
      associations: await this.associations(),
      alternativeName: d.alternativeName ?? null,
      path,
      local: dir,
    };
  }

  /** Inputs (artifact versions used) and outputs (logged), from the run's artifacts stream. */
  private async associations(): Promise<{ inputs: T9kAssociation[]; outputs: T9kAssociation[] }> {
    const inputs: T9kAssociation[] = [];
    const outputs: T9kAssociation[] = [];
    for await (const line of readJsonLines(join(this.parts.dir, RUN_FILES.artifacts))) {
      const { direction, artifact, type, digest } = line;
      if (typeof artifact !== 'string') continue;
      const association: T9kAssociation = { name: artifact, type: typeof type === 'string' ? type : '' };
      if (typeof digest === 'string') association.digest = digest;
      (direction === 'used' ? inputs : outputs).push(association);
    }
    return { inputs, outputs };
  }

  /** t9k's upload: its options are checked, then refused (NEEDS_SERVER) — runlog has no upload client yet. */
  async upload(options: T9kUploadOptions = {}): Promise<void> {
    for (const option of Object.keys(options ?? {})) {
      if (!['folder', 'makeFolder', 'conflictStrategy'].includes(option))
        throw new InvalidValueError(
          `upload has no option "${option}" (options: folder, makeFolder, conflictStrategy)`,
          'INVALID_ARGUMENT',
        );
    }
    const stored = this.parts.document.upload;
    const settings = uploadSettings({ ...stored, ...options, autoUpload: false });
    throw needsServerError(`uploading run ${this.parts.path} to folder "${settings.folder}"`);
  }
}
