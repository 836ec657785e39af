// @runlog/core/browser: the part of core that runs in a web page (no `node:` imports anywhere below): runlog's
// value codec and defineMetric's key matching. The dashboard app uses it; @runlog/browser and @runlog/tfjs/browser
// also build a run from its browser-safe parts (errors, hooks, config, summary, defineMetric, value encoding).

// The parts of a run that need no Node (@runlog/browser builds its Run from them).
export { InvalidValueError, RunFinishedError, RunlogError, type RunlogErrorCode } from './errors/runlogError.js';
export { checkKey, encodeValue, type TensorLike } from './history/valueEncoder.js';
export { Callback, type HookEvent } from './hooks/callback.js';
export { type CallbackLike, HookBus, type HookHandler } from './hooks/hookBus.js';
export { HOOK_NAMES, type HookName, type HookPayloads, type Stage } from './hooks/hookNames.js';
export type { RunLike } from './hooks/runLike.js';
export {
  isMediaValue,
  MEDIA_VALUE,
  type MediaFileRef,
  type MediaRef,
  type MediaValue,
  type MediaWriteContext,
} from './media/mediaProtocol.js';
export { Config } from './run/config.js';
export { defineMetric } from './summary/defineMetric.js';
export { Metric } from './summary/metric.js';
export type {
  DefineMetricOptions,
  Goal,
  MetricDefinition,
  SummaryKind,
  SummarySpec,
} from './summary/metricDefinition.js';
export { MetricDefinitions } from './summary/metricDefinition.js';
export { metricResolver } from './summary/metricResolver.js';
export { type SavedSummaryState, Summary, type SummaryRecord } from './summary/summary.js';
export * from './sync/index.js';
export { ceilToFloat32 } from './values/float32.js';
export {
  computeHistogram,
  DEFAULT_HISTOGRAM_BINS,
  type HistogramData,
  histogramFromCounts,
  MAX_HISTOGRAM_BINS,
} from './values/histogram.js';
export {
  DATE_TYPE,
  decodeJson,
  decodeJsonValue,
  decodeRow,
  ENCODED_FLOATS,
  encodeJson,
  encodeSpecialNumber,
  FLOAT_TYPE,
  TYPE_KEY,
} from './values/jsonCodec.js';
export type { JsonObject, JsonValue } from './values/jsonTypes.js';
