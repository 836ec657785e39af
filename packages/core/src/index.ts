// @runlog/core public surface. Values first, then types; each section owned by one part of the engine.

// read API (section: api)
export type {
  ApiOptions,
  ArtifactUse,
  DeleteRunOptions,
  ExportFormat,
  ExportHistoryOptions,
  ExportResult,
  HistoryOptions,
  HistoryRow,
  PendingRunOptions,
  ProjectInfo,
  RunFile,
  RunFilter,
  RunOrder,
  RunRecord,
  RunsOptions,
  ScanHistoryOptions,
  SkippedRun,
} from './api/index.js';
export {
  ALLOWED_TRANSITIONS,
  Api,
  EXPORT_FORMATS,
  FilterError,
  HistoryScan,
  RunList,
  RunView,
  resolveKeyPath,
  StateTransitionError,
} from './api/index.js';
// artifacts (section: artifacts)
export type {
  ArtifactFile,
  ArtifactManifest,
  ArtifactOptions,
  ArtifactRef,
  CollectionInfo,
  ConsumerRecord,
  DistributedOptions,
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
export { mapWithConcurrency } from './artifacts/mapWithConcurrency.js';
export type { RunlogErrorCode } from './errors/index.js';
// errors
export { InvalidValueError, NotFoundError, RunFinishedError, RunlogError, StorageError } from './errors/index.js';
export type { LogOptions } from './history/historyRecorder.js';
export type { CallbackLike, HookEvent, HookHandler, HookName, HookPayloads, RunLike, Stage } from './hooks/index.js';
// hooks (section: hooks)
export { Callback, HOOK_NAMES, HookBus } from './hooks/index.js';
export type { MediaFileRef, MediaRef, MediaValue, MediaWriteContext } from './media/mediaProtocol.js';
export { isMediaValue, MEDIA_VALUE } from './media/mediaProtocol.js';
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
} from './run/index.js';
// run engine (section: run)
export {
  Config,
  createRun,
  effectiveState,
  finish,
  getRun,
  init,
  isProcessAlive,
  LIVE_STATES,
  log,
  RUN_STATES,
  Run,
} from './run/index.js';
// storage (section: storage)
export {
  assertSafeName,
  atomicWriteJson,
  atomicWriteJsonSync,
  FORMAT_VERSION,
  RUN_FILES,
  readJson,
  readJsonLines,
  readJsonSync,
  resolveStoreDir,
  storePaths,
} from './storage/index.js';
export type { DefineMetricOptions, Goal, MetricDefinition, SummaryKind } from './summary/metricDefinition.js';
export { Summary } from './summary/summary.js';
export { ceilToFloat32 } from './values/float32.js';
export type { HistogramData } from './values/histogram.js';
// values and media protocol
export {
  computeHistogram,
  DEFAULT_HISTOGRAM_BINS,
  histogramFromCounts,
  MAX_HISTOGRAM_BINS,
} from './values/histogram.js';
export { decodeJson, decodeJsonValue, encodeJson } from './values/jsonCodec.js';
export type { JsonObject, JsonValue } from './values/jsonTypes.js';
