// @runlog/core public surface, by part of the engine. In each section values come first, then types.
// Storage helpers that sibling packages need live in '@runlog/core/internal'; the browser-safe part (value codec,
// metric-definition matching) is also '@runlog/core/browser'.

export type {
  ArtifactVersionData,
  FileChunk,
  FileReadOptions,
  FollowEvent,
  FollowOptions,
  HistoryOutlineData,
  HistoryRowsQuery,
  KeyStats,
  OutlineBlock,
  OutlineGap,
  PendingRunOptions,
  ProjectInfo,
  RowBytesChunk,
  RowChunk,
  RowStream,
  RunData,
  RunListing,
  RunPatch,
  RunQuery,
  RunRef,
  SkippedRun,
  StoreAccess,
  StoreFile,
  StreamChunk,
  StreamName,
  StreamReadOptions,
  TextChunk,
  TextStream,
} from './access/index.js';
// --- the store-access seam (access/) and its local-folder implementation (fileAccess/) ---
export { followStream, followStreams, ROW_STREAMS, readAllRows, readAllText, STREAM_NAMES } from './access/index.js';
export type {
  AlertRecord,
  ApiOptions,
  ArtifactUse,
  DeleteRunOptions,
  ExportFormat,
  ExportHistoryOptions,
  ExportResult,
  FlatHistoryRow,
  HistoryOptions,
  HistoryRow,
  HistoryRowVisitor,
  HistoryScan,
  RunFile,
  RunFilter,
  RunOrder,
  RunRecord,
  RunsOptions,
  ScanHistoryOptions,
  SeriesPoints,
} from './api/index.js';
// --- read API (api/) ---
export {
  ALLOWED_TRANSITIONS,
  Api,
  EXPORT_FORMATS,
  FilterError,
  HistoryOutline,
  RunList,
  RunView,
  resolveKeyPath,
  StateTransitionError,
} from './api/index.js';
export type {
  ArtifactFile,
  ArtifactManifest,
  ArtifactOptions,
  ArtifactRef,
  CollectionInfo,
  ConsumerRecord,
  DistributedOptions,
  DownloadOptions,
  FilePolicy,
  GarbageOptions,
  GarbageResult,
  IntegrityProblem,
  LogArtifactOptions,
  LogCodeOptions,
  ManifestEntry,
  PathFilter,
  RunArtifactRecord,
  RunPointer,
  UseArtifactOptions,
  VersionInfo,
  VersionRecord,
} from './artifacts/index.js';
// --- artifacts and the model registry (artifacts/) ---
export {
  Artifact,
  ArtifactInvalidError,
  ArtifactNotFoundError,
  ArtifactStore,
  ArtifactTypeMismatchError,
  collectGarbage,
  computeManifestDigest,
  IntegrityError,
  listCollections,
  listConsumers,
  listVersions,
  parseArtifactRef,
  readRunArtifacts,
  resolveArtifact,
} from './artifacts/index.js';
export type { RunlogErrorCode } from './errors/index.js';
// --- errors (errors/) ---
export { InvalidValueError, NotFoundError, RunFinishedError, RunlogError, StorageError } from './errors/index.js';
export { FileStoreAccess } from './fileAccess/fileStoreAccess.js';
export type { LogOptions } from './history/historyRecorder.js';
export type { CallbackLike, HookEvent, HookHandler, HookName, HookPayloads, RunLike, Stage } from './hooks/index.js';
// --- hooks (hooks/) ---
export { Callback, HOOK_NAMES, HookBus } from './hooks/index.js';
export type { MediaFileRef, MediaRef, MediaValue, MediaWriteContext } from './media/mediaProtocol.js';
export { isMediaValue, MEDIA_VALUE } from './media/mediaProtocol.js';
export type { OnlineSyncStatus } from './online/onlineSyncer.js';
// --- the store over HTTP (remote/): new Api({ host }) ---
export type { RemoteOptions } from './remote/index.js';
export { RemoteStoreAccess } from './remote/index.js';
export type {
  AlertLevel,
  CreateRunOptions,
  InitOptions,
  ResumeMode,
  RunDocument,
  RunEvents,
  RunSettings,
  RunState,
  RunStatus,
  SavePolicy,
  SweepTrial,
  T9kAssociation,
  T9kMetricOptions,
  T9kMetricRecord,
  T9kMetrics,
  T9kRunDict,
  T9kRunRecord,
  T9kUploadOptions,
  T9kUploadSettings,
} from './run/index.js';
// --- run engine (run/) ---
export {
  Config,
  createRun,
  finish,
  getRun,
  init,
  LIVE_STATES,
  log,
  RUN_STATES,
  Run,
  SWEEP_ENV,
  setSweepTrial,
} from './run/index.js';
export { FORMAT_VERSION } from './storage/storePaths.js';
// --- summary and metric definitions (summary/) ---
export { Metric } from './summary/metric.js';
export type {
  DefineMetricOptions,
  Goal,
  MetricDefinition,
  SummaryKind,
  SummarySpec,
} from './summary/metricDefinition.js';
export { Summary } from './summary/summary.js';
// --- t9k's upload to a server folder (upload/) ---
export type { UploadPlan, UploadResult } from './upload/folderUpload.js';
export type { UploadServerOptions } from './upload/uploadServer.js';
export { ceilToFloat32 } from './values/float32.js';
export type { HistogramData } from './values/histogram.js';
export {
  computeHistogram,
  DEFAULT_HISTOGRAM_BINS,
  histogramFromCounts,
  MAX_HISTOGRAM_BINS,
} from './values/histogram.js';
// --- values, the value codec and the media protocol (values/, media/) ---
export { decodeJson, decodeJsonValue, encodeJson } from './values/jsonCodec.js';
export type { JsonObject, JsonValue } from './values/jsonTypes.js';
