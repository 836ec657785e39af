// @runlog/core public surface. Values first, then types; each section owned by one part of the engine.

export type { RunlogErrorCode } from './errors/index.js';
// errors
export { InvalidValueError, NotFoundError, RunFinishedError, RunlogError, StorageError } from './errors/index.js';
export type { MediaFileRef, MediaRef, MediaValue, MediaWriteContext } from './media/mediaProtocol.js';
export { isMediaValue, MEDIA_VALUE } from './media/mediaProtocol.js';
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

// run engine (section: run)

export type { HookEvent, HookHandler, HookName, HookPayloads, RunLike, Stage } from './hooks/index.js';
// hooks (section: hooks)
export { Callback, HOOK_NAMES, HookBus } from './hooks/index.js';

// artifacts (section: artifacts)

// read API (section: api)
