// @runlog/core/browser: the part of core that runs in a web page (no `node:` imports anywhere below): runlog's
// value codec and defineMetric's key matching. The dashboard app uses it; so will @runlog/browser.

export type {
  DefineMetricOptions,
  Goal,
  MetricDefinition,
  SummaryKind,
  SummarySpec,
} from './summary/metricDefinition.js';
export { metricResolver } from './summary/metricResolver.js';
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
