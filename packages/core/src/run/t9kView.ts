import { dirname, join } from 'node:path';
import { InvalidValueError } from '../errors/runlogError.js';
import { readJsonLines } from '../jsonLines/readJsonLines.js';
import { RUN_FILES } from '../storage/storePaths.js';
import type { MetricDefinitions } from '../summary/metricDefinition.js';
import type { Summary } from '../summary/summary.js';
import { FolderUpload, type UploadResult } from '../upload/folderUpload.js';
import { uploadServer } from '../upload/uploadServer.js';
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
  /** Uploads made from this process, by server and folder: a later upload continues the same server run. */
  private readonly uploads = new Map<string, FolderUpload>();

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

  /**
   * t9k's upload: the run folder is sent to the server's folder (RUNLOG_HOST / RUNLOG_API_KEY, or `host` and
   * `apiKey`) with the conflict strategy; without a server, NEEDS_SERVER. Uploading again to the same folder from
   * this process sends what was logged since to the same server run (it is not a conflict with itself).
   */
  async upload(options: T9kUploadOptions = {}): Promise<UploadResult> {
    for (const option of Object.keys(options ?? {})) {
      if (!UPLOAD_OPTIONS.includes(option))
        throw new InvalidValueError(
          `upload has no option "${option}" (options: ${UPLOAD_OPTIONS.join(', ')})`,
          'INVALID_ARGUMENT',
        );
    }
    const { document, dir } = this.parts;
    const settings = uploadSettings({ ...document.upload, ...options, autoUpload: false });
    const server = uploadServer(options);
    if (!server) throw needsServerError(`uploading run ${this.parts.path} to folder "${settings.folder}"`);
    await this.parts.flush();
    const key = JSON.stringify([server.hosts, settings.folder]);
    let upload = this.uploads.get(key);
    // Only a decided upload is continued; one the server refused is asked again with these options.
    if (!upload?.plan || upload.settings.conflictStrategy !== settings.conflictStrategy) {
      const run = {
        storeDir: dirname(dirname(dirname(dir))),
        project: document.project,
        id: document.id,
        name: document.name,
        alternativeName: document.alternativeName,
      };
      upload = new FolderUpload(run, settings, server);
      this.uploads.set(key, upload);
    }
    return upload.upload();
  }
}

const UPLOAD_OPTIONS = ['folder', 'makeFolder', 'conflictStrategy', 'host', 'apiKey'];
