import type { ArtifactManifest } from '../artifacts/manifest.js';
import type { CollectionInfo, ConsumerRecord, VersionInfo } from '../artifacts/versionRecord.js';
import type { MetricDefinition } from '../summary/metricDefinition.js';
import type { HistoryOutlineData, HistoryRowsQuery } from './historyOutlineData.js';
import type {
  DeleteRunOptions,
  PendingRunOptions,
  ProjectInfo,
  RunData,
  RunListing,
  RunPatch,
  RunQuery,
  RunRef,
} from './runData.js';
import type { FileChunk, FileReadOptions, StoreFile } from './storeFile.js';
import type { RowBytesReader, RowStream, StreamChunk, StreamName, StreamReadOptions } from './streamChunk.js';

/** One artifact version with its aliases and its manifest (entry name -> digest, size, reference). */
export interface ArtifactVersionData extends VersionInfo {
  manifest: ArtifactManifest;
}

/**
 * The store-access seam: everything a reader does with a runlog store, and the only way anything outside
 * core reads one. The read API (`Api`, `RunView`), the dashboard, the CLI, sync and exports use it; the local
 * folder store implements it (`FileStoreAccess`), the team server implements it, and the remote `Api` is an
 * HTTP implementation of it.
 *
 * Rules every implementation keeps (the contract tests in packages/core/test/contract check them):
 * - Every method is async and takes and returns plain data: JSON through runlog's value codec (`encodeJson` /
 *   `decodeJson`, so NaN, ±Infinity, -0 and dates survive), plus `Uint8Array` for file bytes. Nothing returned
 *   names a path on the machine that holds the store.
 * - Names are checked: a project, run id or artifact name that is not a safe name is INVALID_ARGUMENT, a file
 *   name that leaves its run is INVALID_ARGUMENT, and nothing is read or written for it.
 * - Unknown projects and runs are NotFoundError `RUN_NOT_FOUND`; unknown artifacts `ARTIFACT_NOT_FOUND`.
 * - Streams are addressed by byte offset (see StreamReadOptions) and read with one torn/damaged-line rule
 *   (see RowChunk). Following a live stream is `followStream`, written once over `readStream`.
 */
export interface StoreAccess {
  /** Where the store is, for messages: a folder or a server URL. */
  readonly location: string;

  // --- projects and runs ---------------------------------------------------------------------------------

  /** The projects of the store, by name. */
  projects(): Promise<ProjectInfo[]>;
  /**
   * The runs of one project (or all), filtered and ordered like `api.runs()`. A bad filter or order is
   * FILTER_INVALID; an unknown project is RUN_NOT_FOUND.
   */
  listRuns(query?: RunQuery): Promise<RunListing>;
  /** One run. */
  readRun(run: RunRef): Promise<RunData>;
  /** The run's defineMetric definitions (names may be globs), in definition order; [] when it has none. */
  metricDefinitions(run: RunRef): Promise<MetricDefinition[]>;
  /** Creates a pending run (a run document only); RUN_EXISTS when the id is taken. */
  createRun(options: PendingRunOptions): Promise<RunData>;
  /** Edits a run's document and summary (see RunPatch) and returns the run as stored afterwards. */
  updateRun(run: RunRef, patch: RunPatch): Promise<RunData>;
  /**
   * Requeues (`pending`) or fails (`failed`) a run; other transitions, or these from the wrong state, are a
   * StateTransitionError (STATE_TRANSITION).
   */
  setRunState(run: RunRef, state: 'pending' | 'failed'): Promise<RunData>;
  /** Removes a run; a run that looks alive is refused (STATE_TRANSITION) unless `force`. */
  deleteRun(run: RunRef, options?: DeleteRunOptions): Promise<void>;

  // --- streams -------------------------------------------------------------------------------------------

  /**
   * Reads a stream from a byte offset: `{ rows | text, offset, nextOffset, size }`. An absent stream reads as
   * empty (size 0). Read on from `nextOffset`; a later call returns what was appended meanwhile.
   */
  readStream<S extends StreamName>(run: RunRef, stream: S, options?: StreamReadOptions): Promise<StreamChunk<S>>;
  /** A stream's size in bytes (0 when absent): the offset the next append will get. */
  streamSize(run: RunRef, stream: StreamName): Promise<number>;
  /**
   * Optional: opens a row stream for reading its whole lines undecoded, chunk after chunk, for readers that parse
   * bytes themselves (the history visit of `HistoryScan`, used by exports of big runs). Stores without it are
   * read through `readStream`.
   */
  openRowBytes?(run: RunRef, stream: RowStream): Promise<RowBytesReader>;

  // --- history at scale ----------------------------------------------------------------------------------

  /**
   * The outline of the run's history (per-block first/last/min/max of each numeric key, plus the rows no block
   * covers), or undefined when the store has none it can trust; readers then read rows.
   */
  historyOutline(run: RunRef): Promise<HistoryOutlineData | undefined>;
  /** History rows chosen by position and by step (decoded, in step order); positions or steps absent are skipped. */
  readHistoryRows(run: RunRef, query: HistoryRowsQuery): Promise<Record<string, unknown>[]>;
  /** Every history row with a `_step` in `[minStep, maxStep]` (inclusive), decoded, in order. */
  readHistoryRange(run: RunRef, minStep: number, maxStep: number): Promise<Record<string, unknown>[]>;

  // --- files ---------------------------------------------------------------------------------------------

  /** Every file of the run (its documents, streams, media and saved files), sorted by name. */
  listFiles(run: RunRef): Promise<StoreFile[]>;
  /** Bytes of one file of the run; RUN_NOT_FOUND when there is no such file. */
  readFile(run: RunRef, name: string, options?: FileReadOptions): Promise<FileChunk>;

  // --- artifacts -----------------------------------------------------------------------------------------

  /** The artifact collections of one project, or of every project. */
  artifactCollections(project?: string): Promise<CollectionInfo[]>;
  /** Every version of a collection, oldest first, with the aliases pointing at each. */
  artifactVersions(project: string, name: string): Promise<VersionInfo[]>;
  /** One version, `project/name:alias`, `project/name:v3` or `project/name:<digest>`, with its manifest. */
  artifactVersion(ref: string): Promise<ArtifactVersionData>;
  /** The runs that used a version (lineage downstream; a version's `producer` is upstream). */
  artifactConsumers(ref: string): Promise<ConsumerRecord[]>;
  /**
   * Bytes of one stored file of a version, named as in its manifest, by range as `readFile`: the object's
   * bytes. ARTIFACT_NOT_FOUND when the version has no such entry; a reference entry (its `ref` set) has no
   * bytes in the store (INVALID_ARGUMENT).
   */
  readArtifactFile(ref: string, entry: string, options?: FileReadOptions): Promise<FileChunk>;
}
